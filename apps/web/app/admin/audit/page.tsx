import { getDb } from '@clearance/db';
import type { Metadata } from 'next';
import Link from 'next/link';
import { formatDateTime } from '../../../components/admin/format.ts';
import { PageHeader } from '../../../components/admin/page-header.tsx';
import { buttonClasses } from '../../../components/ui/button.tsx';
import { Input, Label } from '../../../components/ui/input.tsx';
import { requireAdminPage } from '../_server/admin-access.ts';
import {
  type AuditEventView,
  type AuditQuery,
  findAuditPage,
  type PassageRef,
  ZAuditQuery,
} from '../_server/admin-audit.ts';

export const metadata: Metadata = { title: 'Audit' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const ACTIONS = [
  'chat.question',
  'chat.answer',
  'search.query',
  'document.read',
  'admin.see_as',
  'document.upload',
  'document.grants',
  'document.delete',
  'document.reindex',
  'document.retry',
  'user.create',
  'user.roles',
  'user.disable',
  'user.enable',
  'user.password_reset',
  'apikey.create',
  'apikey.revoke',
  'apikey.revoke_all',
  'role.create',
  'role.rename',
  'role.delete',
  'auth.sign_in',
  'auth.sign_in_failed',
  'audit.export',
];

function toParams(query: AuditQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...extra }))
    if (value) params.set(key, String(value));
  return params.toString();
}

function Passages({ label, passages }: { label: string; passages: PassageRef[] }) {
  if (passages.length === 0) return <p className="text-xs text-muted-foreground">{label}: none</p>;
  return (
    <div>
      <p className="text-xs font-semibold">{label}</p>
      <ol className="mt-1 flex flex-col gap-1">
        {passages.map((passage) => (
          <li
            key={`${passage.chunkId}-${passage.documentId}-${passage.marker ?? ''}`}
            className="rounded border border-border p-2 text-xs"
          >
            <span className="font-medium">
              {passage.marker !== undefined ? `[${passage.marker}] ` : ''}
              {passage.title}
            </span>
            <span className="mt-0.5 line-clamp-3 block text-muted-foreground">
              {passage.text ??
                (passage.hidden === 'not_cleared'
                  ? 'Text hidden: none of your roles may read this document (admin is not a clearance).'
                  : 'Passage no longer stored (the document was re-indexed or deleted).')}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function EventRow({ event }: { event: AuditEventView }) {
  const hasPassages = event.retrieved !== undefined;
  return (
    <li className="px-4 py-3" data-testid="audit-event" data-action={event.action}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <p className="text-sm">
          <span className="font-mono text-xs font-semibold">{event.action}</span>{' '}
          <span className="text-muted-foreground">by</span> {event.actor ?? 'system'}
          {event.targetLabel || event.target ? (
            <span className="text-muted-foreground"> · {event.targetLabel ?? event.target}</span>
          ) : null}
        </p>
        <time dateTime={event.at} className="text-xs text-muted-foreground">
          {formatDateTime(event.at)}
        </time>
      </div>
      {event.question ? <p className="mt-1 text-sm break-words">“{event.question}”</p> : null}
      <details className="mt-1">
        <summary className="cursor-pointer text-xs text-primary">
          {hasPassages ? 'Passages and details' : 'Details'}
        </summary>
        <div className="mt-2 flex flex-col gap-3">
          {hasPassages ? (
            <div className="grid gap-3 lg:grid-cols-2">
              <Passages label="Retrieved" passages={event.retrieved ?? []} />
              <Passages label="Cited" passages={event.cited ?? []} />
            </div>
          ) : null}
          <pre className="max-h-64 overflow-auto rounded bg-muted p-2 text-xs">
            {JSON.stringify(event.data, null, 2)}
          </pre>
        </div>
      </details>
    </li>
  );
}

/** /admin/audit: the append-only trail, filtered and paginated, with exports. */
export default async function AdminAuditPage({ searchParams }: Props) {
  const scope = await requireAdminPage();
  const raw = await searchParams;
  const parsed = ZAuditQuery.safeParse(
    Object.fromEntries(Object.entries(raw).filter(([, value]) => typeof value === 'string' && value !== '')),
  );
  const query: AuditQuery = parsed.success ? parsed.data : {};
  const { events, nextCursor } = await findAuditPage(getDb(), scope, query);
  const { cursor: _cursor, ...filters } = query;
  return (
    <>
      <PageHeader
        title="Audit"
        description="Every sign-in, change and question, append-only. Questions show the passages retrieved and cited."
        actions={
          <>
            <a
              className={buttonClasses('outline', 'sm')}
              href={`/api/admin/audit/export?${toParams(filters, { format: 'csv' })}`}
              download
            >
              Export CSV
            </a>
            <a
              className={buttonClasses('outline', 'sm')}
              href={`/api/admin/audit/export?${toParams(filters, { format: 'jsonl' })}`}
              download
            >
              Export JSON lines
            </a>
          </>
        }
      />
      {!parsed.success ? (
        <p role="alert" className="mb-3 text-sm text-destructive">
          Some filters were not valid and were ignored.
        </p>
      ) : null}
      <form
        method="get"
        className="mb-4 grid gap-3 rounded-lg border border-border bg-card p-4 sm:grid-cols-2 lg:grid-cols-6"
        aria-label="Audit filters"
      >
        <div className="flex flex-col gap-1 lg:col-span-2">
          <Label htmlFor="audit-actor">Actor (email)</Label>
          <Input
            id="audit-actor"
            name="actor"
            defaultValue={query.actor ?? ''}
            placeholder="admin@example.com"
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="audit-action">Action</Label>
          <select
            id="audit-action"
            name="action"
            defaultValue={query.action ?? ''}
            className="h-10 rounded-md border border-input bg-background px-3 text-sm"
          >
            <option value="">Any action</option>
            {ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1 lg:col-span-3">
          <Label htmlFor="audit-document">Document id</Label>
          <Input
            id="audit-document"
            name="document"
            defaultValue={query.document ?? ''}
            placeholder="Document UUID"
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="audit-from">From</Label>
          <Input id="audit-from" name="from" type="date" defaultValue={query.from ?? ''} />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="audit-to">To</Label>
          <Input id="audit-to" name="to" type="date" defaultValue={query.to ?? ''} />
        </div>
        <div className="flex items-end gap-2 lg:col-span-4">
          <button type="submit" className={buttonClasses('primary', 'md')}>
            Apply filters
          </button>
          <Link href="/admin/audit" className={buttonClasses('ghost', 'md')}>
            Clear
          </Link>
        </div>
      </form>
      <section aria-label="Audit events" className="rounded-lg border border-border bg-card">
        {events.length === 0 ? (
          <p className="p-6 text-center text-sm text-muted-foreground">No events match these filters.</p>
        ) : (
          <ul className="divide-y divide-border">
            {events.map((event) => (
              <EventRow key={event.id} event={event} />
            ))}
          </ul>
        )}
      </section>
      <nav aria-label="Audit pages" className="mt-4 flex justify-between">
        {query.cursor ? (
          <Link href={`/admin/audit?${toParams(filters)}`} className={buttonClasses('outline', 'sm')}>
            Newest
          </Link>
        ) : (
          <span />
        )}
        {nextCursor ? (
          <Link
            href={`/admin/audit?${toParams(filters, { cursor: nextCursor })}`}
            className={buttonClasses('outline', 'sm')}
          >
            Older events
          </Link>
        ) : null}
      </nav>
    </>
  );
}
