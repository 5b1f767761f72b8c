import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';

/** What a Hugging Face–layout model folder says about itself, read once at load. */
export type ModelFolder = {
  dir: string;
  id: string;
  onnxPath: string;
  config: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  clearance: Record<string, unknown>;
};

export function resolveModelDir(name: string, modelsDir: string): string {
  return isAbsolute(name) ? name : resolve(modelsDir, name);
}

function readJson(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Reads a model folder (config.json, tokenizer_config.json, onnx/model.onnx); throws one line naming the fix. */
export function readModelFolder(dir: string, onnxFile = 'model.onnx'): ModelFolder {
  if (!existsSync(dir)) {
    throw new Error(
      `Model folder ${dir} does not exist: run \`npm run models:build\` (glove-100d) or \`npm run models -- pull <huggingface-id>\`, or set CLEARANCE_EMBEDDER to an installed model (\`npm run models -- list\`)`,
    );
  }
  // MODELS_DIR is read at run time; the comments keep Turbopack from tracing the whole repository.
  const candidates = [
    join(/*turbopackIgnore: true*/ dir, 'onnx', onnxFile),
    join(/*turbopackIgnore: true*/ dir, onnxFile),
  ];
  const onnxPath = candidates.find((p) => existsSync(p));
  if (!onnxPath)
    throw new Error(`Model folder ${dir} has no onnx/${onnxFile}: export the model to ONNX first`);
  if (!existsSync(join(dir, 'tokenizer.json'))) throw new Error(`Model folder ${dir} has no tokenizer.json`);
  const clearance = readJson(join(dir, 'clearance-model.json'));
  return {
    dir,
    id: typeof clearance.id === 'string' ? clearance.id : basename(dir),
    onnxPath,
    config: readJson(join(dir, 'config.json')),
    tokenizerConfig: readJson(join(dir, 'tokenizer_config.json')),
    clearance,
  };
}

export type Pooling = 'mean' | 'cls' | 'graph';

/** Pooling from the sentence-transformers folder config (1_Pooling/config.json or modules.json), default mean. */
export function readPooling(folder: ModelFolder, outputNames: readonly string[]): Pooling {
  if (outputNames.includes('sentence_embedding')) return 'graph';
  const modules = readJson(join(folder.dir, 'modules.json')) as unknown;
  let poolingDir = '1_Pooling';
  if (Array.isArray(modules)) {
    const pooling = modules.find((m: { type?: string }) => m.type?.endsWith('Pooling'));
    if (pooling?.path) poolingDir = pooling.path;
  }
  const cfg = readJson(join(folder.dir, poolingDir, 'config.json'));
  if (cfg.pooling_mode_cls_token === true) return 'cls';
  return 'mean';
}

export type Prefixes = { query: string; document: string };

// Instruction from the bge-*-en-v1.5 model cards: queries only, documents stay bare.
const BGE_QUERY = 'Represent this sentence for searching relevant passages: ';

/** Query/document prefixes: the folder's own prompts, else the model family's documented convention. */
export function readPrefixes(folder: ModelFolder): Prefixes {
  const own = folder.clearance.prefixes as Partial<Prefixes> | undefined;
  if (own) return { query: own.query ?? '', document: own.document ?? '' };
  const st = readJson(join(folder.dir, 'config_sentence_transformers.json'));
  const prompts = st.prompts as Record<string, string> | undefined;
  if (prompts && (prompts.query || prompts.document || prompts.passage)) {
    return { query: prompts.query ?? '', document: prompts.document ?? prompts.passage ?? '' };
  }
  const name = `${basename(folder.dir)} ${String(folder.config._name_or_path ?? '')}`.toLowerCase();
  if (/(^|[^a-z])e5-/.test(name)) return { query: 'query: ', document: 'passage: ' };
  if (name.includes('bge-') && name.includes('-en')) return { query: BGE_QUERY, document: '' };
  return { query: '', document: '' };
}
