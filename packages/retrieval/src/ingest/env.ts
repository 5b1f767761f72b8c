import path from 'node:path';
import { findRepoRoot } from '@clearance/db';
import { z } from 'zod';
import type { BlobStoreKind } from './blob-store.ts';

const ZIngestEnv = z
  .object({
    UPLOAD_MAX_BYTES: z.coerce
      .number({ message: 'use a whole number of bytes, e.g. 52428800 for 50 MB' })
      .int({ message: 'use a whole number of bytes, e.g. 52428800 for 50 MB' })
      .positive({ message: 'use a positive number of bytes, e.g. 52428800 for 50 MB' })
      .default(50 * 1024 * 1024),
    DATA_DIR: z.string().trim().min(1).default('.clearance'),
    DATABASE_URL: z.string().optional(),
    BLOB_STORE: z
      .enum(['local', 'postgres', 's3'], {
        message: 'use local (this host only), postgres (in the database) or s3 (S3-compatible bucket)',
      })
      .optional(),
    S3_BUCKET: z.string().trim().min(1).optional(),
    S3_PREFIX: z.string().default(''),
    S3_ENDPOINT: z.url({ message: 'use the service URL, e.g. http://minio.internal:9000' }).optional(),
    S3_REGION: z.string().trim().min(1).default('us-east-1'),
    S3_FORCE_PATH_STYLE: z.enum(['true', 'false'], { message: 'use true or false' }).optional(),
  })
  .refine((env) => (env.BLOB_STORE ?? '') !== 's3' || env.S3_BUCKET, {
    path: ['S3_BUCKET'],
    message: 'is required when BLOB_STORE=s3 (the bucket uploads are stored in)',
  });

export type S3Settings = {
  bucket: string;
  prefix: string;
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
};

export type IngestEnv = {
  /** Largest accepted upload in bytes (UPLOAD_MAX_BYTES, default 50 MB). */
  uploadMaxBytes: number;
  /** Where the local blob store keeps content-addressed bytes: $DATA_DIR/blobs. */
  blobDir: string;
  /**
   * Where uploads are stored (BLOB_STORE): postgres whenever DATABASE_URL is set, because several hosts
   * may share that database and none can read another's disk; local disk for the embedded database.
   */
  blobStore: BlobStoreKind;
  /** The bucket settings when blobStore is s3. */
  s3: S3Settings | undefined;
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
  const env = parsed.data;
  const blobStore = env.BLOB_STORE ?? (env.DATABASE_URL ? 'postgres' : 'local');
  return {
    uploadMaxBytes: env.UPLOAD_MAX_BYTES,
    blobDir: path.join(path.resolve(findRepoRoot(), env.DATA_DIR), 'blobs'),
    blobStore,
    s3:
      blobStore === 's3' && env.S3_BUCKET
        ? {
            bucket: env.S3_BUCKET,
            prefix: env.S3_PREFIX,
            endpoint: env.S3_ENDPOINT,
            region: env.S3_REGION,
            forcePathStyle: env.S3_FORCE_PATH_STYLE
              ? env.S3_FORCE_PATH_STYLE === 'true'
              : Boolean(env.S3_ENDPOINT),
          }
        : undefined,
  };
}

let cached: IngestEnv | undefined;

/** The process's ingestion settings, parsed from process.env once. */
export function getIngestEnv(): IngestEnv {
  cached ??= parseIngestEnv({
    UPLOAD_MAX_BYTES: process.env.UPLOAD_MAX_BYTES,
    DATA_DIR: process.env.DATA_DIR,
    DATABASE_URL: process.env.DATABASE_URL,
    BLOB_STORE: process.env.BLOB_STORE,
    S3_BUCKET: process.env.S3_BUCKET,
    S3_PREFIX: process.env.S3_PREFIX,
    S3_ENDPOINT: process.env.S3_ENDPOINT,
    S3_REGION: process.env.S3_REGION,
    S3_FORCE_PATH_STYLE: process.env.S3_FORCE_PATH_STYLE,
  });
  return cached;
}
