import { createHash, randomUUID } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getIngestEnv } from './env.ts';

/**
 * Content-addressed storage for uploaded bytes. Local disk today; object storage later implements the
 * same three calls. Keys are sha256 hex digests computed here, never names supplied by a user.
 */
export type BlobStore = {
  /** Stores the bytes (idempotent) and returns their sha256 hex digest. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes for a digest; throws when absent. */
  get(sha256: string): Promise<Uint8Array>;
  has(sha256: string): Promise<boolean>;
  /** A local file path for the digest, for handing to a parser child process (local store only). */
  pathOf?(sha256: string): string;
};

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** sha256 hex digest of the bytes. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A blob store under `dir` (default $DATA_DIR/blobs) laid out as ab/cd/<sha256>, so no directory grows
 * past 65,536 entries. Writes go to a temporary file and are renamed into place, so a crash never
 * leaves a partial blob under its final name and concurrent writers of the same bytes are harmless.
 */
export function createLocalBlobStore(dir: string = getIngestEnv().blobDir): BlobStore {
  const pathOf = (sha256: string): string => {
    // The digest is the only thing that becomes a path: validate it so nothing else ever can.
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256 digest: ${JSON.stringify(sha256)}`);
    return path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };
  const has = async (sha256: string): Promise<boolean> => {
    try {
      await access(pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  };
  return {
    pathOf,
    has,
    async put(bytes) {
      const sha256 = hashBytes(bytes);
      if (await has(sha256)) return sha256;
      const target = pathOf(sha256);
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.${randomUUID()}.tmp`;
      try {
        await writeFile(temp, bytes, { flag: 'wx' });
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return sha256;
    },
    async get(sha256) {
      return new Uint8Array(await readFile(pathOf(sha256)));
    },
  };
}
