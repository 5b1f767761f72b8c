import 'server-only';
import { type AccessScope, isUuid, withScope } from '@clearance/auth';
import type { Db } from '@clearance/db';

export type ReadableDocument = {
  id: string;
  title: string;
  filename: string | null;
  versionId: string;
  mime: string;
  pageCount: number | null;
  chunkCount: number;
  updatedAt: string;
};

/**
 * The documents the scope may read that are searchable now (current version ready), newest first.
 * Filtered by grants in SQL and, again, by row-level security.
 */
export async function findReadableDocuments(
  db: Db,
  scope: AccessScope,
  options: { limit?: number } = {},
): Promise<ReadableDocument[]> {
  if (scope.roleIds.length === 0) return [];
  const limit = Math.min(Math.max(options.limit ?? 500, 1), 1000);
  const rows = await withScope(db, scope, (tx) =>
    tx.document.findMany({
      where: {
        deletedAt: null,
        grants: { some: { roleId: { in: scope.roleIds } } },
        currentVersion: { is: { status: 'ready' } },
      },
      orderBy: { updatedAt: 'desc' },
      take: limit,
      select: {
        id: true,
        title: true,
        filename: true,
        updatedAt: true,
        currentVersion: { select: { id: true, mime: true, pageCount: true, chunkCount: true } },
      },
    }),
  );
  return rows.flatMap((row) =>
    row.currentVersion
      ? [
          {
            id: row.id,
            title: row.title,
            filename: row.filename,
            versionId: row.currentVersion.id,
            mime: row.currentVersion.mime,
            pageCount: row.currentVersion.pageCount,
            chunkCount: row.currentVersion.chunkCount,
            updatedAt: row.updatedAt.toISOString(),
          },
        ]
      : [],
  );
}

type HeadingRow = { title: string; heading: string | null };

/**
 * Up to `count` starter questions built from the titles and section headings of documents this scope
 * may read (never from anyone else's), so a new user sees what they can ask about.
 */
export async function suggestQuestions(db: Db, scope: AccessScope, count = 4): Promise<string[]> {
  if (scope.roleIds.length === 0) return [];
  const rows = await withScope(
    db,
    scope,
    (tx) =>
      tx.$queryRaw<HeadingRow[]>`
      SELECT d.title, (SELECT ch.heading_path[array_length(ch.heading_path, 1)]
                       FROM chunks ch
                       WHERE ch.version_id = d.current_version_id AND array_length(ch.heading_path, 1) > 0
                       ORDER BY ch.ordinal OFFSET 1 LIMIT 1) AS heading
      FROM documents d
      JOIN document_versions v ON v.id = d.current_version_id AND v.status = 'ready'
      WHERE d.deleted_at IS NULL
        AND EXISTS (SELECT 1 FROM document_grants g WHERE g.document_id = d.id AND g.role_id = ANY(${scope.roleIds}::uuid[]))
      ORDER BY d.updated_at DESC
      LIMIT 12`,
  );
  const questions: string[] = [];
  for (const row of rows) {
    const question = questionFrom(row.heading, row.title);
    if (!questions.includes(question)) questions.push(question);
    if (questions.length >= count) break;
  }
  return questions;
}

/** "Per diem rates" -> "per diem rates"; "PTO policy" stays (an acronym keeps its capitals). */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/**
 * A question a person would ask, from a section heading (or the title when the document has none):
 * "Inspection intervals" -> "What are the inspection intervals?", "Expense approval" -> "What should I
 * know about expense approval?", a heading that already asks ("How do I claim mileage") keeps its words.
 */
export function questionFrom(heading: string | null, title: string): string {
  const clean = (text: string) =>
    text
      .replace(/[#*_`[\]]/g, '')
      .replace(/^\s*(\d+(\.\d+)*\.?|[A-Z]\.)\s+/, '')
      .replace(/\s+/g, ' ')
      .replace(/[\s:;.,?!-]+$/, '')
      .trim();
  const section = heading ? clean(heading).slice(0, 70) : '';
  if (section && section.toLowerCase() !== clean(title).toLowerCase()) {
    if (/^(how|what|when|where|who|why|which|can|do|does|is|are|should|may)\b/i.test(section))
      return `${section}?`;
    const subject = lowerFirst(section);
    return /[^s]s$/i.test(section.split(' ').at(-1) ?? '')
      ? `What are the ${subject}?`
      : `What should I know about ${subject}?`;
  }
  return `What does ${clean(title).slice(0, 70) || 'this document'} cover?`;
}

/**
 * Which of `documentIds` the scope may read now (granted to one of its roles, not deleted), decided by
 * row-level security. Admin views use it: admin is management, text needs a data role.
 */
export async function findReadableDocumentIds(
  db: Db,
  scope: Pick<AccessScope, 'roleIds'>,
  documentIds: Iterable<string>,
): Promise<Set<string>> {
  const ids = [...new Set(documentIds)].filter(isUuid);
  if (ids.length === 0 || scope.roleIds.length === 0) return new Set();
  const rows = await withScope(db, { ...scope, userId: '', isAdmin: false, via: 'session' }, (tx) =>
    tx.document.findMany({
      where: { id: { in: ids }, deletedAt: null, grants: { some: { roleId: { in: scope.roleIds } } } },
      select: { id: true },
    }),
  );
  return new Set(rows.map((row) => row.id));
}
