import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  assertSha256,
  BlobNotFoundError,
  type BlobStore,
  hashBytes,
  hashFile,
  streamToTempFile,
} from './blob-store.ts';

/** Where an S3-compatible store keeps blobs (S3, MinIO, Ceph RGW, Cloudflare R2). */
export type S3BlobStoreOptions = {
  bucket: string;
  /** Key prefix, e.g. "clearance/" (default ""). */
  prefix?: string;
  /** The service URL for anything but AWS S3 (e.g. http://minio.internal:9000). */
  endpoint?: string;
  region?: string;
  /** Path-style URLs (bucket in the path), which MinIO and Ceph need. */
  forcePathStyle?: boolean;
  /** A client to use instead of one built from the options (credentials from the AWS default chain). */
  client?: S3Client;
};

const isNotFound = (error: unknown) =>
  error instanceof NotFound ||
  error instanceof NoSuchKey ||
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/**
 * A blob store in an S3-compatible bucket, keyed <prefix>ab/cd/<sha256>. Objects are written with one
 * streamed PUT carrying the body's sha256 (the service rejects a body that doesn't match) and read as a
 * stream. Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
 * a profile, or an instance role), never from Clearance's own settings.
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const client =
    options.client ??
    new S3Client({
      region: options.region ?? 'us-east-1',
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    });
  const keyOf = (sha256: string) => {
    assertSha256(sha256);
    return `${options.prefix ?? ''}${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  };
  const has = async (sha256: string) => {
    try {
      await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: keyOf(sha256) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  };
  const write = async (sha256: string, body: Uint8Array | Readable, length: number) => {
    if (await has(sha256)) return sha256;
    await client.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: keyOf(sha256),
        Body: body,
        ContentLength: length,
        ContentType: 'application/octet-stream',
        ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      }),
    );
    return sha256;
  };
  const openReadStream = async (sha256: string): Promise<Readable> => {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: keyOf(sha256) }));
      if (!(object.Body instanceof Readable)) throw new Error('the S3 client returned no stream');
      return object.Body;
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(sha256);
      throw error;
    }
  };
  return {
    kind: 's3',
    has,
    put: (bytes) => write(hashBytes(bytes), bytes, bytes.length),
    async putFile(file) {
      const { sha256 } = await hashFile(file);
      return write(sha256, createReadStream(file), (await stat(file)).size);
    },
    openReadStream,
    async toLocalFile(sha256) {
      return streamToTempFile(await openReadStream(sha256));
    },
  };
}
