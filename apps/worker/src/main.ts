// Worker process: `npm start --workspace @clearance/worker`. Loads the embedder once, heartbeats, and
// processes ingestion jobs until SIGINT/SIGTERM, then releases what it holds and exits.
import { purgeExpiredAuditTexts } from '@clearance/auth';
import { getDb, isEmbeddedDatabase } from '@clearance/db';
import { loadEmbedder } from '@clearance/inference';
import { createBlobStore } from '@clearance/retrieval';
import { getWorkerEnv } from './env.ts';
import { removeHeartbeat, writeHeartbeat } from './heartbeat.ts';
import { stopParser } from './pipeline/parse/parse-in-child.ts';
import { createWorkerId, runWorker } from './run-worker.ts';

const HEARTBEAT_MS = 5_000;
// The embedded database's statistics refreshed after every 2,000 new chunks (a few hundred pages):
// VACUUM (ANALYZE) of a 100k-chunk corpus takes seconds there (bench:retrieval), so not after every
// document, but a corpus's plans never go stale for long.
const VACUUM_AFTER_CHUNKS = 2_000;

async function main() {
  const env = getWorkerEnv();
  const db = getDb();
  const workerId = createWorkerId();
  const log = (line: string) => console.log(`[worker ${workerId}] ${line}`);
  const embedder = await loadEmbedder();
  log(
    `embedder ${embedder.id} (${embedder.dimension}-d, ${embedder.device}), concurrency ${env.concurrency}`,
  );

  const shutdown = new AbortController();
  let jobsDone = 0;
  const info = () => ({
    embedder: embedder.id,
    device: embedder.device,
    concurrency: env.concurrency,
    jobsDone,
  });
  const beat = () =>
    writeHeartbeat(db, workerId, info()).catch((error: Error) => log(`heartbeat failed: ${error.message}`));
  await beat();
  const heartbeat = setInterval(beat, HEARTBEAT_MS);
  // Questions and queries leave the audit trail's texts when their retention ends (hourly is plenty).
  const purge = () =>
    purgeExpiredAuditTexts(db, env.auditTextRetentionDays)
      .then((count) => count && log(`audit texts past ${env.auditTextRetentionDays} days purged: ${count}`))
      .catch((error: Error) => log(`audit text purge failed: ${error.message}`));
  void purge();
  const purgeTimer = setInterval(purge, 60 * 60 * 1000);
  const stop = (signal: string) => {
    if (shutdown.signal.aborted) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    log(`${signal}: releasing in-flight jobs and stopping`);
    shutdown.abort(new Error(`worker received ${signal}`));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  await runWorker(db, {
    db,
    embedder,
    blobStore: createBlobStore(db),
    parseLimits: { timeoutMs: env.parseTimeoutMs, maxMemoryMb: env.parseMaxMemoryMb },
    chunkTargetTokens: env.chunkTargetTokens,
    chunkOverlapTokens: env.chunkOverlapTokens,
    leaseMs: env.leaseMs,
    retryBaseMs: env.retryBaseMs,
    concurrency: env.concurrency,
    pollMs: env.pollMs,
    workerId,
    signal: shutdown.signal,
    log,
    onJob: () => {
      jobsDone++;
    },
    vacuumAfterChunks: isEmbeddedDatabase() ? VACUUM_AFTER_CHUNKS : undefined,
  });
  clearInterval(heartbeat);
  clearInterval(purgeTimer);
  stopParser();
  await removeHeartbeat(db, workerId).catch(() => {});
  await db.$disconnect();
  log('stopped');
}

main().catch((error: unknown) => {
  console.error(`worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
