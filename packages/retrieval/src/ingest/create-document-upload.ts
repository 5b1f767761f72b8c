import { type Db, Prisma } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { z } from 'zod';
import type { BlobStore } from './blob-store.ts';
import { createBlobStore } from './create-blob-store.ts';
import { getIngestEnv } from './env.ts';
import { runManaged } from './run-managed.ts';
import { sanitizeFilename, titleFromFilename } from './sanitize-filename.ts';
import { sniffDocumentType } from './sniff-document-type.ts';

/** The queue ingestion jobs go to; the payload is `{ versionId }`. */
export const INGEST_QUEUE = 'ingest';

export const ZDocumentUploadInput = z.object({
  /** The admin (or CLI operator) doing the upload; recorded in the audit trail. */
  actorId: z.uuid().nullable(),
  bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, { message: 'must be bytes' }),
  filename: z.string().max(4096).optional(),
  title: z.string().trim().max(300).optional(),
  roleIds: z.array(z.uuid()).max(1000),
  /** Upload a new version of this existing document instead of creating a new document. */
  documentId: z.uuid().optional(),
});
export type DocumentUploadInput = z.infer<typeof ZDocumentUploadInput>;

export type DocumentUploadResult = {
  documentId: string;
  versionId: string;
  /** The queued ingestion job; null when the bytes were already ingested and nothing new was queued. */
  jobId: string | null;
  /** True when identical bytes were already live and the existing document was reused. */
  deduplicated: boolean;
  status: string;
  mime: string;
  sha256: string;
  bytes: number;
};

/**
 * Accepts an upload: sniffs the type from the bytes, stores them content-addressed, then in ONE
 * transaction creates the document (or a new version of `documentId`), the version (queued), its grants,
 * the ingestion job and the `document.upload` audit event, so a version never exists without its job.
 *
 * Identical bytes that are already live (queued, processing or ready, current, of a non-deleted
 * document) are not ingested twice: the existing document is returned with `deduplicated: true`, and
 * the requested roles are MERGED into its grants (added, never removed). Rationale: only admins upload,
 * admins may grant any role, and an admin who uploads a file for role B expects role B to be able to
 * read it; silently dropping the grant would be the surprising outcome. Removing grants is a separate,
 * explicit admin action. The audit event records which roles were added.
 *
 * Throws AppError: 400 empty/bad input, 404 unknown document, 413 too large, 415 unsupported type.
 */
