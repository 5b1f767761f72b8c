import { getDb } from '@clearance/db';
import type { Metadata } from 'next';
import { formatBytes, formatDateTime } from '../../../components/admin/format.ts';
import { PageHeader, StatCard } from '../../../components/admin/page-header.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import { Card } from '../../../components/ui/card.tsx';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '../../../components/ui/table.tsx';
import { requireAdminPage } from '../_server/admin-access.ts';
import { getAdminSystem } from '../_server/admin-system.ts';

export const metadata: Metadata = { title: 'System' };

/** /admin/system: database, models, workers and the ingestion queue. */
export default async function AdminSystemPage() {
  const scope = await requireAdminPage();
  const system = await getAdminSystem(getDb(), scope);
  const queued = system.queue
    .filter((row) => row.status === 'queued')
    .reduce((sum, row) => sum + row.count, 0);
  const running = system.queue
    .filter((row) => row.status === 'running')
    .reduce((sum, row) => sum + row.count, 0);
  const failed = system.queue
    .filter((row) => row.status === 'failed')
    .reduce((sum, row) => sum + row.count, 0);
  const liveWorkers = system.workers.filter((worker) => worker.isAlive).length;
  return (
    <>
      <PageHeader title="System" description="What Clearance runs on, and whether it is healthy." />
      <section aria-label="Status" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <StatCard
          label="Database"
          value={system.database.kind === 'embedded' ? 'Embedded' : 'PostgreSQL'}
          hint={`${system.database.kind === 'embedded' ? 'PGlite, ' : ''}server ${system.database.serverVersion}`}
        />
        <StatCard
          label="Database size"
          value={formatBytes(system.database.sizeBytes)}
          hint={`${system.chunks} chunks`}
        />
        <StatCard label="pgvector" value={system.database.pgvector ?? 'missing'} />
        <StatCard
          label="Workers alive"
          value={liveWorkers}
          hint={`${queued} queued · ${running} running · ${failed} failed jobs`}
        />
      </section>
      <div className="mt-6 grid gap-6 xl:grid-cols-2">
        <Card>
          <h2 className="text-base font-semibold">Models</h2>
          <p className="text-sm text-muted-foreground">
            Generator: <span className="font-mono">{system.generator}</span>
            {system.embedder ? (
              <>
                {' '}
                · Embedder: <span className="font-mono">{system.embedder}</span>
              </>
            ) : null}
          </p>
          {system.modelsError ? (
            <p role="alert" className="mt-2 text-sm text-destructive">
              {system.modelsError}
            </p>
          ) : null}
          <Table aria-label="Models" className="mt-2">
            <TableHeader>
              <TableRow>
                <TableHead>Model</TableHead>
                <TableHead>Kind</TableHead>
                <TableHead className="text-right">Dimensions</TableHead>
                <TableHead>Device</TableHead>
                <TableHead>Loaded here</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {system.models.map((model) => (
                <TableRow key={`${model.kind}-${model.id}`}>
                  <TableCell className="font-mono text-xs break-all">{model.id}</TableCell>
                  <TableCell>{model.kind}</TableCell>
                  <TableCell className="text-right tabular-nums">{model.dimension ?? '—'}</TableCell>
                  <TableCell>{model.device}</TableCell>
                  <TableCell>{model.loaded ? 'Yes' : 'Not yet'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <h3 className="mt-4 text-sm font-semibold">Vectors per embedder</h3>
          <ul className="mt-1 text-sm">
            {system.index.length === 0 ? <li className="text-muted-foreground">No vectors yet.</li> : null}
            {system.index.map((row) => (
              <li key={row.embedderId}>
                <span className="font-mono text-xs">{row.embedderId}</span>: {row.vectors}
              </li>
            ))}
          </ul>
        </Card>
        <Card>
          <h2 className="text-base font-semibold">Workers</h2>
          {system.workers.length === 0 ? (
            <p className="mt-2 text-sm text-destructive">
              No worker has ever reported: uploads will wait in the queue.
            </p>
          ) : (
            <Table aria-label="Workers" className="mt-2">
              <TableHeader>
                <TableRow>
                  <TableHead>Worker</TableHead>
                  <TableHead>Last heartbeat</TableHead>
                  <TableHead>State</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {system.workers.map((worker) => (
                  <TableRow key={worker.id}>
                    <TableCell className="text-xs break-all">
                      {worker.hostname} · pid {worker.pid}
                    </TableCell>
                    <TableCell className="text-xs whitespace-nowrap">
                      {formatDateTime(worker.beatAt)}
                    </TableCell>
                    <TableCell>
                      {worker.isAlive ? (
                        <Badge variant="success">Alive</Badge>
                      ) : (
                        <Badge variant="destructive">Silent</Badge>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <h2 className="mt-6 text-base font-semibold">Queue</h2>
          <Table aria-label="Queue depth" className="mt-2">
            <TableHeader>
              <TableRow>
                <TableHead>Queue</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Jobs</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {system.queue.map((row) => (
                <TableRow key={`${row.queue}-${row.status}`}>
                  <TableCell>{row.queue}</TableCell>
                  <TableCell>{row.status}</TableCell>
                  <TableCell className="text-right tabular-nums">{row.count}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {system.failedJobs.length > 0 ? (
            <>
              <h3 className="mt-4 text-sm font-semibold">Recent failed jobs</h3>
              <ul className="mt-1 flex flex-col gap-1 text-xs">
                {system.failedJobs.map((job) => (
                  <li key={job.id} className="rounded border border-border p-2 break-words">
                    #{job.id} {job.queue} · {job.attempts} attempts · {formatDateTime(job.finishedAt)}
                    <span className="block text-destructive">{job.lastError ?? 'No error recorded.'}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Card>
      </div>
    </>
  );
}
