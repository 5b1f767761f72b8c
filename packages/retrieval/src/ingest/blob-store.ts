import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where uploaded bytes live: one host's disk, the PostgreSQL database, or an S3-compatible bucket. */
export type BlobStoreKind = 'local' | 'postgres' | 's3';

/** A file on this host's disk holding a blob's bytes; `release()` removes it when it is a temporary copy. */
export type LocalBlobFile = { path: string; release(): Promise<void> };

/**
 * Content-addressed storage for uploaded bytes. Keys are sha256 hex digests computed here, never names
 * supplied by a user. Every store streams: no call holds a whole blob in memory except `put(bytes)`,
 * whose caller already does.
 */
export type BlobStore = {
  readonly kind: BlobStoreKind;
  /** Stores the bytes (idempotent) and returns their sha256 hex digest. */
  put(bytes: Uint8Array): Promise<string>;
  /** Stores a file's bytes, streamed (idempotent), and returns their sha256 hex digest. */
  putFile(file: string): Promise<string>;
  /** Whether the blob is completely stored. */
  has(sha256: string): Promise<boolean>;
  /** The bytes as a stream; rejects with a BlobNotFoundError when absent. */
  openReadStream(sha256: string): Promise<Readable>;
  /**
   * A local file with the bytes, for handing to the parser child process: the blob itself in the local
   * store, a temporary copy (mode 600, removed by `release()`) in the others.
   */
  toLocalFile(sha256: string): Promise<LocalBlobFile>;
  /** The blob's path in the local store (local store only). */
  pathOf?(sha256: string): string;
};

/** The blob is not in the store (never uploaded, or lost with a host's disk). */
export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
  constructor(readonly sha256: string) {
    super(`blob ${sha256} is not in the blob store`);
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Throws unless `sha256` is a lowercase hex digest: the only thing that ever becomes a key or a path. */
export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256 digest: ${JSON.stringify(sha256)}`);
}

/** sha256 hex digest of the bytes. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 hex digest and size of a file, read as a stream. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Copies a stream into a new temporary file (mode 600, in its own 700 directory). */
export async function streamToTempFile(source: Readable): Promise<LocalBlobFile> {
  const dir = await mkdtemp(path.join(tmpdir(), 'clearance-blob-'));
  const file = path.join(dir, randomUUID());
  const release = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(source, createWriteStream(file, { mode: 0o600, flags: 'wx' }));
  } catch (error) {
    await release();
    throw error;
  }
  return { path: file, release };
}

/**
 * Re-cuts a byte stream into pieces of exactly `size` bytes (the last may be shorter), so the same bytes
 * always become the same parts whatever the reader's buffer sizes: concurrent writers of one blob agree.
 */
export async function* splitIntoParts(
  source: AsyncIterable<Uint8Array>,
  size: number,
): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(size - pendingBytes, chunk.length - offset);
      pending.push(chunk.subarray(offset, offset + take));
      pendingBytes += take;
      offset += take;
      if (pendingBytes === size) {
        yield pending.length === 1 ? pending[0]! : Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (pendingBytes > 0) yield pending.length === 1 ? pending[0]! : Buffer.concat(pending);
}
