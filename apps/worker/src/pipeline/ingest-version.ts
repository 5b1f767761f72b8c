import type { Db } from '@clearance/db';
import type { Embedder } from '@clearance/inference';
import {
  BlobNotFoundError,
  type BlobStore,
  chunkDocument,
  ensureVectorIndex,
  findDocumentKind,
  type PublishQueue,
  publishStagedVersion,
  runManaged,
  stageVersion,
} from '@clearance/retrieval';
import { adoptDocumentTitle } from './adopt-document-title.ts';
import { ParseError } from './parse/parse-error.ts';
import { type ParseLimits, parseInChild } from './parse/parse-in-child.ts';
import { createProgressReporter } from './version-status.ts';

/** The parts of an embedder ingestion uses (see @clearance/inference Embedder). */
export type IngestEmbedder = Pick<Embedder, 'id' | 'dimension' | 'embed' | 'countTokens'>;

export type PipelineContext = {
  db: Db;
  embedder: IngestEmbedder;
  blobStore: BlobStore;
  parseLimits: ParseLimits;
  chunkTargetTokens: number;
  chunkOverlapTokens?: number;
  /** Texts per embed call (default 64). */
  embedBatch?: number;
  /**
   * Publishes staged versions, several jobs' together (createPublishQueue); without it each version is
   * published on its own.
   */
  publishQueue?: PublishQueue;
};

/** indexMs is stageMs (chunks, vectors and their HNSW entries) plus the publishing transaction's share. */
export type StageTimings = {
  parseMs: number;
  chunkMs: number;
  embedMs: number;
  indexMs: number;
  stageMs: number;
};

export type IngestOutcome =
  | {
      outcome: 'published';
      chunkCount: number;
      pageCount: number | null;
      bytes: number;
      timings: StageTimings;
    }
  | { outcome: 'skipped'; reason: string };

// Where each stage starts on the 0..100 bar: embedding dominates on CPU, so it gets most of the bar.
const PROGRESS = { parsing: 2, chunking: 20, embedding: 25, indexing: 92 } as const;

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
}

/**
 * Runs one document version through parse (child process) -> chunk -> embed -> index, writing stage
 * and progress as it goes. Nothing is visible to search until the single publishing transaction, so a
 * crash at any point leaves the previous state and a re-run starts cleanly. Versions that are no longer
 * wanted (cancelled, deleted document, already published) are skipped.
 */
export async function ingestVersion(
  ctx: PipelineContext,
  versionId: string,
  { attempt, signal }: { attempt: number; signal?: AbortSignal },
): Promise<IngestOutcome> {
  const { db, embedder } = ctx;
  const started = await runManaged(db, async (tx) => {
    const rows = await tx.$queryRaw<
      { status: string; sha256: string; mime: string; bytes: number; deleted: boolean }[]
    >`
      SELECT v.status::text AS status, v.sha256, v.mime, v.bytes, d.deleted_at IS NOT NULL AS deleted
      FROM document_versions v JOIN documents d ON d.id = v.document_id
      WHERE v.id = ${versionId}::uuid FOR UPDATE OF v`;
    const row = rows[0];
    if (!row) return { skip: 'the version no longer exists' } as const;
    if (row.deleted) return { skip: 'the document was deleted' } as const;
    if (row.status !== 'queued' && row.status !== 'processing')
      return { skip: `the version is ${row.status}` } as const;
    await tx.$executeRaw`
      UPDATE document_versions SET status = 'processing', stage = 'parsing', progress = ${PROGRESS.parsing},
        attempts = ${attempt}, started_at = now(), error = NULL
      WHERE id = ${versionId}::uuid`;
    return { row } as const;
  });
  if ('skip' in started) return { outcome: 'skipped', reason: started.skip ?? 'skipped' };
  const { sha256, mime, bytes } = started.row;
  const report = createProgressReporter(db, versionId);

  const kind = findDocumentKind(mime);
  if (!kind) throw new ParseError(`Documents of type ${mime} cannot be ingested.`);
  let t0 = performance.now();
  // The parser child reads a file: the blob itself on local disk, else a temporary copy streamed from
  // the shared store (PostgreSQL or S3), removed as soon as parsing ends.
  const file = await ctx.blobStore.toLocalFile(sha256).catch((error: unknown) => {
    if (error instanceof BlobNotFoundError)
      throw new ParseError('The uploaded file is missing from storage. Upload it again.');
    throw error;
  });
  let parsed: Awaited<ReturnType<typeof parseInChild>>;
  try {
    parsed = await parseInChild(file.path, kind, ctx.parseLimits, signal);
  } finally {
    await file.release();
  }
  const parseMs = performance.now() - t0;
  throwIfAborted(signal);
  await report('chunking', PROGRESS.chunking);

  t0 = performance.now();
  const { chunks } = chunkDocument(parsed, {
    countTokens: (text) => embedder.countTokens(text),
    targetTokens: ctx.chunkTargetTokens,
    overlapTokens: ctx.chunkOverlapTokens,
  });
  const chunkMs = performance.now() - t0;
  if (chunks.length === 0) throw new ParseError('The document contains no text to index.');
  await report('embedding', PROGRESS.embedding);

  t0 = performance.now();
  const batch = ctx.embedBatch ?? 64;
  const vectors: Float32Array[] = [];
  for (let i = 0; i < chunks.length; i += batch) {
    throwIfAborted(signal);
    const texts = chunks.slice(i, i + batch).map((chunk) => chunk.text);
    vectors.push(...(await embedder.embed(texts, { kind: 'document' })));
    const done = Math.min(chunks.length, i + batch) / chunks.length;
    await report('embedding', PROGRESS.embedding + (PROGRESS.indexing - PROGRESS.embedding) * done);
  }
  const embedMs = performance.now() - t0;
  throwIfAborted(signal);
  await report('indexing', PROGRESS.indexing);

  t0 = performance.now();
  await ensureVectorIndex(db, embedder.id, embedder.dimension);
  throwIfAborted(signal);
  const staged = await stageVersion(db, {
    versionId,
    embedderId: embedder.id,
    chunks,
    vectors,
    pageCount: parsed.pageCount,
  });
  const stageMs = performance.now() - t0;
  const result =
    'published' in staged
      ? staged
      : await (ctx.publishQueue?.publish(staged) ?? publishStagedVersion(db, staged));
  const indexMs = performance.now() - t0;
  if (!result.published) return { outcome: 'skipped', reason: result.reason };
  await adoptDocumentTitle(db, versionId, parsed);
  return {
    outcome: 'published',
    chunkCount: result.chunkCount,
    pageCount: parsed.pageCount,
    bytes,
    timings: { parseMs, chunkMs, embedMs, indexMs, stageMs },
  };
}
