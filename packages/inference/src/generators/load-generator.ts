import { isAbsolute, resolve } from 'node:path';
import { type LoadEmbedderOptions, loadEmbedder } from '../embedder.ts';
import { getInferenceEnv } from '../env.ts';
import { processWide } from '../process-wide.ts';
import { createExtractiveGenerator } from './extractive.ts';
import { createOnnxGenerator } from './onnx-causal.ts';
import { createOpenAIGenerator } from './openai.ts';
import type { Generator } from './types.ts';

const loaded = processWide(
  'generators',
  () => new Map<string, { promise: Promise<Generator>; generator?: Generator }>(),
);

/**
 * Loads the generator (a LangChain chat model) for a spec (default CLEARANCE_GENERATOR), once per process:
 * `extractive`, `onnx:<dir>` (absolute, or relative to MODELS_DIR) or `openai:<baseURL>[#model]`.
 */
export function loadGenerator(
  spec?: string,
  options: { embedder?: LoadEmbedderOptions } = {},
): Promise<Generator> {
  const env = getInferenceEnv();
  const key = spec ?? env.generator;
  const existing = loaded.get(key);
  if (existing) return existing.promise;
  const entry: { promise: Promise<Generator>; generator?: Generator } = {
    promise: open(key, options).then((g) => {
      entry.generator = g;
      return g;
    }),
  };
  entry.promise.catch(() => loaded.delete(key));
  loaded.set(key, entry);
  return entry.promise;
}

async function open(spec: string, options: { embedder?: LoadEmbedderOptions }): Promise<Generator> {
  const env = getInferenceEnv();
  if (spec === 'extractive') return createExtractiveGenerator(await loadEmbedder(options.embedder));
  if (spec.startsWith('onnx:')) {
    const path = spec.slice(5);
    return createOnnxGenerator(isAbsolute(path) ? path : resolve(env.modelsDir, path), { id: spec });
  }
  if (spec.startsWith('openai:')) {
    const [baseURL, model] = spec.slice(7).split('#') as [string, string | undefined];
    if (!/^https?:\/\//.test(baseURL))
      throw new Error(`Invalid generator "${spec}": use openai:<http(s) base URL>`);
    return createOpenAIGenerator({
      id: spec,
      baseURL,
      model,
      apiKey: env.openaiApiKey,
      timeoutMs: env.generatorTimeoutMs,
      maxRetries: env.generatorRetries,
    });
  }
  throw new Error(`Invalid generator "${spec}": use extractive, onnx:<model dir> or openai:<base URL>`);
}

/** Generators loaded in this process (for health reporting). */
export function findLoadedGenerators(): Generator[] {
  return [...loaded.values()].flatMap((e) => (e.generator ? [e.generator] : []));
}