export async function createDocumentUpload(
  db: Db,
  input: DocumentUploadInput,
  options: { blobStore?: BlobStore; maxBytes?: number } = {},
): Promise<DocumentUploadResult> {
  const parsed = ZDocumentUploadInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('bad_request:upload', `Invalid upload: ${issue.path.join('.')} ${issue.message}`);
  }
  const { actorId, bytes, documentId } = parsed.data;
  const maxBytes = options.maxBytes ?? getIngestEnv().uploadMaxBytes;
  if (bytes.length > maxBytes) {
    throw new AppError(
      'payload_too_large:upload',
      `The file is larger than the ${maxBytes} byte upload limit.`,
    );
  }
  const type = sniffDocumentType(bytes, parsed.data.filename);
  const filename = sanitizeFilename(parsed.data.filename);
  const title = parsed.data.title || titleFromFilename(filename);
  const roleIds = [...new Set(parsed.data.roleIds)];
  const blobStore = options.blobStore ?? createBlobStore(db);
  // Bytes first, outside the transaction: content-addressed, so an orphan from a failed transaction is
  // harmless and a retry reuses it.
  const sha256 = await blobStore.put(bytes);

  try {
    return await runManaged(
      db,
      async (tx) => {
        // Serialises uploads of the same bytes, so 20 concurrent identical uploads create one document.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`upload:${sha256}`}, 0))`;
        if (documentId) {
          const rows = await tx.$queryRaw<{ id: string }[]>`
            SELECT id FROM documents WHERE id = ${documentId}::uuid AND deleted_at IS NULL FOR UPDATE`;
          if (rows.length === 0) throw new AppError('not_found:document', 'That document does not exist.');
        }
        const existing = await tx.$queryRaw<{ version_id: string; document_id: string; status: string }[]>`
          SELECT v.id AS version_id, v.document_id, v.status::text AS status
          FROM document_versions v JOIN documents d ON d.id = v.document_id
          WHERE v.sha256 = ${sha256} AND d.deleted_at IS NULL
            AND (v.status IN ('queued', 'processing') OR (v.status = 'ready' AND d.current_version_id = v.id))
            ${documentId ? Prisma.sql`AND d.id = ${documentId}::uuid` : Prisma.empty}
          ORDER BY v.created_at LIMIT 1`;
        const reuse = existing[0];
        if (reuse) {
          const added = await addGrants(tx, reuse.document_id, roleIds);
          await tx.auditEvent.create({
            data: {
              actorId,
              action: 'document.upload',
              target: `document:${reuse.document_id}`,
              data: {
                versionId: reuse.version_id,
                sha256,
                filename,
                deduplicated: true,
                addedRoleIds: added,
              },
            },
          });
          return {
            documentId: reuse.document_id,
            versionId: reuse.version_id,
            jobId: null,
            deduplicated: true,
            status: reuse.status,
            mime: type.mime,
            sha256,
            bytes: bytes.length,
          };
        }

        await tx.$executeRaw`
          INSERT INTO blobs (sha256, mime, bytes) VALUES (${sha256}, ${type.mime}, ${bytes.length})
          ON CONFLICT (sha256) DO NOTHING`;
        const document = documentId
          ? { id: documentId }
          : await tx.document.create({
              data: { title, filename, createdById: actorId },
              select: { id: true },
            });
        if (documentId) {
          await tx.document.update({ where: { id: documentId }, data: { filename, updatedAt: new Date() } });
        }
        const last = await tx.documentVersion.aggregate({
          where: { documentId: document.id },
          _max: { number: true },
        });
        const version = await tx.documentVersion.create({
          data: {
            documentId: document.id,
            number: (last._max.number ?? 0) + 1,
            sha256,
            mime: type.mime,
            bytes: bytes.length,
          },
          select: { id: true, status: true },
        });
        const added = await addGrants(tx, document.id, roleIds);
        const job = await tx.job.create({
          data: { queue: INGEST_QUEUE, payload: { versionId: version.id } },
          select: { id: true },
        });
        await tx.auditEvent.create({
          data: {
            actorId,
            action: 'document.upload',
            target: `document:${document.id}`,
            data: {
              versionId: version.id,
              sha256,
              mime: type.mime,
              bytes: bytes.length,
              filename,
              roleIds,
              addedRoleIds: added,
              newVersion: Boolean(documentId),
            },
          },
        });
        return {
          documentId: document.id,
          versionId: version.id,
          jobId: job.id.toString(),
          deduplicated: false,
          status: version.status,
          mime: type.mime,
          sha256,
          bytes: bytes.length,
        };
      },
      // PGlite serialises transactions: with many concurrent uploads one may wait for the others.
      { maxWait: 60_000, timeout: 30_000 },
    );
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') {
      throw new AppError('bad_request:upload', 'One of the selected roles does not exist.');
    }
    throw error;
  }
}

/** Inserts the grants that don't exist yet and returns the role ids actually added. */
async function addGrants(
  tx: Prisma.TransactionClient,
  documentId: string,
  roleIds: string[],
): Promise<string[]> {
  if (roleIds.length === 0) return [];
  const rows = await tx.$queryRaw<{ role_id: string }[]>`
    INSERT INTO document_grants (document_id, role_id)
    SELECT ${documentId}::uuid, r.id FROM roles r WHERE r.id = ANY(${roleIds}::uuid[])
    ON CONFLICT DO NOTHING RETURNING role_id::text`;
  const known = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM roles WHERE id = ANY(${roleIds}::uuid[])`;
  if ((known[0]?.n ?? 0) !== roleIds.length) {
    throw new AppError('bad_request:upload', 'One of the selected roles does not exist.');
  }
  return rows.map((row) => row.role_id);
}
