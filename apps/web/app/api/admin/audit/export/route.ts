// GET /api/admin/audit/export?format=csv|jsonl - the filtered audit trail as a download, streamed
import { type AuditAction, exportAudit, recordAudit } from '@clearance/auth';
import { getDb } from '@clearance/db';
import { z } from 'zod';
import { handleAdminRoute, parseSearchParams } from '../../../../admin/_server/admin-access.ts';
import { resolveAuditFilter, ZAuditQuery } from '../../../../admin/_server/admin-audit.ts';

export const dynamic = 'force-dynamic';

const ZExportQuery = ZAuditQuery.omit({ cursor: true }).extend({ format: z.enum(['csv', 'jsonl']) });

export function GET(request: Request) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { format, ...query } = parseSearchParams(request.url, ZExportQuery);
    const db = getDb();
    const filter = await resolveAuditFilter(db, query);
    // Exporting the trail is itself worth recording: it carries users' questions.
    await recordAudit(db, {
      actorId: scope.userId,
      action: 'audit.export' as AuditAction,
      data: { via: scope.via, format, filter: query },
    });
    const encoder = new TextEncoder();
    const lines = filter ? exportAudit(db, filter, format)[Symbol.asyncIterator]() : null;
    const header = format === 'csv' ? 'id,at,actor_id,action,target,data,text\n' : '';
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!lines) {
          controller.enqueue(encoder.encode(header));
          controller.close();
          return;
        }
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="clearance-audit-${stamp}.${format === 'csv' ? 'csv' : 'jsonl'}"`,
        'cache-control': 'no-store',
      },
    });
  });
}
