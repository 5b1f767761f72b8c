'use client';

import Link from 'next/link';
import { useCallback, useEffect, useId, useState } from 'react';
import type { AdminDocumentRow } from '../../app/admin/_server/admin-documents.ts';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { Input, Label } from '../ui/input.tsx';
import { Progress } from '../ui/progress.tsx';
import { RowActions } from '../ui/row-actions.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../ui/table.tsx';
import { useToast } from '../ui/toast.tsx';
import { describeError, sendAdminJson } from './admin-fetch.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { formatBytes, formatDateTime, formatMime, formatShortDateTime, isIngesting } from './format.ts';
import { GrantsDialog } from './grants-dialog.tsx';
import type { RoleOption } from './role-picker.tsx';
import { StatusBadge } from './status-badge.tsx';
import { UploadDialog } from './upload-dialog.tsx';

type Filters = { q: string; roleId: string; status: string };

const STATUS_OPTIONS = [
  { value: '', label: 'Any status' },
  { value: 'ingesting', label: 'Ingesting' },
  { value: 'ready', label: 'Ready' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' },
];

const STAGE_LABEL: Record<string, string> = {
  queued: 'Waiting for a worker',
  parsing: 'Parsing',
  chunking: 'Chunking',
  embedding: 'Embedding',
  indexing: 'Indexing',
};

// The brief's refresh rate while anything ingests: progress feels live without loading the database.
const POLL_MS = 1_000;

function toQuery(filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.roleId) params.set('roleId', filters.roleId);
  if (filters.status) params.set('status', filters.status);
  return params.toString();
}

/**
 * The Documents table with filters, the upload dialog and per-row actions. While any document is
 * ingesting it polls GET /api/admin/documents every second so progress bars move.
 */
