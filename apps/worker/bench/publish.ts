// `tsx apps/worker/bench/publish.ts --docs N --batch K`: the indexing step alone. Publishes N documents of
// ready-made chunks and vectors (the bench:ingest mix's size, ~32 chunks each; chunking and embedding are
// done first and not timed) one by one (--batch 1, what a single worker slot did before batching) or K
// per publishing transaction, and prints the time of staging (chunks, vectors, HNSW) and publishing
// (postings, statistics, flip). A benchmark, not a test. Needs DATABASE_URL, migrated.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { getDb } from '@clearance/db';
import { loadEmbedder } from '@clearance/inference';
import {
  type DocumentChunk,
  publishStagedVersions,
  runManaged,
  type StagedVersion,
  stageVersion,
} from '@clearance/retrieval';
import { buildMarkdown } from '../test/fixtures.ts';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '200' },
    batch: { type: 'string', default: '1' },
  },
});
const docs = Number(values.docs);
const batch = Number(values.batch);

async function main() {
  const db = getDb();
  const embedder = await loadEmbedder();
  const run = randomUUID().slice(0, 8);
  const inputs = [];
  for (let i = 0; i < docs; i++) {
    const paragraphs = buildMarkdown(`Publish ${run} ${i}`, 150).split('\n\n');
    const texts: string[] = [];
    for (let j = 0; j < paragraphs.length; j += 5) texts.push(paragraphs.slice(j, j + 5).join('\n\n'));
    const chunks: DocumentChunk[] = texts.map((text, ordinal) => ({
      ordinal,
      text,
      page: null,
      headingPath: [`Section ${ordinal + 1}`],
      charStart: 0,
      charEnd: text.length,
      tokens: 100,
    }));
    const vectors = await embedder.embed(texts, { kind: 'document' });
    const sha256 = randomUUID().replaceAll('-', '').padEnd(64, '0');
    const documentId = randomUUID();
    const versionId = randomUUID();
    await runManaged(db, async (tx) => {
      await tx.$executeRaw`INSERT INTO blobs (sha256, mime, bytes) VALUES (${sha256}, 'text/markdown', 1)`;
      await tx.$executeRaw`INSERT INTO documents (id, title) VALUES (${documentId}::uuid, ${`Publish ${run} ${i}`})`;
      await tx.$executeRaw`
        INSERT INTO document_versions (id, document_id, number, sha256, mime, bytes, status, stage, progress)
        VALUES (${versionId}::uuid, ${documentId}::uuid, 1, ${sha256}, 'text/markdown', 1, 'processing', 'indexing', 92)`;
    });
    inputs.push({ versionId, embedderId: embedder.id, chunks, vectors, pageCount: null });
  }
  let stageMs = 0;
  let publishMs = 0;
  let chunks = 0;
  for (let i = 0; i < inputs.length; i += batch) {
    const staged: StagedVersion[] = [];
    let t0 = performance.now();
    for (const input of inputs.slice(i, i + batch)) {
      const result = await stageVersion(db, input);
      if ('published' in result) throw new Error(result.reason);
      staged.push(result);
      chunks += result.chunkCount;
    }
    stageMs += performance.now() - t0;
    t0 = performance.now();
    const results = await publishStagedVersions(db, staged);
    publishMs += performance.now() - t0;
    for (const result of results) if (result instanceof Error || !result.published) throw result;
  }
  const per = (ms: number) => `${(ms / 1000).toFixed(1)} s (${(ms / chunks).toFixed(2)} ms/chunk)`;
  console.log(
    `publish bench: ${docs} documents, ${chunks} chunks, batch ${batch}: stage ${per(stageMs)}, publish ${per(publishMs)}, index ${per(stageMs + publishMs)}`,
  );
  await db.$disconnect();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench publish: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
