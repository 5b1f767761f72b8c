import type { Db } from '@clearance/db';
import type { BlobStore, BlobStoreKind } from './blob-store.ts';
import { getIngestEnv, type IngestEnv } from './env.ts';
import { createLocalBlobStore } from './local-blob-store.ts';
import { createPostgresBlobStore } from './postgres-blob-store.ts';
import { createS3BlobStore } from './s3-blob-store.ts';

/** The blob store of the given kind (default: BLOB_STORE, see IngestEnv.blobStore), on `db` for postgres. */
export function createBlobStore(
  db: Db,
  kind: BlobStoreKind = getIngestEnv().blobStore,
  env: IngestEnv = getIngestEnv(),
): BlobStore {
  if (kind === 'postgres') return createPostgresBlobStore(db);
  if (kind === 's3') {
    if (!env.s3) throw new Error('BLOB_STORE=s3 needs S3_BUCKET (and S3_ENDPOINT for anything but AWS)');
    return createS3BlobStore(env.s3);
  }
  return createLocalBlobStore(env.blobDir);
}
