import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashBytes, splitIntoParts } from './blob-store.ts';
import { createLocalBlobStore } from './local-blob-store.ts';
import { sanitizeFilename } from './sanitize-filename.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'clearance-blobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('local blob store', () => {
  it('stores content-addressed under ab/cd/<sha256>, idempotently', async () => {
    const store = createLocalBlobStore(dir);
    const bytes = new TextEncoder().encode('hello blob');
    const results = await Promise.all([store.put(bytes), store.put(bytes), store.put(bytes)]);
    const sha = hashBytes(bytes);
    expect(new Set(results)).toEqual(new Set([sha]));
    expect(store.pathOf!(sha)).toBe(path.join(dir, sha.slice(0, 2), sha.slice(2, 4), sha));
    expect(readdirSync(path.join(dir, sha.slice(0, 2), sha.slice(2, 4)))).toEqual([sha]);
    expect(await store.has(sha)).toBe(true);
    const local = await store.toLocalFile(sha);
    expect(readFileSync(local.path, 'utf8')).toBe('hello blob');
    // Uploaded documents are confidential: readable by the service's user only.
    expect(statSync(local.path).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(local.path)).mode & 0o777).toBe(0o700);
  });

  it('never turns anything but a digest into a path', () => {
    const store = createLocalBlobStore(dir);
    expect(() => store.pathOf!('../../etc/passwd')).toThrow();
  });
});

describe('sanitizeFilename', () => {
  it('keeps a display name only', () => {
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('..\\..\\boot.ini')).toBe('boot.ini');
    expect(sanitizeFilename('report\u202Efdp.exe')).toBe('reportfdp.exe');
    expect(sanitizeFilename('a'.repeat(500))!.length).toBe(200);
    expect(sanitizeFilename('../')).toBeUndefined();
  });
});

describe('splitIntoParts', () => {
  it('cuts any buffering into the same exact-size parts', async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    async function* pieces(size: number) {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    }
    const cut = async (size: number) => {
      const parts: number[][] = [];
      for await (const part of splitIntoParts(pieces(size), 300)) parts.push([...part]);
      return parts;
    };
    const expected = await cut(1000);
    expect(expected.map((part) => part.length)).toEqual([300, 300, 300, 100]);
    expect(await cut(7)).toEqual(expected);
    expect(await cut(301)).toEqual(expected);
  });
});
