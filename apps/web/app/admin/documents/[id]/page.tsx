import { getDb } from '@clearance/db';
import { isAppError } from '@clearance/errors';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DocumentTitleForm } from '../../../../components/admin/document-title-form.tsx';
import { formatBytes, formatDateTime, formatMime } from '../../../../components/admin/format.ts';
import { PageHeader } from '../../../../components/admin/page-header.tsx';
import { StatusBadge } from '../../../../components/admin/status-badge.tsx';
import { Badge } from '../../../../components/ui/badge.tsx';
import { Card } from '../../../../components/ui/card.tsx';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '../../../../components/ui/table.tsx';
import { requireAdminPage } from '../../_server/admin-access.ts';
import { type AdminDocumentDetail, getAdminDocument } from '../../_server/admin-documents.ts';

export const metadata: Metadata = { title: 'Document' };

type Props = { params: Promise<{ id: string }> };

/** /admin/documents/:id: metadata, every version with its ingestion outcome, and a chunk preview. */
export default async function AdminDocumentPage({ params }: Props) {
  const scope = await requireAdminPage();
  const { id } = await params;
  let detail: AdminDocumentDetail;
  try {
    detail = await getAdminDocument(getDb(), scope, id);
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
  const { document, versions, chunks, totalChunks, canReadText } = detail;
  return (
    <>
      <Link href="/admin/documents" className="text-sm text-primary underline">
        ← All documents
      </Link>
      <div className="mt-3">
        <PageHeader title={document.title} description={document.filename ?? undefined} />
      </div>
      <div className="mb-6 max-w-xl">
        <DocumentTitleForm documentId={document.id} title={document.title} />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-1">
          <h2 className="text-base font-semibold">Metadata</h2>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-muted-foreground">Status</dt>
            <dd>
              <StatusBadge status={document.status} />
            </dd>
            <dt className="text-muted-foreground">Type</dt>
            <dd>{formatMime(document.mime)}</dd>
            <dt className="text-muted-foreground">Size</dt>
            <dd>{formatBytes(document.bytes)}</dd>
            <dt className="text-muted-foreground">Chunks</dt>
            <dd>{document.isSearchable ? document.chunkCount : '—'}</dd>
            <dt className="text-muted-foreground">Uploaded by</dt>
            <dd className="break-all">{document.uploadedBy ?? 'CLI'}</dd>
            <dt className="text-muted-foreground">Uploaded</dt>
            <dd>{formatDateTime(document.createdAt)}</dd>
            <dt className="text-muted-foreground">Readable by</dt>
            <dd>
              {document.roles.length === 0 ? (
                <Badge variant="warning">Nobody</Badge>
              ) : (
                <ul className="flex flex-wrap gap-1">
                  {document.roles.map((role) => (
                    <li key={role.id}>
                      <Badge>{role.name}</Badge>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
        </Card>
        <Card className="lg:col-span-2">
          <h2 className="text-base font-semibold">Versions</h2>
          <Table aria-label="Versions" className="mt-2">
            <TableHeader>
              <TableRow>
                <TableHead>#</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Chunks</TableHead>
                <TableHead>Embedder</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Outcome</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {versions.map((version) => (
                <TableRow key={version.id}>
                  <TableCell>
                    {version.number}
                    {version.id === document.currentVersionId ? (
                      <span className="ml-1 text-xs text-muted-foreground">(current)</span>
                    ) : null}
                  </TableCell>
                  <TableCell>
                    <StatusBadge status={version.status} />
                    {version.status === 'processing' ? (
                      <span className="ml-1 text-xs text-muted-foreground">
                        {version.stage} {version.progress}%
                      </span>
                    ) : null}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{version.chunkCount}</TableCell>
                  <TableCell className="font-mono text-xs">{version.embedderId ?? '—'}</TableCell>
                  <TableCell className="text-xs whitespace-nowrap">
                    {formatDateTime(version.createdAt)}
                  </TableCell>
                  <TableCell className="max-w-64 text-xs break-words">
                    {version.error ? <span className="text-destructive">{version.error}</span> : null}
                    {!version.error && version.finishedAt
                      ? `Finished ${formatDateTime(version.finishedAt)}`
                      : null}
                    {version.attempts > 1 ? ` · ${version.attempts} attempts` : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      </div>
      <section aria-labelledby="chunk-preview" className="mt-6">
        <h2 id="chunk-preview" className="text-base font-semibold">
          Chunk preview
        </h2>
        <p className="text-sm text-muted-foreground">
          {totalChunks === 0
            ? 'No searchable chunks yet.'
            : `The first ${chunks.length} of ${totalChunks} chunks of the current version, as retrieval sees them.`}
        </p>
        {totalChunks > 0 && !canReadText ? (
          <p className="mt-2 text-sm" role="note" data-testid="text-hidden">
            Passage text is hidden: admin manages documents but does not clear you to read them. Text shows
            here (and is audited) when one of your own roles is granted this document.
          </p>
        ) : null}
        <ol className="mt-3 flex flex-col gap-3">
          {chunks.map((chunk) => (
            <li
              key={chunk.id}
              className="rounded-md border border-border bg-card p-3"
              data-testid="chunk-preview"
            >
              <p className="mb-1 text-xs text-muted-foreground">
                #{chunk.ordinal + 1}
                {chunk.page != null ? ` · page ${chunk.page}` : ''}
                {chunk.headingPath.length ? ` · ${chunk.headingPath.join(' › ')}` : ''} · {chunk.tokens}{' '}
                tokens
              </p>
              {chunk.text !== null ? (
                <p className="text-sm whitespace-pre-wrap break-words">{chunk.text}</p>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
