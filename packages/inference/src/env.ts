import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Finds the monorepo root: the nearest ancestor whose package.json declares "workspaces". */
export function findRepoRoot(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).workspaces) return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

const ZGeneratorSpec = z.string().regex(/^(extractive|onnx:.+|openai:https?:\/\/.+)$/, {
  message: 'use extractive, onnx:<model dir> or openai:<http(s) base URL>',
});

const ZInferenceEnv = z.object({
  DATA_DIR: z.string().min(1).default('.clearance'),
  MODELS_DIR: z.string().min(1).optional(),
  CLEARANCE_EMBEDDER: z
    .string()
    .regex(/^[^\s]+$/, {
      message: 'use a folder name under MODELS_DIR (e.g. glove-100d) or an absolute path',
    })
    .default('glove-100d'),
  CLEARANCE_GENERATOR: ZGeneratorSpec.default('extractive'),
  CLEARANCE_DEVICE: z.enum(['auto', 'cpu', 'cuda'], { message: 'use auto, cpu or cuda' }).default('auto'),
  OPENAI_API_KEY: z.string().optional(),
  CLEARANCE_GENERATOR_TIMEOUT_MS: z.coerce
    .number({ message: 'use milliseconds, e.g. 60000' })
    .int({ message: 'use whole milliseconds, e.g. 60000' })
    .positive({ message: 'use a positive number of milliseconds, e.g. 60000' })
    .optional(),
  CLEARANCE_GENERATOR_RETRIES: z.coerce
    .number({ message: 'use a whole number of retries, e.g. 2' })
    .int({ message: 'use a whole number of retries, e.g. 2' })
    .min(0, { message: 'use 0 (no retry) or more' })
    .optional(),
  CLEARANCE_INTRA_OP_THREADS: z.coerce
    .number({ message: 'use a whole number of threads, e.g. 2' })
    .int({ message: 'use a whole number of threads, e.g. 2' })
    .min(0, { message: 'use 0 (let onnxruntime decide) or a positive number of threads' })
    .optional(),
});

export type InferenceEnv = {
  dataDir: string;
  modelsDir: string;
  embedder: string;
  generator: string;
  device: 'auto' | 'cpu' | 'cuda';
  openaiApiKey: string | undefined;
  /** openai: backend only: wait for the server's first byte, per attempt (default in openai.ts). */
  generatorTimeoutMs: number | undefined;
  /** openai: backend only: further attempts before the stream starts. */
  generatorRetries: number | undefined;
  intraOpThreads: number | undefined;
};

/** Parses the inference settings from a variables object; throws one line naming the variable and the fix. */
export function parseInferenceEnv(vars: Record<string, string | undefined>): InferenceEnv {
  const cleaned = Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ZInferenceEnv.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new Error(`Invalid ${name}=${JSON.stringify(cleaned[name] ?? '')}: ${issue.message}`);
  }
  const root = findRepoRoot();
  const data = parsed.data;
  const dataDir = isAbsolute(data.DATA_DIR) ? data.DATA_DIR : resolve(root, data.DATA_DIR);
  const modelsDir = data.MODELS_DIR
    ? isAbsolute(data.MODELS_DIR)
      ? data.MODELS_DIR
      : resolve(root, data.MODELS_DIR)
    : join(dataDir, 'models');
  return {
    dataDir,
    modelsDir,
    embedder: data.CLEARANCE_EMBEDDER,
    generator: data.CLEARANCE_GENERATOR,
    device: data.CLEARANCE_DEVICE,
    openaiApiKey: data.OPENAI_API_KEY,
    generatorTimeoutMs: data.CLEARANCE_GENERATOR_TIMEOUT_MS,
    generatorRetries: data.CLEARANCE_GENERATOR_RETRIES,
    intraOpThreads: data.CLEARANCE_INTRA_OP_THREADS,
  };
}

let cached: InferenceEnv | undefined;

/** The process's inference settings, parsed from process.env once. */
export function getInferenceEnv(): InferenceEnv {
  cached ??= parseInferenceEnv({
    DATA_DIR: process.env.DATA_DIR,
    MODELS_DIR: process.env.MODELS_DIR,
    CLEARANCE_EMBEDDER: process.env.CLEARANCE_EMBEDDER,
    CLEARANCE_GENERATOR: process.env.CLEARANCE_GENERATOR,
    CLEARANCE_DEVICE: process.env.CLEARANCE_DEVICE,
    OPENAI_API_KEY: process.env.OPENAI_API_KEY,
    CLEARANCE_GENERATOR_TIMEOUT_MS: process.env.CLEARANCE_GENERATOR_TIMEOUT_MS,
    CLEARANCE_GENERATOR_RETRIES: process.env.CLEARANCE_GENERATOR_RETRIES,
    CLEARANCE_INTRA_OP_THREADS: process.env.CLEARANCE_INTRA_OP_THREADS,
  });
  return cached;
}
