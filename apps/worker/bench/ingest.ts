// `npm run bench:ingest`: ingests a generated corpus (default 2,000 documents, ~50 MB, mixed formats)
// through the real pipeline in this process and prints documents/s, chunks/s and MB/s per stage, then the
// same texts the way a LangChain user would load them (see runBaseline) beside it.
// A benchmark, not a test. Options: --docs N --mb M --concurrency C (jobs at once, as WORKER_CONCURRENCY;
// stage times are then summed over concurrent jobs and only `total` is wall time) --skip-baseline. Needs
// DATABASE_URL (set by scripts/with-database.ts).
import { parseArgs } from 'node:util';
import { type Db, getDb, Prisma } from '@clearance/db';
import { type Embedder, loadEmbedder } from '@clearance/inference';
import { createBlobStore, createDocumentUpload } from '@clearance/retrieval';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { drainQueue } from '../src/drain-queue.ts';
import { buildDocx, buildMarkdown, buildPdf } from '../test/fixtures.ts';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '2000' },
    mb: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '1' },
    'skip-baseline': { type: 'boolean', default: false },
  },
});
const docs = Number(values.docs);
const targetBytes = Number(values.mb) * 1024 * 1024;
const perDoc = Math.max(1000, Math.floor(targetBytes / docs));
const utf8 = (text: string) => new TextEncoder().encode(text);

async function buildDocument(i: number): Promise<{ bytes: Uint8Array; filename: string; text: string }> {
  const paragraphs = Math.max(3, Math.round(perDoc / 170));
  const text = buildMarkdown(`Bench ${i} ${Date.now()}`, paragraphs);
  return { ...(await encodeDocument(i, text)), text };
}

async function encodeDocument(i: number, text: string): Promise<{ bytes: Uint8Array; filename: string }> {
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
  const texts: string[] = [];
  for (let i = 0; i < docs; i++) {
    const doc = await buildDocument(i);
    bytes += doc.bytes.length;
    texts.push(doc.text);
    await createDocumentUpload(
      db,
      { actorId: null, bytes: doc.bytes, filename: doc.filename, roleIds: [role.id] },
      { blobStore },
    );
    if (i % 100 === 99) process.stderr.write(`\rupload ${i + 1}/${docs}`);
  }
  const uploadS = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  const totals = {
    parseMs: 0,
    chunkMs: 0,
    embedMs: 0,
    indexMs: 0,
    stageMs: 0,
    chunks: 0,
    done: 0,
    failed: 0,
  };
  t0 = performance.now();
  await drainQueue(db, {
    concurrency: Number(values.concurrency),
    embedder,
    blobStore,
    onJob: (result) => {
      if (result.status === 'done' && result.result.outcome === 'published') {
        const { timings, chunkCount } = result.result;
        totals.parseMs += timings.parseMs;
        totals.chunkMs += timings.chunkMs;
        totals.embedMs += timings.embedMs;
        totals.indexMs += timings.indexMs;
        totals.stageMs += timings.stageMs;
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
    `corpus: ${docs} documents, ${mb.toFixed(1)} MB, ${totals.chunks} chunks, ${totals.failed} failed; embedder ${embedder.id}; concurrency ${values.concurrency}`,
  );
  console.log(row('upload', uploadS));
  console.log(row('parse', totals.parseMs / 1000));
  console.log(row('chunk', totals.chunkMs / 1000));
  console.log(row('embed', totals.embedMs / 1000));
  console.log(row('index', totals.indexMs / 1000));
  console.log(row(' stage', totals.stageMs / 1000));
  console.log(row(' publish', (totals.indexMs - totals.stageMs) / 1000));
  console.log(row('total', totalS));
  console.log(`index share of ingest time: ${((100 * totals.indexMs) / 1000 / totalS).toFixed(0)}%`);
  if (!values['skip-baseline']) {
    const baseline = await runBaseline(db, embedder, texts);
    const lc = (stage: string, seconds: number) =>
      `${stage.padEnd(8)} ${seconds.toFixed(1).padStart(7)} s  ${(texts.length / seconds).toFixed(1).padStart(8)} docs/s  ${(baseline.chunks / seconds).toFixed(0).padStart(8)} chunks/s`;
    console.log(
      `baseline (LangChain RecursiveCharacterTextSplitter 1000/200 characters, same embedder, one INSERT per chunk): ${baseline.chunks} chunks, parse not included`,
    );
    console.log(lc('split', baseline.splitMs / 1000));
    console.log(lc('embed', baseline.embedMs / 1000));
    console.log(lc('index', baseline.insertMs / 1000));
    console.log(lc('total', (baseline.splitMs + baseline.embedMs + baseline.insertMs) / 1000));
  }
  await db.$disconnect();
}

/**
 * What a LangChain user would build on the same texts: RecursiveCharacterTextSplitter with its documented
 * 1,000/200-character settings, the same embedder in the same batches, and one INSERT per chunk (in its
 * own transaction) into a PGVectorStore-shaped table (content, metadata, embedding) with an HNSW cosine
 * index for search. No lexical index, no access control: it measures the floor such a loader pays per
 * chunk. The table is dropped afterwards.
 */
async function runBaseline(db: Db, embedder: Embedder, texts: string[]) {
  const table = Prisma.raw('bench_langchain_baseline');
  await db.$executeRaw`DROP TABLE IF EXISTS ${table}`;
  await db.$executeRaw`CREATE TABLE ${table} (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), content text NOT NULL,
    metadata jsonb NOT NULL, embedding vector(${Prisma.raw(String(embedder.dimension))}) NOT NULL)`;
  await db.$executeRaw`CREATE INDEX ON ${table} USING hnsw (embedding vector_cosine_ops)`;
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
  const result = { chunks: 0, splitMs: 0, embedMs: 0, insertMs: 0 };
  try {
    for (const [i, text] of texts.entries()) {
      let t0 = performance.now();
      const pieces = await splitter.splitText(text);
      result.splitMs += performance.now() - t0;
      t0 = performance.now();
      const vectors: Float32Array[] = [];
      for (let j = 0; j < pieces.length; j += 64)
        vectors.push(...(await embedder.embed(pieces.slice(j, j + 64), { kind: 'document' })));
      result.embedMs += performance.now() - t0;
      t0 = performance.now();
      for (const [j, piece] of pieces.entries()) {
        const metadata = JSON.stringify({ source: `b${i}`, loc: j });
        await db.$executeRaw`INSERT INTO ${table} (content, metadata, embedding)
          VALUES (${piece}, ${metadata}::jsonb, ${`[${Array.from(vectors[j] ?? []).join(',')}]`}::vector)`;
      }
      result.insertMs += performance.now() - t0;
      result.chunks += pieces.length;
      if (i % 20 === 19) process.stderr.write(`\rbaseline ${i + 1}/${texts.length}   `);
    }
  } finally {
    process.stderr.write('\n');
    await db.$executeRaw`DROP TABLE IF EXISTS ${table}`;
  }
  return result;
}

// Exit explicitly: the parser pool and onnxruntime's threads can keep an idle process alive after the report.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:ingest: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
