import path from 'node:path';
import { findRepoRoot } from '@clearance/db';
import { z } from 'zod';

const ZIngestEnv = z.object({
  UPLOAD_MAX_BYTES: z.coerce
    .number({ message: 'use a whole number of bytes, e.g. 52428800 for 50 MB' })
    .int({ message: 'use a whole number of bytes, e.g. 52428800 for 50 MB' })
    .positive({ message: 'use a positive number of bytes, e.g. 52428800 for 50 MB' })
    .default(50 * 1024 * 1024),
  DATA_DIR: z.string().trim().min(1).default('.clearance'),
});

export type IngestEnv = {
  /** Largest accepted upload in bytes (UPLOAD_MAX_BYTES, default 50 MB). */
  uploadMaxBytes: number;
  /** Where the local blob store keeps content-addressed bytes: $DATA_DIR/blobs. */
  blobDir: string;
};

/** Parses the ingestion settings; throws one line naming the variable and the fix. */
export function parseIngestEnv(vars: Record<string, string | undefined>): IngestEnv {
  const cleaned = Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ZIngestEnv.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new Error(`Invalid ${name}=${JSON.stringify(cleaned[name] ?? '')}: ${issue.message}`);
  }
  return {
    uploadMaxBytes: parsed.data.UPLOAD_MAX_BYTES,
    blobDir: path.join(path.resolve(findRepoRoot(), parsed.data.DATA_DIR), 'blobs'),
  };
}

let cached: IngestEnv | undefined;

/** The process's ingestion settings, parsed from process.env once. */
export function getIngestEnv(): IngestEnv {
  cached ??= parseIngestEnv({
    UPLOAD_MAX_BYTES: process.env.UPLOAD_MAX_BYTES,
    DATA_DIR: process.env.DATA_DIR,
  });
  return cached;
}
