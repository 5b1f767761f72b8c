import 'server-only';
import { type AccessScope, isUuid, recordAudit, withScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { type BlobStore, createBlobStore } from '@clearance/retrieval';
import { getReadableDocument } from './get-document-reader.ts';

const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'text/markdown': '.md',
  'text/html': '.html',
  'text/csv': '.csv',
  'text/plain': '.txt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
};

/** A download name from the uploader's file name or the title: letters, digits, dot, dash, underscore. */
export function downloadName(name: string, mime: string): string {
  const base =
    name
      .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
      .trim()
      .slice(0, 120) || 'document';
  const extension = EXTENSIONS[mime] ?? '';
  return extension && !base.toLowerCase().endsWith(extension) ? `${base}${extension}` : base;
}

/**
 * The original bytes of a document version the scope may read (the current version unless a version of
 * this document is named). Same not_found as for a document that does not exist; the download is
 * audited before the bytes are returned.
 */
export async function getOriginalFile(
  db: Db,
  scope: AccessScope,
  input: { documentId: string; versionId?: string | null },
  blobStore: BlobStore = createBlobStore(db),
): Promise<{ bytes: Uint8Array; mime: string; filename: string }> {
  if (input.versionId && !isUuid(input.versionId)) throw new AppError('not_found:document');
  const document = await getReadableDocument(db, scope, input.documentId);
  const version = await withScope(db, scope, async (tx) => {
    const found = await tx.documentVersion.findFirst({
      where: {
        documentId: document.id,
        ...(input.versionId ? { id: input.versionId } : { id: document.currentVersion?.id ?? '' }),
      },
      select: { id: true, sha256: true, mime: true },
    });
    if (!found) throw new AppError('not_found:document');
    await recordAudit(tx, {
      actorId: scope.userId,
      action: 'document.download',
      target: `document:${document.id}`,
      data: { via: scope.via, versionId: found.id, roleIds: scope.roleIds },
    });
    return found;
  });
  const chunks: Buffer[] = [];
  for await (const chunk of await blobStore.openReadStream(version.sha256)) chunks.push(Buffer.from(chunk));
  return {
    bytes: Buffer.concat(chunks),
    mime: version.mime,
    filename: downloadName(document.filename ?? document.title, version.mime),
  };
}
