import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { findLoadedEmbedders } from './embedder.ts';
import { getInferenceEnv } from './env.ts';
import { findLoadedGenerators } from './generators/load-generator.ts';
import { type BuildProgress, buildGlove, GLOVE_MODEL_ID, isGloveBuilt } from './glove/build-glove.ts';
import { resolveModelDir } from './model-folder.ts';

export type { BuildProgress };

/** Builds glove-100d into MODELS_DIR when it is missing (used by `npm start`); a no-op when cached. */
export async function ensureDefaultModels(
  options: { onProgress?: (p: BuildProgress) => void; modelsDir?: string } = {},
): Promise<void> {
  const modelsDir = options.modelsDir ?? getInferenceEnv().modelsDir;
  // MODELS_DIR is read at run time; the comment keeps Turbopack from tracing the whole repository.
  const outDir = join(/*turbopackIgnore: true*/ modelsDir, GLOVE_MODEL_ID);
  if (isGloveBuilt(outDir)) return;
  await buildGlove({ outDir, onProgress: options.onProgress });
}

export type ModelDescription = {
  id: string;
  kind: 'embedder' | 'generator';
  dimension?: number;
  /** Active execution provider when loaded ('cpu' | 'cuda'), 'remote' for openai:, else the configured choice. */
  device: string;
  loaded: boolean;
};

/** The configured embedder and generator and their state in this process, for /api/health. */
export async function describeModels(): Promise<ModelDescription[]> {
  const env = getInferenceEnv();
  const embedDir = resolveModelDir(env.embedder, env.modelsDir);
  const manifest = readJsonSafe(join(embedDir, 'clearance-model.json'));
  const embedId = typeof manifest.id === 'string' ? manifest.id : env.embedder.split('/').pop()!;
  const embedder = findLoadedEmbedders().find((e) => e.id === embedId);
  const generator = findLoadedGenerators().find((g) => g.id === env.generator);
  return [
    embedder
      ? {
          id: embedder.id,
          kind: 'embedder',
          dimension: embedder.dimension,
          device: embedder.device,
          loaded: true,
        }
      : { id: embedId, kind: 'embedder', device: env.device, loaded: false },
    {
      id: env.generator,
      kind: 'generator',
      device: generator?.device ?? (env.generator.startsWith('openai:') ? 'remote' : env.device),
      loaded: Boolean(generator),
    },
  ];
}

export type InstalledModel = {
  name: string;
  kind: 'embedder' | 'generator' | 'unknown';
  bytes: number;
  dir: string;
};

/** Model folders under MODELS_DIR (those with an ONNX file). */
export function findInstalledModels(modelsDir = getInferenceEnv().modelsDir): InstalledModel[] {
  if (!existsSync(modelsDir)) return [];
  const found: InstalledModel[] = [];
  const visit = (dir: string, name: string, depth: number) => {
    const onnx = [join(dir, 'onnx'), dir].find(
      (d) => existsSync(d) && readdirSync(d).some((f) => f.endsWith('.onnx')),
    );
    if (onnx) {
      const config = readJsonSafe(join(dir, 'config.json'));
      const archs = Array.isArray(config.architectures) ? (config.architectures as string[]).join(' ') : '';
      const kind = /CausalLM/.test(archs)
        ? 'generator'
        : archs || existsSync(join(dir, '1_Pooling'))
          ? 'embedder'
          : 'unknown';
      found.push({ name, kind, bytes: folderBytes(dir), dir });
      return;
    }
    if (depth === 0) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.includes('.tmp-'))
        visit(join(dir, entry.name), name ? `${name}/${entry.name}` : entry.name, depth - 1);
    }
  };
  visit(modelsDir, '', 2);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(p) : statSync(p).size;
  }
  return total;
}

function readJsonSafe(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const HF_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

export type PullOptions = {
  modelsDir?: string;
  /** Hub base URL (default https://huggingface.co); tests point it at a closed local port. */
  baseUrl?: string;
  revision?: string;
  onProgress?: (p: BuildProgress) => void;
  fetch?: typeof fetch;
};

// Files of the Hugging Face layout Clearance loads; optional ones may be absent from a repo.
const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
const OPTIONAL = [
  'onnx/model.onnx_data',
  '1_Pooling/config.json',
  'modules.json',
  'config_sentence_transformers.json',
  'special_tokens_map.json',
  'generation_config.json',
];

/**
 * Downloads a model repository's ONNX export from the Hugging Face hub into MODELS_DIR/<owner>/<name>.
 * Needs internet access; fails with one line when the hub is unreachable.
 */
export async function pullModel(
  id: string,
  options: PullOptions = {},
): Promise<{ dir: string; bytes: number }> {
  if (!HF_ID.test(id) || id.includes('..')) {
    throw new Error(`Invalid model id "${id}": use <owner>/<name>, e.g. Xenova/all-MiniLM-L6-v2`);
  }
  const base = (options.baseUrl ?? 'https://huggingface.co').replace(/\/$/, '');
  const revision = options.revision ?? 'main';
  const doFetch = options.fetch ?? fetch;
  const outDir = join(/*turbopackIgnore: true*/ options.modelsDir ?? getInferenceEnv().modelsDir, id);
  const tmp = `${outDir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  let bytes = 0;
  try {
    for (const file of [...REQUIRED, ...OPTIONAL]) {
      const url = `${base}/${id}/resolve/${encodeURIComponent(revision)}/${file}`;
      let response: Response;
      try {
        response = await doFetch(url, { signal: AbortSignal.timeout(30_000) });
      } catch (error) {
        const { cause: inner } = error as { cause?: { code?: string; message?: string } };
        const cause = inner?.code ?? inner?.message ?? (error as Error).message;
        throw new Error(
          `Cannot reach ${base} (${cause}): \`models pull\` needs internet access; on an offline machine copy the model folder into MODELS_DIR instead`,
        );
      }
      if (response.status === 404 && OPTIONAL.includes(file)) continue;
      if (!response.ok) {
        throw new Error(
          `Download of ${id}/${file} failed with HTTP ${response.status}: check the model id, its ONNX export and access rights`,
        );
      }
      const total = Number(response.headers.get('content-length') ?? 0);
      const chunks: Uint8Array[] = [];
      let done = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        chunks.push(chunk);
        done += chunk.length;
        options.onProgress?.({ stage: file, done, total: total || done });
      }
      const path = join(tmp, file);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, Buffer.concat(chunks));
      bytes += done;
    }
    await rm(outDir, { recursive: true, force: true });
    await mkdir(dirname(outDir), { recursive: true });
    await rename(tmp, outDir);
    return { dir: outDir, bytes };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
