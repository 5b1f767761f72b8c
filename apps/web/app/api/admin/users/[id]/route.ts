// PATCH /api/admin/users/:id - enable/disable, reset the password, set roles or the admin permission
import { resetPassword, setUserAdmin, setUserDisabled, setUserRoles } from '@clearance/auth';
import { getDb } from '@clearance/db';
import { z } from 'zod';
import { parseJsonBody } from '../../../../../server/handle-route.ts';
import { handleAdminRoute } from '../../../../admin/_server/admin-access.ts';

type Context = { params: Promise<{ id: string }> };

// One change per request, so each maps to exactly one audited operation.
const ZUserChange = z.union([
  z.strictObject({ disabled: z.boolean() }),
  z.strictObject({ password: z.string().max(1024) }),
  z.strictObject({ roleIds: z.array(z.uuid()).max(200) }),
  z.strictObject({ isAdmin: z.boolean() }),
]);

export function PATCH(request: Request, { params }: Context) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { id } = await params;
    const change = await parseJsonBody(request, ZUserChange);
    const db = getDb();
    if ('disabled' in change)
      await setUserDisabled({ db, actor: scope, userId: id, disabled: change.disabled });
    else if ('password' in change)
      await resetPassword({ db, actor: scope, userId: id, password: change.password });
    else if ('roleIds' in change)
      await setUserRoles({ db, actor: scope, userId: id, roleIds: change.roleIds });
    else await setUserAdmin({ db, actor: scope, userId: id, isAdmin: change.isAdmin });
    return Response.json({ ok: true });
  });
}
