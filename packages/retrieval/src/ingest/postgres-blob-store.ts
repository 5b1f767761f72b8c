import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Db } from '@clearance/db';
import {
  assertSha256,
  BlobNotFoundError,
  type BlobStore,
  hashBytes,
  hashFile,
  splitIntoParts,
  streamToTempFile,
} from './blob-store.ts';

// 1 MiB parts: a 50 MB upload is 50 short statements, none holding the (embedded, serialised) database
// for long, and no part approaches PostgreSQL's 1 GB bytea limit or a driver's message size.
export const BLOB_PART_BYTES = 1024 * 1024;

/**
 * A blob store in PostgreSQL (tables blob_parts and blob_contents): what every host of a deployment
 * sharing one database reads and writes. Each part is written in its own statement, idempotently (the
 * same bytes always split into the same parts), and blob_contents is written last, so a blob is either
 * complete or invisible; a crash mid-write is repaired by the next write of the same bytes.
 */
export function createPostgresBlobStore(db: Db, options: { partBytes?: number } = {}): BlobStore {
  const partBytes = options.partBytes ?? BLOB_PART_BYTES;
  const has = async (sha256: string): Promise<boolean> => {
    assertSha256(sha256);
    const rows = await db.$queryRaw<{ parts: number }[]>`
      SELECT parts FROM blob_contents WHERE sha256 = ${sha256}`;
    return rows.length > 0;
  };
  const write = async (sha256: string, parts: AsyncIterable<Uint8Array>) => {
    if (await has(sha256)) return sha256;
    let part = 0;
    let bytes = 0;
    const hash = createHash('sha256');
    for await (const data of splitIntoParts(parts, partBytes)) {
      hash.update(data);
      await db.$executeRaw`
        INSERT INTO blob_parts (sha256, part, data) VALUES (${sha256}, ${part}, ${Buffer.from(data.buffer, data.byteOffset, data.byteLength)})
        ON CONFLICT (sha256, part) DO NOTHING`;
      part += 1;
      bytes += data.length;
    }
    // A file that changed while it was read must not be recorded under the digest of other bytes.
    if (hash.digest('hex') !== sha256) throw new Error('the file changed while it was being stored');
    await db.$executeRaw`
      INSERT INTO blob_contents (sha256, bytes, parts) VALUES (${sha256}, ${bytes}, ${part})
      ON CONFLICT (sha256) DO NOTHING`;
    return sha256;
  };
  const openReadStream = async (sha256: string): Promise<Readable> => {
    assertSha256(sha256);
    const rows = await db.$queryRaw<{ parts: number }[]>`
      SELECT parts FROM blob_contents WHERE sha256 = ${sha256}`;
    const found = rows[0];
    if (!found) throw new BlobNotFoundError(sha256);
    const count = found.parts;
    async function* read() {
      for (let part = 0; part < count; part++) {
        const [row] = await db.$queryRaw<{ data: Uint8Array }[]>`
          SELECT data FROM blob_parts WHERE sha256 = ${sha256} AND part = ${part}`;
        if (!row) throw new BlobNotFoundError(sha256);
        yield Buffer.from(row.data);
      }
    }
    return Readable.from(read(), { objectMode: false });
  };
  return {
    kind: 'postgres',
    has,
    put: (bytes) =>
      write(
        hashBytes(bytes),
        (async function* () {
          yield bytes;
        })(),
      ),
    async putFile(file) {
      const { sha256 } = await hashFile(file);
      return write(sha256, createReadStream(file, { highWaterMark: partBytes }));
    },
    openReadStream,
    async toLocalFile(sha256) {
      return streamToTempFile(await openReadStream(sha256));
    },
  };
}
