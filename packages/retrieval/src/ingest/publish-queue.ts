import type { Db } from '@clearance/db';
import {
  type PublishResult,
  publishStagedVersion,
  publishStagedVersions,
  type StagedVersion,
} from './publish-version.ts';

export type PublishQueue = {
  /** Publishes a staged version, with whatever other versions are waiting; resolves with its own result. */
  publish(staged: StagedVersion): Promise<PublishResult>;
};

type Waiting = {
  staged: StagedVersion;
  resolve: (result: PublishResult) => void;
  reject: (error: unknown) => void;
};

// Chunks per publishing transaction: its postings, term_stats and totals are written by one statement
// each, and the transaction holds the row locks of its documents (and, on the embedded database, the only
// connection) until it commits. 4,000 chunks are ~130k postings, a few seconds on a busy PostgreSQL.
const MAX_BATCH_CHUNKS = 4_000;

/**
 * Group commit for publishing: while one publishing transaction runs, the versions other jobs staged
 * meanwhile wait, and the next transaction publishes them all together (one version per document; a
 * second version of the same document waits for the next batch). Each version is still published
 * atomically, and each job still settles on its own result. A failed batch of several versions is
 * retried one version at a time, so one version that can't be indexed fails only its own job.
 * With one job at a time (WORKER_CONCURRENCY=1) every batch holds one version: nothing waits.
 */
export function createPublishQueue(db: Db): PublishQueue {
  const waiting: Waiting[] = [];
  let running = false;

  const take = (): Waiting[] => {
    const batch: Waiting[] = [];
    const documents = new Set<string>();
    let chunks = 0;
    for (let i = 0; i < waiting.length; ) {
      const next = waiting[i];
      if (!next) break;
      const fits = batch.length === 0 || chunks + next.staged.chunkCount <= MAX_BATCH_CHUNKS;
      if (fits && !documents.has(next.staged.documentId)) {
        batch.push(next);
        documents.add(next.staged.documentId);
        chunks += next.staged.chunkCount;
        waiting.splice(i, 1);
      } else i++;
    }
    return batch;
  };

  const settle = (batch: Waiting[], results: (PublishResult | Error)[]) => {
    for (const [i, item] of batch.entries()) {
      const result = results[i];
      if (result === undefined) item.reject(new Error('publish: no result'));
      else if (result instanceof Error) item.reject(result);
      else item.resolve(result);
    }
  };

  const drain = async () => {
    running = true;
    try {
      for (let batch = take(); batch.length > 0; batch = take()) {
        try {
          settle(
            batch,
            await publishStagedVersions(
              db,
              batch.map((item) => item.staged),
            ),
          );
        } catch (error) {
          if (batch.length === 1) {
            batch[0]?.reject(error);
            continue;
          }
          for (const item of batch)
            await publishStagedVersion(db, item.staged).then(item.resolve, item.reject);
        }
      }
    } finally {
      running = false;
    }
  };

  return {
    publish(staged) {
      return new Promise<PublishResult>((resolve, reject) => {
        waiting.push({ staged, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}
