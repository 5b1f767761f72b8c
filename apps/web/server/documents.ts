import { type AccessScope, AppError, isUuid, withScope } from '@clearance/auth';
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

export type DocumentPassageView = {
  document: { id: string; title: string; filename: string | null };
  versionId: string;
  focusChunkId: string | null;
  chunks: Array<{ id: string; ordinal: number; text: string; page: number | null; headingPath: string[] }>;
};

type ChunkRow = { id: string; ordinal: number; text: string; page: number | null; heading_path: string[] };

// Two chunks either side: enough context to read the passage without loading a whole manual.
const CONTEXT_CHUNKS = 2;

/**
 * A document's passage in context for the viewer: the cited chunk (from any version of the document,
 * so old citations still open) and its neighbours. Without `chunkId`, the start of the current version.
 * not_found when the document, or the chunk, is not readable in this scope: no existence leak.
 */
export async function getDocumentPassage(
  db: Db,
  scope: AccessScope,
  documentId: string,
  chunkId?: string | null,
): Promise<DocumentPassageView> {
  if (!isUuid(documentId) || (chunkId && !isUuid(chunkId)) || scope.roleIds.length === 0) {
    throw new AppError('not_found:document');
  }
  return withScope(db, scope, async (tx) => {
    const document = await tx.document.findFirst({
      where: { id: documentId, deletedAt: null, grants: { some: { roleId: { in: scope.roleIds } } } },
      select: { id: true, title: true, filename: true, currentVersionId: true },
    });
    if (!document) throw new AppError('not_found:document');
    let versionId = document.currentVersionId;
    let center = 0;
    let focusChunkId: string | null = null;
    if (chunkId) {
      const focus = await tx.chunk.findFirst({
        where: { id: chunkId, documentId: document.id },
        select: { id: true, versionId: true, ordinal: true },
      });
      if (!focus) throw new AppError('not_found:document');
      versionId = focus.versionId;
      center = focus.ordinal;
      focusChunkId = focus.id;
    }
    if (!versionId) throw new AppError('not_found:document');
    const chunks = await tx.$queryRaw<ChunkRow[]>`
      SELECT id::text, ordinal, text, page, heading_path FROM chunks
      WHERE version_id = ${versionId}::uuid AND document_id = ${document.id}::uuid
        AND ordinal BETWEEN ${center - CONTEXT_CHUNKS} AND ${center + CONTEXT_CHUNKS + (chunkId ? 0 : 2)}
      ORDER BY ordinal`;
    return {
      document: { id: document.id, title: document.title, filename: document.filename },
      versionId,
      focusChunkId,
      chunks: chunks.map((chunk) => ({
        id: chunk.id,
        ordinal: chunk.ordinal,
        text: chunk.text,
        page: chunk.page,
        headingPath: chunk.heading_path ?? [],
      })),
    };
  });
}
