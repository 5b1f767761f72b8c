import { getDb } from '@clearance/db';
import type { Metadata } from 'next';
import Link from 'next/link';
import { formatDateTime } from '../../components/admin/format.ts';
import { PageHeader, StatCard } from '../../components/admin/page-header.tsx';
import { StatusBadge } from '../../components/admin/status-badge.tsx';
import { Card } from '../../components/ui/card.tsx';
import { Progress } from '../../components/ui/progress.tsx';
import { requireAdminPage } from './_server/admin-access.ts';
import { getAdminOverview } from './_server/admin-overview.ts';

export const metadata: Metadata = { title: 'Overview' };

/** /admin: counts, ingestion in progress and recent activity. */
export default async function AdminOverviewPage() {
  const scope = await requireAdminPage();
  const overview = await getAdminOverview(getDb(), scope);
  const { counts } = overview;
  return (
    <>
      <PageHeader title="Overview" description="Documents, people and activity at a glance." />
      <section aria-label="Counts" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <StatCard label="Documents" value={counts.documents} hint={`${counts.searchable} searchable`} />
        <StatCard label="Failed ingestions" value={counts.failed} hint="Retry them from Documents" />
        <StatCard label="Active users" value={counts.users} hint={`${counts.disabledUsers} disabled`} />
        <StatCard
          label="Questions, last 7 days"
          value={counts.questionsLast7Days}
          hint={`${counts.roles} roles`}
        />
      </section>
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="text-base font-semibold">Ingestion in progress</h2>
          {overview.ingesting.length === 0 ? (
            <p className="mt-2 text-sm text-muted-foreground">Nothing is being ingested right now.</p>
          ) : (
            <ul className="mt-3 flex flex-col gap-3">
              {overview.ingesting.map((row) => (
                <li key={row.id}>
                  <div className="flex items-center justify-between gap-2 text-sm">
                    <Link
                      href={`/admin/documents/${row.id}`}
                      className="truncate text-primary hover:underline"
                    >
                      {row.title}
                    </Link>
                    <StatusBadge status={row.status} />
                  </div>
                  <Progress value={row.progress} label={`Ingestion of ${row.title}`} className="mt-1" />
                </li>
              ))}
            </ul>
          )}
          <Link href="/admin/documents" className="mt-4 inline-block text-sm text-primary underline">
            All documents
          </Link>
        </Card>
        <Card>
          <h2 className="text-base font-semibold">Recent activity</h2>
          {overview.recent.length === 0 ? (
            <p className="mt-2 text-sm text-muted-foreground">No activity yet.</p>
          ) : (
            <ul className="mt-3 divide-y divide-border text-sm">
              {overview.recent.map((event) => (
                <li key={event.id} className="flex flex-wrap items-baseline justify-between gap-x-3 py-2">
                  <span>
                    <span className="font-mono text-xs">{event.action}</span>{' '}
                    <span className="text-muted-foreground">by {event.actor ?? 'system'}</span>
                    {event.targetLabel ? <span> · {event.targetLabel}</span> : null}
                  </span>
                  <span className="text-xs text-muted-foreground">{formatDateTime(event.at)}</span>
                </li>
              ))}
            </ul>
          )}
          <Link href="/admin/audit" className="mt-4 inline-block text-sm text-primary underline">
            Full audit trail
          </Link>
        </Card>
      </div>
    </>
  );
}
