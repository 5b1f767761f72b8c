import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, chmod, copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertSha256, BlobNotFoundError, type BlobStore, hashBytes, hashFile } from './blob-store.ts';
import { getIngestEnv } from './env.ts';

/**
 * A blob store under `dir` (default $DATA_DIR/blobs) laid out as ab/cd/<sha256>, so no directory grows
 * past 65,536 entries. Writes go to a temporary file and are renamed into place, so a crash never
 * leaves a partial blob under its final name and concurrent writers of the same bytes are harmless.
 * Files are 600 and directories 700: uploads are confidential documents. One host only: other hosts
 * can't read this disk (use the PostgreSQL or S3 store when several hosts share a database).
 */
export function createLocalBlobStore(dir: string = getIngestEnv().blobDir): BlobStore {
  const pathOf = (sha256: string): string => {
    // The digest is the only thing that becomes a path: validate it so nothing else ever can.
    assertSha256(sha256);
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
  /** Writes through a temporary file renamed into place. */
  const store = async (sha256: string, write: (temp: string) => Promise<void>) => {
    if (await has(sha256)) return sha256;
    const target = pathOf(sha256);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      await write(temp);
      await chmod(temp, 0o600);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return sha256;
  };
  return {
    kind: 'local',
    pathOf,
    has,
    put: (bytes) => store(hashBytes(bytes), (temp) => writeFile(temp, bytes, { flag: 'wx', mode: 0o600 })),
    async putFile(file) {
      const { sha256 } = await hashFile(file);
      return store(sha256, (temp) => copyFile(file, temp));
    },
    async openReadStream(sha256) {
      if (!(await has(sha256))) throw new BlobNotFoundError(sha256);
      return createReadStream(pathOf(sha256));
    },
    async toLocalFile(sha256) {
      if (!(await has(sha256))) throw new BlobNotFoundError(sha256);
      return { path: pathOf(sha256), release: async () => {} };
    },
  };
}
