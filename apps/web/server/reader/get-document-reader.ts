import 'server-only';
import { type AccessScope, isUuid, recordRead, withScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { buildReaderBlocks, type ReaderBlock } from './build-reader-blocks.ts';

export type DocumentReaderView = {
  document: { id: string; title: string; filename: string | null; mime: string; pageCount: number | null };
  versionId: string;
  isCurrentVersion: boolean;
  focusChunkId: string | null;
  blocks: ReaderBlock[];
  /** True when the document was too long to show whole: the blocks are a window around the passage. */
  isPartial: boolean;
};

type ChunkRow = {
  id: string;
  ordinal: number;
  text: string;
  page: number | null;
  heading_path: string[] | null;
  char_start: number;
  char_end: number;
};

// A whole document up to ~2,000 chunks (~1.5 MB of text, a 600-page manual) is sent in one page; past
// that, a window of chunks around the cited one keeps the page light.
const MAX_CHUNKS = 2_000;

/** The readable document the scope may see, or not_found (the same answer as for one that does not exist). */
export async function getReadableDocument(db: Db, scope: AccessScope, documentId: string) {
  if (!isUuid(documentId) || scope.roleIds.length === 0) throw new AppError('not_found:document');
  const document = await withScope(db, scope, (tx) =>
    tx.document.findFirst({
      where: { id: documentId, deletedAt: null, grants: { some: { roleId: { in: scope.roleIds } } } },
      select: {
        id: true,
        title: true,
        filename: true,
        currentVersion: { select: { id: true, mime: true, pageCount: true, sha256: true, status: true } },
      },
    }),
  );
  if (!document) throw new AppError('not_found:document');
  return document;
}

/**
 * A document as the reader shows it: the whole text (of the cited chunk's version, so old citations
 * still open; else the current version) as headings, Markdown, tables and records, with the cited chunk
 * marked. Readable only in the caller's scope (SQL filter and row-level security); the read is audited
 * before anything is returned.
 */
export async function getDocumentReader(
  db: Db,
  scope: AccessScope,
  documentId: string,
  chunkId?: string | null,
): Promise<DocumentReaderView> {
  if (chunkId && !isUuid(chunkId)) throw new AppError('not_found:document');
  const document = await getReadableDocument(db, scope, documentId);
  return withScope(db, scope, async (tx) => {
    let versionId = document.currentVersion?.id ?? null;
    let mime = document.currentVersion?.mime ?? 'text/plain';
    let pageCount = document.currentVersion?.pageCount ?? null;
    let center = 0;
    if (chunkId) {
      const focus = await tx.chunk.findFirst({
        where: { id: chunkId, documentId: document.id },
        select: { versionId: true, ordinal: true, version: { select: { mime: true, pageCount: true } } },
      });
      if (!focus) throw new AppError('not_found:document');
      versionId = focus.versionId;
      mime = focus.version.mime;
      pageCount = focus.version.pageCount;
      center = focus.ordinal;
    }
    if (!versionId) throw new AppError('not_found:document');
    const from = Math.max(0, center - MAX_CHUNKS / 2);
    const rows = await tx.$queryRaw<ChunkRow[]>`
      SELECT id::text, ordinal, text, page, heading_path, char_start, char_end FROM chunks
      WHERE version_id = ${versionId}::uuid AND document_id = ${document.id}::uuid
        AND ordinal >= ${from} AND ordinal < ${from + MAX_CHUNKS}
      ORDER BY ordinal`;
    const total = await tx.chunk.count({ where: { versionId, documentId: document.id } });
    // On the record before it is shown, in the same transaction: a read that can't be audited fails.
    await recordRead(tx, {
      actor: scope,
      surface: 'viewer',
      target: `document:${document.id}`,
      passages: rows.map((row) => ({ chunkId: row.id, documentId: document.id, versionId })),
      data: { focusChunkId: chunkId ?? null },
    });
    return {
      document: { id: document.id, title: document.title, filename: document.filename, mime, pageCount },
      versionId,
      isCurrentVersion: versionId === document.currentVersion?.id,
      focusChunkId: chunkId ?? null,
      isPartial: rows.length < total,
      blocks: buildReaderBlocks(
        rows.map((row) => ({
          id: row.id,
          text: row.text,
          page: row.page,
          headingPath: row.heading_path ?? [],
          charStart: row.char_start,
          charEnd: row.char_end,
        })),
        { mime, focusChunkId: chunkId },
      ),
    };
  });
}
