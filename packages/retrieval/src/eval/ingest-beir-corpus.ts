import type { Db } from '@clearance/db';
import { chunkDocument } from '../ingest/chunk-document.ts';
import { createDocumentUpload } from '../ingest/create-document-upload.ts';
import { publishVersion } from '../ingest/publish-version.ts';
import { runManaged } from '../ingest/run-managed.ts';
import { ensureVectorIndex } from '../ingest/vector-index.ts';
import { type BeirDocument, readBeirCorpus } from './read-beir.ts';

/** The embedder the eval ingests with (the inference package's Embedder). */
export type EvalEmbedder = {
  id: string;
  dimension: number;
  embed(texts: string[], options: { kind: 'query' | 'document' }): Promise<Float32Array[]>;
  countTokens(text: string): number;
};

/** Drains the ingestion queue through the worker pipeline (apps/worker drainQueue), when available. */
export type DrainQueue = (db: Db) => Promise<unknown>;

/**
 * Uploads every corpus entry as a plain-text document ("title\n\ntext") granted to `roleId`, through
 * createDocumentUpload, then ingests the queue: with the worker's `drain` when given (the real
 * pipeline), else with a stand-in that runs the same chunker, embedder and publishVersion in-process.
 * Returns document id -> corpus ids (identical texts are deduplicated into one document).
 */
export async function ingestBeirCorpus(
  db: Db,
  input: {
    dir: string;
    roleId: string;
    embedder: EvalEmbedder;
    drain?: DrainQueue;
    limit?: number;
    onProgress?: (phase: 'upload' | 'ingest', done: number, total: number) => void;
  },
): Promise<Map<string, string[]>> {
  const documents: BeirDocument[] = [];
  for await (const doc of readBeirCorpus(input.dir)) {
    documents.push(doc);
    if (input.limit && documents.length >= input.limit) break;
  }
  const byDocument = new Map<string, string[]>();
  const queued: { versionId: string; doc: BeirDocument }[] = [];
  let done = 0;
  // A few uploads in flight overlap hashing and blob writes with the (serialised) database.
  const queue = [...documents];
  const workers = Array.from({ length: 4 }, async () => {
    for (let doc = queue.shift(); doc; doc = queue.shift()) {
      const body = `${doc.title}\n\n${doc.text}`;
      const result = await createDocumentUpload(db, {
        actorId: null,
        bytes: new TextEncoder().encode(body),
        filename: `${doc.id}.txt`,
        title: (doc.title || doc.id).slice(0, 300),
        roleIds: [input.roleId],
      });
      byDocument.set(result.documentId, [...(byDocument.get(result.documentId) ?? []), doc.id]);
      if (!result.deduplicated) queued.push({ versionId: result.versionId, doc });
      input.onProgress?.('upload', ++done, documents.length);
    }
  });
  await Promise.all(workers);
  await ensureVectorIndex(db, input.embedder.id, input.embedder.dimension);
  if (input.drain) {
    await input.drain(db);
  } else {
    await ingestInProcess(db, queued, input.embedder, (n) => input.onProgress?.('ingest', n, queued.length));
  }
  return byDocument;
}

/**
 * TEMPORARY stand-in for apps/worker drainQueue until it is exported: the same chunker, embedder and
 * publishing transaction, minus parsing (the text is already plain) and job bookkeeping.
 */
async function ingestInProcess(
  db: Db,
  queued: { versionId: string; doc: BeirDocument }[],
  embedder: EvalEmbedder,
  onProgress: (done: number) => void,
) {
  const BATCH = 64;
  let done = 0;
  for (let i = 0; i < queued.length; i += BATCH) {
    const batch = queued.slice(i, i + BATCH).map(({ versionId, doc }) => ({
      versionId,
      ...chunkDocument(
        {
          blocks: [
            { kind: 'paragraph', text: doc.title, page: null },
            { kind: 'paragraph', text: doc.text, page: null },
          ],
          pageCount: null,
        },
        { countTokens: (text) => embedder.countTokens(text) },
      ),
    }));
    const vectors = await embedder.embed(
      batch.flatMap((item) => item.chunks.map((chunk) => chunk.text)),
      { kind: 'document' },
    );
    let offset = 0;
    for (const item of batch) {
      const mine = vectors.slice(offset, offset + item.chunks.length);
      offset += item.chunks.length;
      await publishVersion(db, {
        versionId: item.versionId,
        embedderId: embedder.id,
        chunks: item.chunks,
        vectors: mine,
        pageCount: null,
      });
      onProgress(++done);
    }
    const ids = batch.map((item) => item.versionId);
    await runManaged(
      db,
      (tx) =>
        tx.$executeRaw`UPDATE jobs SET status = 'done', finished_at = now() WHERE payload->>'versionId' = ANY(${ids}::text[])`,
    );
  }
}
