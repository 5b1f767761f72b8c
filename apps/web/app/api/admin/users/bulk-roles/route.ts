// POST /api/admin/users/bulk-roles - add one role to many users
import { bulkAssignRole } from '@clearance/auth';
import { getDb } from '@clearance/db';
import { z } from 'zod';
import { parseJsonBody } from '../../../../../server/handle-route.ts';
import { handleAdminRoute } from '../../../../admin/_server/admin-access.ts';

const ZBulkAssign = z.strictObject({
  roleId: z.uuid(),
  userIds: z.array(z.uuid()).min(1, 'select at least one user').max(1000),
});

export function POST(request: Request) {
  return handleAdminRoute(request, async ({ scope }) => {
    const input = await parseJsonBody(request, ZBulkAssign);
    const added = await bulkAssignRole({ db: getDb(), actor: scope, ...input });
    return Response.json({ added });
  });
}
