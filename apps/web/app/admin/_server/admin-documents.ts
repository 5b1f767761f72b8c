import 'server-only';
import { type AccessScope, isUuid, recordAudit, recordRead, requireAdmin, withManage } from '@clearance/auth';
import { type Db, Prisma } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { z } from 'zod';

/** Status filter values: a version status, or "ingesting" for queued + processing. */
export const DOCUMENT_STATUS_FILTERS = [
  'ingesting',
  'queued',
  'processing',
  'ready',
  'failed',
  'cancelled',
] as const;

export const ZDocumentFilter = z.strictObject({
  q: z.string().trim().max(200).optional(),
  roleId: z.uuid().optional(),
  status: z.enum(DOCUMENT_STATUS_FILTERS).optional(),
});
export type DocumentFilter = z.infer<typeof ZDocumentFilter>;

export type AdminDocumentRow = {
  id: string;
  title: string;
  filename: string | null;
  mime: string | null;
  bytes: number | null;
  roles: { id: string; name: string }[];
  /** The newest version: while a re-index runs, the current version stays searchable beside it. */
  versionId: string | null;
  versionNumber: number | null;
  status: string | null;
  stage: string | null;
  progress: number;
  error: string | null;
  /** Chunks of the searchable (current) version. */
  chunkCount: number;
  isSearchable: boolean;
  uploadedBy: string | null;
  createdAt: string;
};

type RawDocumentRow = {
  id: string;
  title: string;
  filename: string | null;
  mime: string | null;
  bytes: number | null;
  roles: { id: string; name: string }[] | null;
  version_id: string | null;
  version_number: number | null;
  status: string | null;
  stage: string | null;
  progress: number | null;
  error: string | null;
  chunk_count: number | null;
  is_searchable: boolean;
  uploaded_by: string | null;
  created_at: Date;
};

// One page is enough for the console's table; past that, admins narrow with the filters.
const MAX_ROWS = 500;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function toRow(row: RawDocumentRow): AdminDocumentRow {
  return {
    id: row.id,
    title: row.title,
    filename: row.filename,
    mime: row.mime,
    bytes: row.bytes,
    roles: row.roles ?? [],
    versionId: row.version_id,
    versionNumber: row.version_number,
    status: row.status,
    stage: row.stage,
    progress: row.progress ?? 0,
    error: row.error,
    chunkCount: row.chunk_count ?? 0,
    isSearchable: row.is_searchable,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at.toISOString(),
  };
}

type QueryClient = Pick<Prisma.TransactionClient, '$queryRaw'>;

function selectDocumentRows(tx: QueryClient, where: Prisma.Sql, limit: number) {
  return tx.$queryRaw<RawDocumentRow[]>`
    SELECT d.id::text, d.title, d.filename, d.created_at, u.email AS uploaded_by,
      lv.id::text AS version_id, lv.number AS version_number, lv.mime, lv.bytes, lv.status::text AS status,
      lv.stage::text AS stage, lv.progress, lv.error,
      cv.chunk_count, (cv.status = 'ready') IS TRUE AS is_searchable,
      (SELECT json_agg(json_build_object('id', r.id, 'name', r.name) ORDER BY r.name)
       FROM document_grants g JOIN roles r ON r.id = g.role_id WHERE g.document_id = d.id) AS roles
    FROM documents d
    LEFT JOIN users u ON u.id = d.created_by_id
    LEFT JOIN document_versions cv ON cv.id = d.current_version_id
    LEFT JOIN LATERAL (
      SELECT v.* FROM document_versions v WHERE v.document_id = d.id ORDER BY v.number DESC LIMIT 1
    ) lv ON true
    WHERE ${where}
    ORDER BY d.created_at DESC, d.id
    LIMIT ${limit}`;
}

/**
 * Every live document with its grants, newest version's ingestion state and searchable chunk count
 * (admin only; manage mode sees all documents, whatever the admin's own roles).
 */
export async function findAdminDocuments(
  db: Db,
  actor: AccessScope,
  filter: DocumentFilter = {},
): Promise<AdminDocumentRow[]> {
  requireAdmin(actor);
  const conditions: Prisma.Sql[] = [Prisma.sql`d.deleted_at IS NULL`];
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q)}%`;
    conditions.push(Prisma.sql`(d.title ILIKE ${pattern} OR d.filename ILIKE ${pattern})`);
  }
  if (filter.roleId) {
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM document_grants fg WHERE fg.document_id = d.id AND fg.role_id = ${filter.roleId}::uuid)`,
    );
  }
  if (filter.status === 'ingesting') conditions.push(Prisma.sql`lv.status IN ('queued', 'processing')`);
  else if (filter.status) conditions.push(Prisma.sql`lv.status::text = ${filter.status}`);
  const rows = await withManage(db, (tx) =>
    selectDocumentRows(tx, Prisma.join(conditions, ' AND '), MAX_ROWS),
  );
  return rows.map(toRow);
}

