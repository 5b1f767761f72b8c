import path from 'node:path';
import type { Db } from '@clearance/db';
import { createTestDb } from '@clearance/db/testing';
import { AppError } from '@clearance/errors';
import { type Embedder, loadEmbedder } from '@clearance/inference';
import {
  createDocumentUpload,
  createLocalBlobStore,
  deleteDocument,
  retryVersion,
  runManaged,
} from '@clearance/retrieval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue } from '../src/drain-queue.ts';
import { buildDocx, buildDocxBomb, buildEncryptedPdf, buildMarkdown, buildPdf } from './fixtures.ts';
import { countChunks, createDataDir, createRole, getVersion, MODELS_DIR } from './helpers.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
let db: Db;
let embedder: Embedder;
let roleId: string;
const blobStore = createLocalBlobStore(path.join(createDataDir(), 'blobs'));

beforeAll(async () => {
  db = createTestDb();
  embedder = await loadEmbedder({ modelsDir: MODELS_DIR });
  roleId = await createRole(db, 'ingest');
});
afterAll(async () => {
  await db.$disconnect();
});

function upload(
  bytes: Uint8Array,
  filename: string,
  extra: { documentId?: string; roleIds?: string[] } = {},
) {
  return createDocumentUpload(
    db,
    { actorId: null, bytes, filename, roleIds: extra.roleIds ?? [roleId], documentId: extra.documentId },
    { blobStore },
  );
}

const drain = () => drainQueue(db, { embedder, blobStore, retryBaseMs: 0 });

describe('ingestion end to end', () => {
  it('ingests every format into ready versions with exact chunks and page numbers', async () => {
    const uploads = await Promise.all([
      upload(
        await buildPdf([
          'the turbine inspection interval',
          'torque for the main bolts',
          'page three closing notes',
        ]),
        'manual.pdf',
      ),
      upload(
        await buildDocx([
          { heading: 'Leave policy', paragraphs: ['Annual leave is 25 days.', 'Carry over 5 days.'] },
        ]),
        'policy.docx',
      ),
      upload(
        utf8(
          '<html><head><title>Handbook</title></head><body><h1>Benefits</h1><p>Dental cover is included.</p></body></html>',
        ),
        'h.html',
      ),
      upload(utf8(buildMarkdown('Hydraulics', 30)), 'hydraulics.md'),
      upload(utf8('Plain words about the canteen menu.\n\nSecond paragraph.'), 'menu.txt'),
      upload(utf8('part,torque\nbolt A,42\nbolt B,50\n'), 'parts.csv'),
      upload(utf8('<!doctype html><html><body><p>Not really a PDF.</p></body></html>'), 'fake.pdf'),
    ]);
    expect(uploads.map((u) => u.mime)).toEqual([
      'application/pdf',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'text/html',
      'text/markdown',
      'text/plain',
      'text/csv',
      'text/html',
    ]);
    await drain();
    for (const u of uploads) {
      const version = await getVersion(db, u.versionId);
      expect(version, u.mime).toMatchObject({ status: 'ready', stage: 'ready', error: null });
      const counts = await countChunks(db, u.versionId);
      expect(counts.chunks).toBe(version.chunk_count);
      expect(counts.ordinals).toBe(counts.chunks);
      expect(counts.max).toBe(counts.chunks - 1);
    }
    const pages = await runManaged(
      db,
      (tx) =>
        tx.$queryRaw<{ page: number; text: string }[]>`
        SELECT page, text FROM chunks WHERE version_id = ${uploads[0]!.versionId}::uuid ORDER BY ordinal`,
    );
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(pages[1]!.text).toContain('torque for the main bolts');
    const vectors = await runManaged(
      db,
      (tx) =>
        tx.$queryRaw<{ n: number; dims: number }[]>`
        SELECT count(*)::int AS n, max(vector_dims(embedding))::int AS dims FROM chunk_embeddings
        WHERE version_id = ${uploads[3]!.versionId}::uuid AND embedder_id = ${embedder.id}`,
    );
    expect(vectors[0]).toEqual({
      n: (await getVersion(db, uploads[3]!.versionId)).chunk_count,
      dims: embedder.dimension,
    });
  });

  it('20 concurrent uploads of duplicate bytes with equal filenames create one document per content', async () => {
    const a = utf8(`Duplicate content A ${Math.random()}`);
    const b = utf8(`Duplicate content B ${Math.random()}`);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => upload(i % 2 ? a : b, 'report.txt')),
    );
    expect(new Set(results.map((r) => r.documentId)).size).toBe(2);
    expect(new Set(results.map((r) => r.versionId)).size).toBe(2);
    expect(results.filter((r) => !r.deduplicated)).toHaveLength(2);
    expect(results.filter((r) => r.jobId !== null)).toHaveLength(2);
    // Grants merge: the same bytes uploaded for another role add that role's grant.
    const other = await createRole(db, 'other');
    const again = await upload(a, 'report.txt', { roleIds: [other] });
    expect(again.deduplicated).toBe(true);
    const grants = await db.documentGrant.findMany({ where: { documentId: again.documentId } });
    expect(grants.map((g) => g.roleId).sort()).toEqual([roleId, other].sort());
    await drain();
  });

  it('jobs run at once publish together: every version ready, counted once in the BM25 statistics', async () => {
    const totals = () =>
      runManaged(
        db,
        (tx) => tx.$queryRaw<{ value: { chunks: number; documents: number } }[]>`
        SELECT value FROM settings WHERE key = 'bm25_stats'`,
      ).then((rows) => rows[0]?.value);
    const before = await totals();
    const uploads = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        upload(utf8(buildMarkdown(`Batch ${i} ${Math.random()}`, 8 + i)), `batch${i}.md`),
      ),
    );
    const summary = await drainQueue(db, { embedder, blobStore, retryBaseMs: 0, concurrency: 3 });
    expect(summary.failed).toBe(0);
    const versions = await Promise.all(uploads.map((u) => getVersion(db, u.versionId)));
    expect(versions.map((v) => v.status)).toEqual(Array(6).fill('ready'));
    const chunks = versions.reduce((sum, v) => sum + v.chunk_count, 0);
    const after = await totals();
    expect(after?.chunks).toBe((before?.chunks ?? 0) + chunks);
    expect(after?.documents).toBe((before?.documents ?? 0) + 6);
  });

  it('a new version replaces the old in one step and deletion removes chunks at once', async () => {
    const v1 = await upload(utf8(buildMarkdown('Version one', 10)), 'doc.md');
    await drain();
    const v2 = await upload(utf8(buildMarkdown('Version two', 12)), 'doc.md', { documentId: v1.documentId });
    expect(v2.documentId).toBe(v1.documentId);
    await drain();
    expect((await getVersion(db, v1.versionId)).status).toBe('retired');
    expect((await countChunks(db, v1.versionId)).chunks).toBe(0);
    expect((await getVersion(db, v2.versionId)).status).toBe('ready');
    // A queued job for a deleted document never publishes.
    const v3 = await upload(utf8(buildMarkdown('Version three', 3)), 'doc.md', { documentId: v1.documentId });
    await deleteDocument(db, { actorId: null, documentId: v1.documentId });
    await drain();
    expect((await getVersion(db, v3.versionId)).status).toBe('cancelled');
    expect((await countChunks(db, v2.versionId)).chunks).toBe(0);
    expect((await countChunks(db, v3.versionId)).chunks).toBe(0);
  });
});

