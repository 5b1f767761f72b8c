// `npm run bench:fair-ingest`: does a large ingestion starve other users? Uploads one large Markdown
// document (default ~7.3 MB, about 8,000 chunks), lets a worker process ingest it, and meanwhile fires
// rounds of 20 concurrent searches (through a pool shaped like the web app's: 10 connections, 5 s connect
// timeout), then deletes the document under the same load. Prints search p50/p95/max and failures for
// idle, during ingestion and during deletion. A benchmark, not a test. Options: --mb M --rounds-idle N.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createDb, findRepoRoot, getDb, resolveDatabaseUrl } from '@clearance/db';
import { loadEmbedder } from '@clearance/inference';
import { createDocumentUpload, deleteDocument, quantile, searchChunks } from '@clearance/retrieval';
import { buildMarkdown } from '../test/fixtures.ts';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '7.3' }, concurrency: { type: 'string', default: '20' } },
});
const concurrency = Number(values.concurrency);
const db = getDb();
// What the web app holds: its own pool, 10 connections, 5 s to connect (client.ts poolConfig).
const web = createDb(resolveDatabaseUrl(), { max: 10 });
const embedder = await loadEmbedder();

type Sample = { ms: number; error?: string };
const QUERIES = ['pump pressure inspection', 'valve torque schedule', 'engine bearing seal', 'torque'];

async function searchRound(scope: {
  userId: string;
  roleIds: string[];
  isAdmin: boolean;
}): Promise<Sample[]> {
  return Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const t0 = performance.now();
      try {
        await searchChunks(web, { scope, query: QUERIES[i % QUERIES.length]!, k: 10, embedder });
        return { ms: performance.now() - t0 };
      } catch (error) {
        return { ms: performance.now() - t0, error: (error as Error).message.split('\n').at(-1) };
      }
    }),
  );
}

function summarize(label: string, samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const failed = samples.filter((s) => s.error);
  console.log(
    `${label.padEnd(18)} searches=${samples.length} failed=${failed.length} p50=${Math.round(quantile(ms, 0.5))}ms p95=${Math.round(quantile(ms, 0.95))}ms max=${Math.round(ms.at(-1) ?? 0)}ms`,
  );
  for (const reason of new Set(failed.map((s) => s.error))) console.log(`  failure: ${reason}`);
}

const role = await db.role.create({ data: { name: `bench-fair-${randomUUID().slice(0, 8)}` } });
const scope = { userId: randomUUID(), roleIds: [role.id], isAdmin: false };
await createDocumentUpload(db, {
  actorId: null,
  bytes: new TextEncoder().encode(buildMarkdown(`Small ${Date.now()}`, 20)),
  filename: 'small.md',
  roleIds: [role.id],
});

let worker: ChildProcess | undefined;
const startWorker = () => {
  const log = path.join(tmpdir(), `clearance-fair-ingest-worker-${process.pid}.log`);
  const fd = openSync(log, 'a');
  worker = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(findRepoRoot(), 'apps/worker/src/main.ts')],
    {
      stdio: ['ignore', fd, fd],
      env: process.env,
    },
  );
  closeSync(fd);
  console.log(`worker log: ${log}`);
};
startWorker();
await sleep(8_000);

const idle: Sample[] = [];
for (let i = 0; i < 3; i++) idle.push(...(await searchRound(scope)));
summarize('idle', idle);

const paragraphs = Math.round((Number(values.mb) * 1024 * 1024) / 175);
const bytes = new TextEncoder().encode(buildMarkdown(`Large ${Date.now()}`, paragraphs));
const upload = await createDocumentUpload(
  db,
  { actorId: null, bytes, filename: 'large.md', roleIds: [role.id] },
  { maxBytes: 100 * 1024 * 1024 },
);
console.log(`uploaded ${(bytes.length / 1e6).toFixed(1)} MB`);
const during: Sample[] = [];
const t0 = performance.now();
let status = 'queued';
let chunks = 0;
while (status !== 'ready' && status !== 'failed') {
  during.push(...(await searchRound(scope)));
  const version = await db.documentVersion.findUnique({ where: { id: upload.versionId } });
  status = version?.status ?? 'failed';
  chunks = version?.chunkCount ?? 0;
  await sleep(250);
}
console.log(`ingestion ${status}: ${chunks} chunks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
summarize('during ingestion', during);

const deleting = deleteDocument(db, { actorId: null, documentId: upload.documentId });
const whileDeleting: Sample[] = [];
let deleted = false;
const deleteStarted = performance.now();
void deleting.then(() => {
  deleted = true;
});
while (!deleted) whileDeleting.push(...(await searchRound(scope)));
console.log(`deleted in ${Math.round(performance.now() - deleteStarted)} ms`);
summarize('during deletion', whileDeleting);

worker?.kill('SIGTERM');
await new Promise((resolve) => worker?.once('exit', resolve));
await web.$disconnect();
await db.$disconnect();
process.exit(0);