export function DocumentsManager({
  initialDocuments,
  roles,
}: {
  initialDocuments: AdminDocumentRow[];
  roles: RoleOption[];
}) {
  const [documents, setDocuments] = useState(initialDocuments);
  const [filters, setFilters] = useState<Filters>({ q: '', roleId: '', status: '' });
  const [isUploadOpen, setUploadOpen] = useState(false);
  const [grantsFor, setGrantsFor] = useState<AdminDocumentRow | null>(null);
  const [deleting, setDeleting] = useState<AdminDocumentRow | null>(null);
  const { toast } = useToast();
  const query = toQuery(filters);
  const ids = { q: useId(), role: useId(), status: useId() };

  const refresh = useCallback(async () => {
    try {
      const { documents: rows } = await sendAdminJson<{ documents: AdminDocumentRow[] }>(
        `/api/admin/documents?${query}`,
        'GET',
      );
      setDocuments(rows);
    } catch (error) {
      toast(describeError(error), 'error');
    }
  }, [query, toast]);

  // Re-query when the filters change (debounced so typing a title doesn't send a request per key).
  useEffect(() => {
    const timer = setTimeout(() => void refresh(), 250);
    return () => clearTimeout(timer);
  }, [refresh]);

  const isAnyIngesting = documents.some((row) => isIngesting(row.status));
  useEffect(() => {
    if (!isAnyIngesting) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [isAnyIngesting, refresh]);

  async function act(url: string, success: string) {
    try {
      await sendAdminJson(url, 'POST');
      toast(success, 'success');
      await refresh();
    } catch (error) {
      toast(describeError(error), 'error');
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex min-w-48 flex-1 flex-col gap-1">
          <Label htmlFor={ids.q}>Search by title or file name</Label>
          <Input
            id={ids.q}
            type="search"
            value={filters.q}
            placeholder="e.g. maintenance manual"
            onChange={(event) => setFilters({ ...filters, q: event.target.value })}
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={ids.role}>Role</Label>
          <select
            id={ids.role}
            className="h-10 rounded-md border border-input bg-background px-3 text-sm"
            value={filters.roleId}
            onChange={(event) => setFilters({ ...filters, roleId: event.target.value })}
          >
            <option value="">Any role</option>
            {roles.map((role) => (
              <option key={role.id} value={role.id}>
                {role.name}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor={ids.status}>Status</Label>
          <select
            id={ids.status}
            className="h-10 rounded-md border border-input bg-background px-3 text-sm"
            value={filters.status}
            onChange={(event) => setFilters({ ...filters, status: event.target.value })}
          >
            {STATUS_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <Button className="ml-auto" onClick={() => setUploadOpen(true)}>
          Upload documents
        </Button>
      </div>

      <div className="rounded-lg border border-border bg-card">
        <Table aria-label="Documents">
          <TableHeader>
            <TableRow>
              <TableHead>Title</TableHead>
              <TableHead>Type</TableHead>
              <TableHead className="text-right">Size</TableHead>
              <TableHead>Roles</TableHead>
              <TableHead className="min-w-28">Status</TableHead>
              <TableHead className="text-right">Chunks</TableHead>
              <TableHead>Uploaded</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {documents.length === 0 ? (
              <TableRow>
                <TableCell colSpan={8} className="py-8 text-center text-muted-foreground">
                  No documents match. Upload documents to get started.
                </TableCell>
              </TableRow>
            ) : null}
            {documents.map((row) => (
              <TableRow key={row.id} data-testid="document-row" data-status={row.status ?? ''}>
                <TableCell className="py-1.5">
                  {/* One line: a 200-character title must not make the row a screen tall (the tooltip has it all).
                      The width cap sits on the div: table cells ignore max-width. */}
                  <div className="flex max-w-64 min-w-0 items-baseline gap-2">
                    <Link
                      href={`/admin/documents/${row.id}`}
                      title={row.title}
                      className="min-w-0 shrink truncate font-medium text-primary hover:underline"
                    >
                      {row.title}
                    </Link>
                    {row.filename && row.filename !== row.title ? (
                      <span
                        className="min-w-0 flex-1 truncate text-xs text-muted-foreground"
                        title={row.filename}
                      >
                        {row.filename}
                      </span>
                    ) : null}
                  </div>
                </TableCell>
                <TableCell className="py-1.5 whitespace-nowrap">{formatMime(row.mime)}</TableCell>
                <TableCell className="py-1.5 text-right whitespace-nowrap tabular-nums">
                  {formatBytes(row.bytes)}
                </TableCell>
                <TableCell className="py-1.5">
                  {row.roles.length === 0 ? (
                    <Badge variant="warning">Nobody</Badge>
                  ) : (
                    <ul className="flex max-w-44 flex-wrap gap-1" aria-label="Granted roles">
                      {row.roles.map((role) => (
                        <li key={role.id} className="max-w-full">
                          <Badge className="max-w-full whitespace-nowrap" title={role.name}>
                            <span className="min-w-0 truncate">{role.name}</span>
                          </Badge>
                        </li>
                      ))}
                    </ul>
                  )}
                </TableCell>
                <TableCell className="py-1.5">
                  <StatusBadge status={row.status} />
                  {isIngesting(row.status) ? (
                    <div className="mt-1">
                      <Progress value={row.progress} label={`Ingestion of ${row.title}`} />
                      <p className="mt-1 text-xs text-muted-foreground">
                        {STAGE_LABEL[row.stage ?? ''] ?? row.stage} · {row.progress}%
                      </p>
                    </div>
                  ) : null}
                  {row.status === 'failed' || row.status === 'cancelled' ? (
                    <p
                      className="mt-1 max-w-64 text-xs break-words text-destructive"
                      data-testid="failure-reason"
                    >
                      {row.error ?? 'No reason recorded.'}
                    </p>
                  ) : null}
                </TableCell>
                <TableCell className="py-1.5 text-right tabular-nums">
                  {row.isSearchable ? row.chunkCount : '—'}
                </TableCell>
                <TableCell
                  className="py-1.5 text-xs"
                  title={`${formatDateTime(row.createdAt)} by ${row.uploadedBy ?? 'CLI'}`}
                >
                  {/* "Nov 30" over "19:31": short pieces that never wrap, so the column stays narrow and
                      rows stay two lines; the full timestamp and uploader are in the tooltip. */}
                  {formatShortDateTime(row.createdAt).map((part) => (
                    <span key={part} className="block whitespace-nowrap">
                      {part}
                    </span>
                  ))}
                </TableCell>
                <TableCell className="py-1 text-right">
                  <RowActions
                    label={`Actions for ${row.title}`}
                    actions={[
                      { label: 'Edit grants', onSelect: () => setGrantsFor(row) },
                      row.status === 'failed' || row.status === 'cancelled'
                        ? {
                            label: 'Retry',
                            onSelect: () =>
                              act(`/api/admin/versions/${row.versionId}/retry`, `Retrying "${row.title}"`),
                          }
                        : {
                            label: 'Re-index',
                            disabled: isIngesting(row.status),
                            onSelect: () =>
                              act(`/api/admin/documents/${row.id}/reindex`, `Re-indexing "${row.title}"`),
                          },
                      { label: 'Delete', isDestructive: true, onSelect: () => setDeleting(row) },
                    ]}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <p className="text-xs text-muted-foreground" aria-live="polite">
        {documents.length} document{documents.length === 1 ? '' : 's'}
        {isAnyIngesting ? ' · ingestion in progress, updating every second' : ''}
      </p>

      <UploadDialog
        open={isUploadOpen}
        onClose={() => setUploadOpen(false)}
        roles={roles}
        onUploaded={() => void refresh()}
      />
      <GrantsDialog
        document={grantsFor}
        roles={roles}
        onClose={() => setGrantsFor(null)}
        onSaved={(message) => {
          setGrantsFor(null);
          toast(message, 'success');
          void refresh();
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete document"
        description={
          deleting
            ? `"${deleting.title}" will disappear from every answer and search at once. This cannot be undone.`
            : undefined
        }
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          try {
            await sendAdminJson(`/api/admin/documents/${deleting.id}`, 'DELETE');
            toast(`Deleted "${deleting.title}"`, 'success');
            setDeleting(null);
            await refresh();
          } catch (error) {
            toast(describeError(error), 'error');
          }
        }}
      />
    </div>
  );
}