describe('hostile inputs end as clear failures, nothing else affected', () => {
  it('encrypted PDF, truncated PDF, zip bombs fail with reasons; a good document beside them is ready', async () => {
    const whole = await buildPdf(['truncated text one', 'truncated text two']);
    const bad = await Promise.all([
      upload(buildEncryptedPdf(), 'secret.pdf'),
      upload(whole.subarray(0, Math.floor(whole.length * 0.3)), 'cut.pdf'),
      upload(buildDocxBomb({ mb: 20, lie: false }), 'bomb.docx'),
      upload(buildDocxBomb({ mb: 20, lie: true }), 'liar.docx'),
    ]);
    const good = await upload(utf8(`A healthy document ${Math.random()}`), 'fine.txt');
    await drain();
    const reasons = [];
    for (const u of bad) {
      const version = await getVersion(db, u.versionId);
      expect(version.status).toBe('failed');
      expect(version.attempts).toBe(1);
      expect((await countChunks(db, u.versionId)).chunks).toBe(0);
      reasons.push(version.error);
    }
    expect(reasons[0]).toMatch(/password-protected/);
    expect(reasons[1]).toMatch(/damaged|truncated|no extractable text/);
    expect(reasons[2]).toMatch(/zip bomb/);
    expect(reasons[3]).toMatch(/zip bomb/);
    expect((await getVersion(db, good.versionId)).status).toBe('ready');
    // Admin retry queues it again; it fails again with the same reason.
    await retryVersion(db, { actorId: null, versionId: bad[0]!.versionId });
    await drain();
    expect((await getVersion(db, bad[0]!.versionId)).error).toMatch(/password-protected/);
  });

  it('rejects empty and over-limit uploads, and stores traversal filenames as display names only', async () => {
    await expect(upload(new Uint8Array(), 'empty.txt')).rejects.toMatchObject({ code: 'bad_request:upload' });
    const big = createDocumentUpload(
      db,
      { actorId: null, bytes: new Uint8Array(2048).fill(65), filename: 'big.txt', roleIds: [roleId] },
      { blobStore, maxBytes: 1024 },
    );
    await expect(big).rejects.toBeInstanceOf(AppError);
    await expect(big).rejects.toMatchObject({ status: 413 });
    const traversal = await upload(utf8(`Traversal ${Math.random()}`), '../../../etc/passwd');
    const doc = await runManaged(db, (tx) => tx.document.findUnique({ where: { id: traversal.documentId } }));
    expect(doc?.filename).toBe('passwd');
    expect(blobStore.pathOf!(traversal.sha256)).toContain(path.join('blobs', traversal.sha256.slice(0, 2)));
    await expect(upload(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), 'x.pdf')).rejects.toMatchObject({
      status: 415,
    });
    await drain();
  });
});
