// GET /api/admin/roles/:id - what deleting the role would take away (users, documents)
// PATCH /api/admin/roles/:id - rename
// DELETE /api/admin/roles/:id - delete; a role in use needs {"confirm": true}
import { deleteRole, describeRoleDeletionImpact, renameRole, ZRoleName } from '@clearance/auth';
import { getDb } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { z } from 'zod';
import { parseJsonBody } from '../../../../../server/handle-route.ts';
import { handleAdminRoute } from '../../../../admin/_server/admin-access.ts';

type Context = { params: Promise<{ id: string }> };

export function GET(request: Request, { params }: Context) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { id } = await params;
    return Response.json(await describeRoleDeletionImpact({ db: getDb(), actor: scope, roleId: id }));
  });
}

const ZRename = z.strictObject({ name: ZRoleName });

export function PATCH(request: Request, { params }: Context) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { id } = await params;
    const { name } = await parseJsonBody(request, ZRename);
    await renameRole({ db: getDb(), actor: scope, roleId: id, name });
    return Response.json({ ok: true });
  });
}

const ZDelete = z.strictObject({ confirm: z.literal(true).optional() });

/** The optional JSON body of DELETE: none at all, or exactly `{"confirm": true}`. */
async function readDeleteBody(request: Request) {
  const text = await request.text();
  if (!text.trim()) return {};
  return parseJsonBody(new Request(request.url, { method: 'POST', body: text }), ZDelete);
}

export function DELETE(request: Request, { params }: Context) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { id } = await params;
    const { confirm } = await readDeleteBody(request);
    const db = getDb();
    const impact = await describeRoleDeletionImpact({ db, actor: scope, roleId: id });
    // Deleting a role in use silently takes documents away from people: the caller must have seen
    // the impact and confirmed.
    if ((impact.users.length > 0 || impact.documents.length > 0) && !confirm) {
      throw new AppError(
        'conflict:role',
        `"${impact.role.name}" is held by ${impact.users.length} user(s) and grants ${impact.documents.length} document(s); confirm to delete it.`,
      );
    }
    await deleteRole({ db, actor: scope, roleId: id });
    return Response.json({ ok: true, impact });
  });
}
