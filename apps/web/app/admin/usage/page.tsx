import { getDb } from '@clearance/db';
import type { Metadata } from 'next';
import Link from 'next/link';
import { BarChart, LineChart } from '../../../components/admin/charts.tsx';
import { formatDateTime, formatMs, formatPercent } from '../../../components/admin/format.ts';
import { PageHeader, StatCard } from '../../../components/admin/page-header.tsx';
import { Card } from '../../../components/ui/card.tsx';
import { requireAdminPage } from '../_server/admin-access.ts';
import { getAdminUsage } from '../_server/admin-usage.ts';

export const metadata: Metadata = { title: 'Usage' };

/** /admin/usage: questions, users, unanswered rate, feedback, citations and latency over 30 days. */
export default async function AdminUsagePage() {
  const scope = await requireAdminPage();
  const usage = await getAdminUsage(getDb(), scope, 30);
  const { totals } = usage;
  const rated = totals.thumbsUp + totals.thumbsDown;
  return (
    <>
      <PageHeader title="Usage" description={`The last ${usage.days} days.`} />
      <section aria-label="Totals" className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        <StatCard label="Questions" value={totals.questions} />
        <StatCard label="Active users" value={totals.activeUsers} />
        <StatCard
          label="Unanswered"
          value={formatPercent(totals.unansweredRate)}
          hint="Nothing readable matched"
        />
        <StatCard
          label="Helpful"
          value={rated ? formatPercent(totals.thumbsUp / rated) : '—'}
          hint={`${totals.thumbsUp} up · ${totals.thumbsDown} down`}
        />
        <StatCard
          label="Answer latency"
          value={formatMs(totals.p50Ms)}
          hint={`p95 ${formatMs(totals.p95Ms)}`}
        />
      </section>
      <div className="mt-6 grid gap-6 xl:grid-cols-2">
        <Card>
          <BarChart
            title="Questions per day"
            points={usage.daily.map((day) => ({ label: day.day, value: day.questions }))}
          />
        </Card>
        <Card>
          <BarChart
            title="Active users per day"
            points={usage.daily.map((day) => ({ label: day.day, value: day.activeUsers }))}
          />
        </Card>
        <Card>
          <BarChart
            title="Unanswered rate per day"
            unit="%"
            points={usage.daily.map((day) => ({
              label: day.day,
              value: day.questions ? Math.round((day.unanswered / day.questions) * 100) : 0,
            }))}
          />
        </Card>
        <Card>
          <LineChart
            title="Answer latency"
            unit=" ms"
            series={[
              {
                name: 'p50',
                className: 'stroke-primary',
                points: usage.daily.map((day) => ({ label: day.day, value: day.p50Ms })),
              },
              {
                name: 'p95',
                className: 'stroke-warning',
                points: usage.daily.map((day) => ({ label: day.day, value: day.p95Ms })),
              },
            ]}
          />
        </Card>
      </div>
      <div className="mt-6 grid gap-6 xl:grid-cols-2">
        <Card>
          <h2 className="text-base font-semibold">Most cited documents</h2>
          {usage.topDocuments.length === 0 ? (
            <p className="mt-2 text-sm text-muted-foreground">No citations yet.</p>
          ) : (
            <ol className="mt-3 flex flex-col gap-2">
              {usage.topDocuments.map((doc) => {
                const share = doc.citations / (usage.topDocuments[0]?.citations || 1);
                return (
                  <li key={doc.documentId} className="text-sm">
                    <div className="flex justify-between gap-2">
                      <Link
                        href={`/admin/documents/${doc.documentId}`}
                        className="truncate text-primary hover:underline"
                      >
                        {doc.title}
                      </Link>
                      <span className="tabular-nums">{doc.citations}</span>
                    </div>
                    <svg
                      viewBox="0 0 100 4"
                      preserveAspectRatio="none"
                      className="mt-1 h-1.5 w-full"
                      aria-hidden="true"
                    >
                      <rect width="100" height="4" rx="2" className="fill-muted" />
                      <rect width={Math.max(2, share * 100)} height="4" rx="2" className="fill-primary" />
                    </svg>
                  </li>
                );
              })}
            </ol>
          )}
        </Card>
        <Card>
          <h2 className="text-base font-semibold">Thumbs-down answers</h2>
          {usage.thumbsDown.length === 0 ? (
            <p className="mt-2 text-sm text-muted-foreground">No negative feedback in this period.</p>
          ) : (
            <ul className="mt-3 flex max-h-[32rem] flex-col gap-3 overflow-y-auto">
              {usage.thumbsDown.map((item) => (
                <li key={item.messageId} className="rounded-md border border-border p-3 text-sm">
                  <p className="text-xs text-muted-foreground">
                    {item.user} · {formatDateTime(item.at)}
                  </p>
                  {item.question ? <p className="mt-1 font-medium break-words">“{item.question}”</p> : null}
                  <p className="mt-1 line-clamp-3 text-muted-foreground break-words">{item.answer}</p>
                  <p className="mt-2 break-words">
                    <span className="font-medium">Comment: </span>
                    {item.comment ?? <span className="text-muted-foreground">none</span>}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
