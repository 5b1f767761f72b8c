// GET /api/admin/audit - one page of audit events (filters: actor, action, document, from, to, cursor)
import { getDb } from '@clearance/db';
import { handleAdminRoute, parseSearchParams } from '../../../admin/_server/admin-access.ts';
import { findAuditPage, ZAuditQuery } from '../../../admin/_server/admin-audit.ts';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return handleAdminRoute(request, async ({ scope }) => {
    const query = parseSearchParams(request.url, ZAuditQuery);
    return Response.json(await findAuditPage(getDb(), scope, query));
  });
}