export type AdminDocumentDetail = {
  document: AdminDocumentRow & { currentVersionId: string | null; deletedAt: string | null };
  versions: {
    id: string;
    number: number;
    status: string;
    stage: string;
    progress: number;
    error: string | null;
    attempts: number;
    mime: string;
    bytes: number;
    sha256: string;
    chunkCount: number;
    pageCount: number | null;
    embedderId: string | null;
    createdAt: string;
    startedAt: string | null;
    finishedAt: string | null;
  }[];
  chunks: {
    id: string;
    ordinal: number;
    /** Null unless the admin's own roles may read the document: admin is management, not clearance. */
    text: string | null;
    page: number | null;
    headingPath: string[];
    tokens: number;
  }[];
  totalChunks: number;
  /** Whether the admin's roles may read this document, so the preview shows (and audits) its text. */
  canReadText: boolean;
};

// A preview, not a reader: the first passages show how the document was split.
const PREVIEW_CHUNKS = 20;

/**
 * One document for its admin page: versions, metadata and a preview of how it was split (ordinal, page,
 * headings, tokens). The passages' text comes only when the admin's own roles may read the document,
 * and that read is audited like any other; an admin without a data role sees the structure only.
 */
export async function getAdminDocument(
  db: Db,
  actor: AccessScope,
  documentId: string,
): Promise<AdminDocumentDetail> {
  requireAdmin(actor);
  if (!isUuid(documentId)) throw new AppError('not_found:document');
  return withManage(db, async (tx) => {
    const document = await tx.document.findUnique({
      where: { id: documentId },
      select: { id: true, currentVersionId: true, deletedAt: true },
    });
    if (!document || document.deletedAt) throw new AppError('not_found:document');
    const [row] = await selectDocumentRows(tx, Prisma.sql`d.id = ${documentId}::uuid`, 1);
    const versions = await tx.documentVersion.findMany({
      where: { documentId },
      orderBy: { number: 'desc' },
    });
    const previewVersionId = document.currentVersionId;
    const chunks = previewVersionId
      ? await tx.chunk.findMany({
          where: { versionId: previewVersionId },
          orderBy: { ordinal: 'asc' },
          take: PREVIEW_CHUNKS,
          select: { id: true, ordinal: true, text: true, page: true, headingPath: true, tokens: true },
        })
      : [];
    // The same rule as every reader's: granted to one of the admin's roles and not deleted.
    const canReadText =
      actor.roleIds.length > 0 &&
      (await tx.documentGrant.count({ where: { documentId, roleId: { in: actor.roleIds } } })) > 0;
    if (canReadText && previewVersionId) {
      await recordRead(tx, {
        actor,
        surface: 'admin.document',
        target: `document:${documentId}`,
        passages: chunks.map((chunk) => ({ chunkId: chunk.id, documentId, versionId: previewVersionId })),
      });
    }
    const totalChunks = previewVersionId
      ? await tx.chunk.count({ where: { versionId: previewVersionId } })
      : 0;
    return {
      document: {
        ...toRow(row!),
        currentVersionId: document.currentVersionId,
        deletedAt: null,
      },
      versions: versions.map((version) => ({
        id: version.id,
        number: version.number,
        status: version.status,
        stage: version.stage,
        progress: version.progress,
        error: version.error,
        attempts: version.attempts,
        mime: version.mime,
        bytes: version.bytes,
        sha256: version.sha256,
        chunkCount: version.chunkCount,
        pageCount: version.pageCount,
        embedderId: version.embedderId,
        createdAt: version.createdAt.toISOString(),
        startedAt: version.startedAt?.toISOString() ?? null,
        finishedAt: version.finishedAt?.toISOString() ?? null,
      })),
      chunks: chunks.map((chunk) => ({ ...chunk, text: canReadText ? chunk.text : null })),
      totalChunks,
      canReadText,
    };
  });
}

export const ZRenameDocument = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').max(300, 'at most 300 characters'),
});

/** Renames a document (admin only), audited with the old and the new title. */
export async function renameDocument(
  db: Db,
  actor: AccessScope,
  documentId: string,
  input: z.infer<typeof ZRenameDocument>,
): Promise<{ id: string; title: string }> {
  requireAdmin(actor);
  if (!isUuid(documentId)) throw new AppError('not_found:document');
  return withManage(db, async (tx) => {
    const before = await tx.document.findFirst({
      where: { id: documentId, deletedAt: null },
      select: { title: true },
    });
    if (!before) throw new AppError('not_found:document');
    const row = await tx.document.update({
      where: { id: documentId },
      data: { title: input.title },
      select: { id: true, title: true },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: 'document.rename',
      target: `document:${documentId}`,
      data: { before: before.title, after: row.title },
    });
    return row;
  });
}
