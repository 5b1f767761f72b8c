import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDb } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError, hashBytes } from './blob-store.ts';
import { createPostgresBlobStore } from './postgres-blob-store.ts';

const db = createTestDb();
const dir = mkdtempSync(path.join(tmpdir(), 'clearance-pgblob-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.$disconnect();
});

describe('PostgreSQL blob store', () => {
  // Small parts so a few KB exercise multi-part writes and reads.
  const store = createPostgresBlobStore(db, { partBytes: 1000 });

  it('stores a file in parts, concurrently and idempotently, and streams it back to a temporary file', async () => {
    const bytes = randomBytes(4_500);
    const file = path.join(dir, 'upload.bin');
    writeFileSync(file, bytes);
    const sha = hashBytes(bytes);
    expect(await store.has(sha)).toBe(false);
    const results = await Promise.all([store.putFile(file), store.put(bytes), store.putFile(file)]);
    expect(new Set(results)).toEqual(new Set([sha]));
    expect(await store.has(sha)).toBe(true);
    const parts = await db.$queryRaw<{ part: number; n: number }[]>`
      SELECT part, length(data) AS n FROM blob_parts WHERE sha256 = ${sha} ORDER BY part`;
    expect(parts.map((row) => row.n)).toEqual([1000, 1000, 1000, 1000, 500]);

    const local = await store.toLocalFile(sha);
    expect(readFileSync(local.path).equals(bytes)).toBe(true);
    // Uploaded documents are confidential: the temporary copy is readable by this user only.
    expect(statSync(local.path).mode & 0o777).toBe(0o600);
    await local.release();
    expect(() => statSync(local.path)).toThrow();
  });

  it('treats a blob whose write was cut short as absent, and completes it on the next write', async () => {
    const bytes = randomBytes(2_500);
    const sha = hashBytes(bytes);
    // What a crash after the first part leaves behind.
    await db.$executeRaw`INSERT INTO blob_parts (sha256, part, data) VALUES (${sha}, 0, ${bytes.subarray(0, 1000)})`;
    expect(await store.has(sha)).toBe(false);
    await expect(store.openReadStream(sha)).rejects.toBeInstanceOf(BlobNotFoundError);
    await store.put(bytes);
    const local = await store.toLocalFile(sha);
    expect(readFileSync(local.path).equals(bytes)).toBe(true);
    await local.release();
  });

  it('stores an empty blob', async () => {
    const sha = await store.put(new Uint8Array());
    const chunks: Buffer[] = [];
    for await (const chunk of await store.openReadStream(sha)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).length).toBe(0);
  });
});
