import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalBlobStore, hashBytes } from './blob-store.ts';
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
    expect(new TextDecoder().decode(await store.get(sha))).toBe('hello blob');
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
