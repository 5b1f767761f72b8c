import * as ort from 'onnxruntime-node';
import { createSession, type Device, type DeviceChoice } from './device.ts';
import { getInferenceEnv } from './env.ts';
import { createLruCache } from './lru-cache.ts';
import {
  type Pooling,
  type Prefixes,
  readModelFolder,
  readPooling,
  readPrefixes,
  resolveModelDir,
} from './model-folder.ts';
import { processWide } from './process-wide.ts';
import { loadTokenizer, type PreTrainedTokenizer } from './tokenizer.ts';
import {
  createWordLevelEncoder,
  NeedsGenericTokenizer,
  type WordLevelEncoder,
} from './word-level-encoder.ts';

export type EmbedKind = 'query' | 'document';

/** A loaded embedding model. One instance per model per process; safe to call concurrently. */
export type Embedder = {
  /** Stable model id, e.g. 'glove-100d'; store it beside vectors. */
  id: string;
  dimension: number;
  /** Content tokens kept per text (special tokens excluded); longer texts are truncated. */
  maxTokens: number;
  device: Device;
  /** One L2-normalised vector per text; concurrent calls are micro-batched into shared runs. */
  embed(texts: string[], options: { kind: EmbedKind }): Promise<Float32Array[]>;
  /** Tokens as the model counts them (without special tokens), for chunk sizing. */
  countTokens(text: string): number;
};

export type LoadEmbedderOptions = {
  /** Folder name under modelsDir or an absolute path; default CLEARANCE_EMBEDDER. */
  name?: string;
  modelsDir?: string;
  device?: DeviceChoice;
  intraOpThreads?: number;
  /** Largest number of texts per model run (default 64). */
  maxBatch?: number;
  /**
   * How long the first caller waits for others to join its batch (default 0: the same event-loop turn;
   * callers arriving while a run is in flight always join the next run).
   */
  batchWindowMs?: number;
};

const loaded = processWide(
  'embedders',
  () => new Map<string, { promise: Promise<Embedder>; embedder?: Embedder }>(),
);

/** Loads (once per process per model and device) the embedder named by options or CLEARANCE_EMBEDDER. */
export function loadEmbedder(options: LoadEmbedderOptions = {}): Promise<Embedder> {
  const env = getInferenceEnv();
  const modelsDir = options.modelsDir ?? env.modelsDir;
  const dir = resolveModelDir(options.name ?? env.embedder, modelsDir);
  const key = `${dir}|${options.device ?? env.device}`;
  const existing = loaded.get(key);
  if (existing) return existing.promise;
  const entry: { promise: Promise<Embedder>; embedder?: Embedder } = {
    promise: openEmbedder(dir, modelsDir, options).then((e) => {
      entry.embedder = e;
      return e;
    }),
  };
  entry.promise.catch(() => loaded.delete(key));
  loaded.set(key, entry);
  return entry.promise;
}

/** Embedders loaded in this process (for health reporting). */
export function findLoadedEmbedders(): Embedder[] {
  return [...loaded.values()].flatMap((e) => (e.embedder ? [e.embedder] : []));
}

type Pending = { text: string; resolve: (v: Float32Array) => void; reject: (e: unknown) => void };

// The extractive engine embeds the sentences and words of every answer's passages, and popular passages
// come back answer after answer: a text's vector never changes within a process, so recent ones are kept
// (profile of bench:chat at 20 users: tokenising ~1.8 ms and the model ~1.8 ms of each answer's ~45 ms of
// CPU). Document texts only: queries rarely repeat, and whether someone else asked a question must not
// show in timings. Chunk-long texts are embedded once, at indexing, and not kept. 10,000 short texts: a
// few MB at 100-384 dimensions.
const RECENT_VECTORS = 10_000;
const MAX_KEPT_CHARS = 500;

async function openEmbedder(dir: string, modelsDir: string, options: LoadEmbedderOptions): Promise<Embedder> {
  const folder = readModelFolder(dir);
  const [tokenizer, { session, device }] = await Promise.all([
    loadTokenizer(dir, modelsDir),
    // No spinning: embeddings are many short runs between other work, and a thread spinning after each
    // cost more CPU than the runs themselves (bench:chat at 20 users: ~15 ms per answer, the web server's
    // second-busiest thread; the vectors are the same).
    createSession(folder.onnxPath, {
      device: options.device,
      intraOpThreads: options.intraOpThreads,
      allowSpinning: false,
    }),
  ]);
  const pooling = readPooling(folder, session.outputNames);
  const prefixes = readPrefixes(folder);
  const specials =
    tokenizer('a', { return_tensor: false }).input_ids.length -
    tokenizer.encode('a', { add_special_tokens: false }).length;
  const modelMax = Math.min(
    Number(folder.clearance.maxTokens ?? folder.tokenizerConfig.model_max_length ?? 512),
    Number(folder.config.max_position_embeddings ?? 512),
    // Some tokenizer configs carry a 1e30 "no limit" sentinel.
    8192,
  );
  const fastEncoder = createWordLevelEncoder(dir);
  const runner = new BatchRunner(session, tokenizer, pooling, modelMax, options.maxBatch ?? 64, fastEncoder);
  const dimension = await runner.probeDimension();
  const windowMs = options.batchWindowMs ?? 0;
  let pending: Pending[] = [];
  const recent = createLruCache<string, Float32Array>(RECENT_VECTORS);
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let running = false;

  const drain = async () => {
    timer = undefined;
    if (running) return;
    running = true;
    try {
      while (pending.length > 0) {
        const batch = pending;
        pending = [];
        await runner.run(batch);
      }
    } finally {
      running = false;
    }
  };

  return {
    id: folder.id,
    dimension,
    maxTokens: modelMax - specials,
    device,
    embed(texts, { kind }) {
      const prefix = prefixes[kind satisfies keyof Prefixes];
      let queued = false;
      const vectors = texts.map((text) => {
        const input = prefix + text;
        const keep = kind === 'document' && input.length <= MAX_KEPT_CHARS;
        // Copies in and out: callers own the arrays they get.
        const kept = keep ? recent.get(input) : undefined;
        if (kept) return kept.slice();
        queued = true;
        return new Promise<Float32Array>((resolve, reject) => {
          const done = keep
            ? (vector: Float32Array) => {
                recent.set(input, vector.slice());
                resolve(vector);
              }
            : resolve;
          pending.push({ text: input, resolve: done, reject });
        });
      });
      if (queued && !running && !timer) {
        timer = windowMs > 0 ? setTimeout(drain, windowMs) : setImmediate(drain);
      }
      return Promise.all(vectors);
    },
    countTokens(text) {
      if (fastEncoder) {
        try {
          return fastEncoder(text).length;
        } catch (error) {
          if (!(error instanceof NeedsGenericTokenizer)) throw error;
        }
      }
      return tokenizer.encode(text, { add_special_tokens: false }).length;
    },
  };
}

