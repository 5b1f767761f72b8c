import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDb } from '@clearance/db/testing';
import { createLocalBlobStore, createPostgresBlobStore } from '@clearance/retrieval';
import { afterAll, describe, expect, it } from 'vitest';
import { moveBlobs } from './blobs-move.ts';

const db = createTestDb();
const dir = mkdtempSync(path.join(tmpdir(), 'clearance-move-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.$disconnect();
});

describe('blobs move', () => {
  it('copies every known blob from local disk into PostgreSQL, verified, and reports the missing', async () => {
    const local = createLocalBlobStore(path.join(dir, 'blobs'));
    const postgres = createPostgresBlobStore(db);
    const contents = [randomBytes(3_000), randomBytes(10)];
    const stored = await Promise.all(contents.map((bytes) => local.put(bytes)));
    // A blob the database knows of but whose file was lost with a disk.
    const lost = 'f'.repeat(64);
    for (const sha256 of [...stored, lost]) {
      await db.blob.upsert({
        where: { sha256 },
        create: { sha256, mime: 'text/plain', bytes: 1 },
        update: {},
      });
    }
    const lines: string[] = [];
    const summary = await moveBlobs(db, local, postgres, (line) => lines.push(line));
    expect(summary.missing).toContain(lost);
    expect(summary.copied + summary.present).toBeGreaterThanOrEqual(2);
    for (const [i, sha256] of stored.entries()) {
      const file = await postgres.toLocalFile(sha256);
      expect(readFileSync(file.path).equals(contents[i]!)).toBe(true);
      await file.release();
    }
    // Run again: nothing left to copy.
    const again = await moveBlobs(db, local, postgres, () => {});
    expect(again.copied).toBe(0);
    await db.blob.delete({ where: { sha256: lost } });
  });
});
