import 'server-only';
import { type AccessScope, findAuditEvents, requireAdmin, withManage } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { type AuditEventView, describeAuditEvents } from './admin-audit.ts';
import { type AdminDocumentRow, findAdminDocuments } from './admin-documents.ts';

export type AdminOverview = {
  counts: {
    documents: number;
    searchable: number;
    failed: number;
    users: number;
    disabledUsers: number;
    roles: number;
    questionsLast7Days: number;
  };
  ingesting: AdminDocumentRow[];
  recent: AuditEventView[];
};

type CountRow = { documents: number; searchable: number; failed: number };
type PeopleRow = { users: number; disabled_users: number; roles: number; questions: number };

/** The console's landing page: counts, ingestion in progress and the latest audit events (admin only). */
export async function getAdminOverview(db: Db, actor: AccessScope): Promise<AdminOverview> {
  requireAdmin(actor);
  const [documents] = await withManage(
    db,
    (tx) =>
      tx.$queryRaw<CountRow[]>`
      SELECT count(*)::int AS documents,
        count(*) FILTER (WHERE cv.status = 'ready')::int AS searchable,
        count(*) FILTER (WHERE lv.status = 'failed')::int AS failed
      FROM documents d
      LEFT JOIN document_versions cv ON cv.id = d.current_version_id
      LEFT JOIN LATERAL (
        SELECT v.status FROM document_versions v WHERE v.document_id = d.id ORDER BY v.number DESC LIMIT 1
      ) lv ON true
      WHERE d.deleted_at IS NULL`,
  );
  const [people] = await db.$queryRaw<PeopleRow[]>`
    SELECT (SELECT count(*)::int FROM users WHERE disabled_at IS NULL) AS users,
      (SELECT count(*)::int FROM users WHERE disabled_at IS NOT NULL) AS disabled_users,
      (SELECT count(*)::int FROM roles) AS roles,
      (SELECT count(*)::int FROM messages WHERE role = 'user' AND created_at > now() - interval '7 days') AS questions`;
  const ingesting = await findAdminDocuments(db, actor, { status: 'ingesting' });
  const { events } = await findAuditEvents(db, { limit: 10 });
  return {
    counts: {
      documents: documents?.documents ?? 0,
      searchable: documents?.searchable ?? 0,
      failed: documents?.failed ?? 0,
      users: people?.users ?? 0,
      disabledUsers: people?.disabled_users ?? 0,
      roles: people?.roles ?? 0,
      questionsLast7Days: people?.questions ?? 0,
    },
    ingesting,
    recent: await describeAuditEvents(db, actor, events),
  };
}
