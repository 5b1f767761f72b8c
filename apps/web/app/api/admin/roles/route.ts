// GET /api/admin/roles - roles with member and document counts
// POST /api/admin/roles - create a role
import { createRole, findRoles, ZCreateRoleInput } from '@clearance/auth';
import { getDb } from '@clearance/db';
import { parseJsonBody } from '../../../../server/handle-route.ts';
import { handleAdminRoute } from '../../../admin/_server/admin-access.ts';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return handleAdminRoute(request, async ({ scope }) => {
    return Response.json({ roles: await findRoles({ db: getDb(), actor: scope }) });
  });
}

export function POST(request: Request) {
  return handleAdminRoute(request, async ({ scope }) => {
    const input = await parseJsonBody(request, ZCreateRoleInput);
    const role = await createRole({ db: getDb(), actor: scope, ...input });
    return Response.json({ role }, { status: 201 });
  });
}
