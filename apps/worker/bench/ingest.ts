// `npm run bench:ingest`: ingests a generated corpus (default 2,000 documents, ~50 MB, mixed formats)
// through the real pipeline in this process and prints documents/s, chunks/s and MB/s per stage.
// A benchmark, not a test. Options: --docs N --mb M. Needs DATABASE_URL (set by scripts/with-database.ts).
import { parseArgs } from 'node:util';
import { getDb } from '@clearance/db';
import { loadEmbedder } from '@clearance/inference';
import { createBlobStore, createDocumentUpload } from '@clearance/retrieval';
import { drainQueue } from '../src/drain-queue.ts';
import { buildDocx, buildMarkdown, buildPdf } from '../test/fixtures.ts';

const { values } = parseArgs({
  options: { docs: { type: 'string', default: '2000' }, mb: { type: 'string', default: '50' } },
});
const docs = Number(values.docs);
const targetBytes = Number(values.mb) * 1024 * 1024;
const perDoc = Math.max(1000, Math.floor(targetBytes / docs));
const utf8 = (text: string) => new TextEncoder().encode(text);

async function buildDocument(i: number): Promise<{ bytes: Uint8Array; filename: string }> {
  const paragraphs = Math.max(3, Math.round(perDoc / 170));
  const text = buildMarkdown(`Bench ${i} ${Date.now()}`, paragraphs);
  switch (i % 6) {
    case 0:
      return {
        bytes: await buildPdf(
          text.split('\n\n').reduce<string[]>((pages, p, j) => {
            if (j % 12 === 0) pages.push('');
            pages[pages.length - 1] += `${p} `;
            return pages;
          }, []),
        ),
        filename: `b${i}.pdf`,
      };
    case 1:
      return {
        bytes: await buildDocx([{ heading: `Bench ${i}`, paragraphs: text.split('\n\n') }]),
        filename: `b${i}.docx`,
      };
    case 2:
      return {
        bytes: utf8(
          `<html><body>${text
            .split('\n\n')
            .map((p) => (p.startsWith('#') ? `<h2>${p.replace(/^#+ /, '')}</h2>` : `<p>${p}</p>`))
            .join('')}</body></html>`,
        ),
        filename: `b${i}.html`,
      };
    case 3:
      return {
        bytes: utf8(
          `id,topic,text\n${text
            .split('\n\n')
            .map((p, j) => `${j},bench,"${p.replaceAll('"', '""')}"`)
            .join('\n')}\n`,
        ),
        filename: `b${i}.csv`,
      };
    case 4:
      return { bytes: utf8(text.replace(/^#+ /gm, '')), filename: `b${i}.txt` };
    default:
      return { bytes: utf8(text), filename: `b${i}.md` };
  }
}

async function main() {
  const db = getDb();
  const embedder = await loadEmbedder();
  const role = await db.role.upsert({
    where: { name: 'bench-ingest' },
    create: { name: 'bench-ingest' },
    update: {},
    select: { id: true },
  });
  const blobStore = createBlobStore(db);
  let t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < docs; i++) {
    const doc = await buildDocument(i);
    bytes += doc.bytes.length;
    await createDocumentUpload(
      db,
      { actorId: null, bytes: doc.bytes, filename: doc.filename, roleIds: [role.id] },
      { blobStore },
    );
    if (i % 100 === 99) process.stderr.write(`\rupload ${i + 1}/${docs}`);
  }
  const uploadS = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  const totals = { parseMs: 0, chunkMs: 0, embedMs: 0, indexMs: 0, chunks: 0, done: 0, failed: 0 };
  t0 = performance.now();
  await drainQueue(db, {
    embedder,
    blobStore,
    onJob: (result) => {
      if (result.status === 'done' && result.result.outcome === 'published') {
        const { timings, chunkCount } = result.result;
        totals.parseMs += timings.parseMs;
        totals.chunkMs += timings.chunkMs;
        totals.embedMs += timings.embedMs;
        totals.indexMs += timings.indexMs;
        totals.chunks += chunkCount;
        totals.done++;
      } else totals.failed++;
      const n = totals.done + totals.failed;
      const elapsed = (performance.now() - t0) / 1000;
      if (n % 20 === 0)
        process.stderr.write(`\ringest ${n}/${docs}, ETA ${Math.round((elapsed / n) * (docs - n))} s   `);
    },
  });
  const totalS = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  const mb = bytes / (1024 * 1024);
  const row = (stage: string, seconds: number) =>
    `${stage.padEnd(8)} ${seconds.toFixed(1).padStart(7)} s  ${(totals.done / seconds).toFixed(1).padStart(8)} docs/s  ${(totals.chunks / seconds).toFixed(0).padStart(8)} chunks/s  ${(mb / seconds).toFixed(2).padStart(7)} MB/s`;
  console.log(
    `corpus: ${docs} documents, ${mb.toFixed(1)} MB, ${totals.chunks} chunks, ${totals.failed} failed; embedder ${embedder.id}`,
  );
  console.log(row('upload', uploadS));
  console.log(row('parse', totals.parseMs / 1000));
  console.log(row('chunk', totals.chunkMs / 1000));
  console.log(row('embed', totals.embedMs / 1000));
  console.log(row('index', totals.indexMs / 1000));
  console.log(row('total', totalS));
  await db.$disconnect();
}

// Exit explicitly: the parser pool and onnxruntime's threads can keep an idle process alive after the report.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:ingest: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