class BatchRunner {
  private readonly feedsTokenTypes: boolean;
  private readonly padId: number;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly pooling: Pooling,
    private readonly maxLength: number,
    private readonly maxBatch: number,
    private readonly fastEncoder?: WordLevelEncoder,
  ) {
    this.feedsTokenTypes = session.inputNames.includes('token_type_ids');
    this.padId = tokenizer.pad_token_id ?? 0;
  }

  async probeDimension(): Promise<number> {
    const [v] = await this.forward([this.tokenize('dimension')]);
    return v!.length;
  }

  private tokenize(text: string): number[] {
    if (this.fastEncoder) {
      try {
        return this.fastEncoder(text, this.maxLength);
      } catch (error) {
        if (!(error instanceof NeedsGenericTokenizer)) throw error;
      }
    }
    return this.tokenizer(text, { truncation: true, max_length: this.maxLength, return_tensor: false })
      .input_ids as number[];
  }

  /** Tokenises and runs everything pending, sorted by length so each run pads little. */
  async run(items: Pending[]): Promise<void> {
    const tokenized: Array<{ item: Pending; ids: number[] }> = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      try {
        tokenized.push({ item, ids: this.tokenize(item.text) });
      } catch (error) {
        item.reject(error);
      }
      // Tokenising is synchronous: let other work in between large submissions.
      if (i % 256 === 255) await new Promise((r) => setImmediate(r));
    }
    tokenized.sort((a, b) => a.ids.length - b.ids.length);
    for (let start = 0; start < tokenized.length; start += this.maxBatch) {
      const slice = tokenized.slice(start, start + this.maxBatch);
      try {
        const vectors = await this.forward(slice.map((s) => s.ids));
        slice.forEach((s, i) => {
          s.item.resolve(vectors[i]!);
        });
      } catch (error) {
        for (const s of slice) s.item.reject(error);
      }
    }
  }

  private async forward(batch: number[][]): Promise<Float32Array[]> {
    const rows = batch.length;
    const cols = Math.max(1, ...batch.map((ids) => ids.length));
    const ids = new BigInt64Array(rows * cols);
    const mask = new BigInt64Array(rows * cols);
    // Token ids are small non-negative integers: write the low 32-bit word of each int64 through an
    // Int32Array view instead of allocating a BigInt per token.
    const idWords = new Int32Array(ids.buffer);
    const maskWords = new Int32Array(mask.buffer);
    if (this.padId !== 0) for (let i = 0; i < rows * cols; i++) idWords[2 * i + LOW_WORD] = this.padId;
    batch.forEach((seq, r) => {
      for (let c = 0; c < seq.length; c++) {
        idWords[2 * (r * cols + c) + LOW_WORD] = seq[c]!;
        maskWords[2 * (r * cols + c) + LOW_WORD] = 1;
      }
    });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [rows, cols]),
      attention_mask: new ort.Tensor('int64', mask, [rows, cols]),
    };
    if (this.feedsTokenTypes) {
      feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(rows * cols), [rows, cols]);
    }
    const out = await this.session.run(feeds);
    if (this.pooling === 'graph') {
      const t = out.sentence_embedding!;
      const dim = t.dims[1]!;
      const data = t.data as Float32Array;
      return batch.map((_, r) => normalize(data.slice(r * dim, (r + 1) * dim)));
    }
    const hidden = out.last_hidden_state ?? out[this.session.outputNames[0]!]!;
    const [, seq, dim] = hidden.dims as [number, number, number];
    const data = hidden.data as Float32Array;
    return batch.map((tokens, r) => {
      const v = new Float32Array(dim);
      if (this.pooling === 'cls') {
        v.set(data.subarray(r * seq * dim, r * seq * dim + dim));
      } else {
        for (let c = 0; c < tokens.length; c++) {
          const off = (r * seq + c) * dim;
          for (let d = 0; d < dim; d++) v[d]! += data[off + d]!;
        }
      }
      return normalize(v);
    });
  }
}

/** Index of an int64's low 32-bit word in an Int32Array view: 0 on little-endian machines. */
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** Cosine similarity of two L2-normalised vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}
