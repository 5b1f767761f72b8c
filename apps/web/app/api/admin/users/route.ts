// GET /api/admin/users - users with roles, last sign-in and sign-in origin (?q= filters by email/name)
// POST /api/admin/users - create a user
import { createUser, findUsers, ZCreateUserInput } from '@clearance/auth';
import { getDb } from '@clearance/db';
import { z } from 'zod';
import { parseJsonBody } from '../../../../server/handle-route.ts';
import { handleAdminRoute, parseSearchParams } from '../../../admin/_server/admin-access.ts';

export const dynamic = 'force-dynamic';

const ZUsersQuery = z.strictObject({ q: z.string().trim().max(200).optional() });

export function GET(request: Request) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { q } = parseSearchParams(request.url, ZUsersQuery);
    const users = await findUsers({ db: getDb(), actor: scope, ...(q ? { query: q } : {}), limit: 500 });
    return Response.json({ users });
  });
}

export function POST(request: Request) {
  return handleAdminRoute(request, async ({ scope }) => {
    // Strict: a body carrying anything beyond email, name, password, isAdmin and roleIds is refused.
    const input = await parseJsonBody(request, ZCreateUserInput);
    const user = await createUser({ db: getDb(), actor: scope, ...input });
    return Response.json({ user }, { status: 201 });
  });
}
