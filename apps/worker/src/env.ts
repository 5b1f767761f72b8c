import { z } from 'zod';

const int = (hint: string) =>
  z.coerce
    .number({ message: `use a whole number, e.g. ${hint}` })
    .int({ message: `use a whole number, e.g. ${hint}` });

const ZWorkerEnv = z.object({
  WORKER_CONCURRENCY: int('1').min(1).max(32).default(1),
  WORKER_POLL_MS: int('500').min(50).default(500),
  WORKER_LEASE_MS: int('60000').min(1000).default(60_000),
  WORKER_RETRY_BASE_MS: int('5000').min(0).default(5_000),
  PARSE_TIMEOUT_MS: int('120000').min(1000).default(120_000),
  PARSE_MAX_MEMORY_MB: int('1024').min(64).default(1024),
  CHUNK_TARGET_TOKENS: int('200').min(16).max(8192).default(200),
  CHUNK_OVERLAP_TOKENS: int('30').min(0).optional(),
  AUDIT_TEXT_RETENTION_DAYS: int('365').min(1).max(36500).default(365),
});

export type WorkerEnv = {
  /** Jobs processed at once by one worker process (default 1: parsing and embedding use both cores). */
  concurrency: number;
  /** Queue polling interval: PGlite has no cross-connection NOTIFY, so workers poll (default 500 ms). */
  pollMs: number;
  /** How long a claimed job stays ours without renewal; a crashed worker's job is retried after it. */
  leaseMs: number;
  /** First retry delay; doubles with each attempt. */
  retryBaseMs: number;
  parseTimeoutMs: number;
  parseMaxMemoryMb: number;
  chunkTargetTokens: number;
  chunkOverlapTokens: number | undefined;
  /** Days questions and search queries stay in the audit trail's texts (the rows themselves stay). */
  auditTextRetentionDays: number;
};

/** Parses the worker settings; throws one line naming the variable and the fix. */
export function parseWorkerEnv(vars: Record<string, string | undefined>): WorkerEnv {
  const cleaned = Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ZWorkerEnv.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new Error(`Invalid ${name}=${JSON.stringify(cleaned[name] ?? '')}: ${issue.message}`);
  }
  const data = parsed.data;
  return {
    concurrency: data.WORKER_CONCURRENCY,
    pollMs: data.WORKER_POLL_MS,
    leaseMs: data.WORKER_LEASE_MS,
    retryBaseMs: data.WORKER_RETRY_BASE_MS,
    parseTimeoutMs: data.PARSE_TIMEOUT_MS,
    parseMaxMemoryMb: data.PARSE_MAX_MEMORY_MB,
    chunkTargetTokens: data.CHUNK_TARGET_TOKENS,
    chunkOverlapTokens: data.CHUNK_OVERLAP_TOKENS,
    auditTextRetentionDays: data.AUDIT_TEXT_RETENTION_DAYS,
  };
}

let cached: WorkerEnv | undefined;

/** The worker settings from process.env, parsed once. */
export function getWorkerEnv(): WorkerEnv {
  cached ??= parseWorkerEnv({
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY,
    WORKER_POLL_MS: process.env.WORKER_POLL_MS,
    WORKER_LEASE_MS: process.env.WORKER_LEASE_MS,
    WORKER_RETRY_BASE_MS: process.env.WORKER_RETRY_BASE_MS,
    PARSE_TIMEOUT_MS: process.env.PARSE_TIMEOUT_MS,
    PARSE_MAX_MEMORY_MB: process.env.PARSE_MAX_MEMORY_MB,
    CHUNK_TARGET_TOKENS: process.env.CHUNK_TARGET_TOKENS,
    CHUNK_OVERLAP_TOKENS: process.env.CHUNK_OVERLAP_TOKENS,
    AUDIT_TEXT_RETENTION_DAYS: process.env.AUDIT_TEXT_RETENTION_DAYS,
  });
  return cached;
}
