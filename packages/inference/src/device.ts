import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { getInferenceEnv } from './env.ts';

export type DeviceChoice = 'auto' | 'cpu' | 'cuda';
export type Device = 'cpu' | 'cuda';

export type SessionOptions = {
  device?: DeviceChoice;
  intraOpThreads?: number;
  /**
   * Whether idle intra-op threads spin waiting for the next run (onnxruntime's default): a little less
   * latency per run, CPU burnt between runs that a busy server's other requests need.
   */
  allowSpinning?: boolean;
  /** Where to report the CUDA fallback (one line). Defaults to console.warn. */
  log?: (line: string) => void;
};

/**
 * Opens an onnxruntime session on the requested device. `auto` tries CUDA and falls back to CPU with one
 * log line saying why; `cuda` fails fast with an error naming the fix.
 */
export async function createSession(
  modelPath: string,
  options: SessionOptions = {},
): Promise<{ session: ort.InferenceSession; device: Device }> {
  const env = getInferenceEnv();
  const device = options.device ?? env.device;
  const intra = options.intraOpThreads ?? env.intraOpThreads;
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    ...(intra ? { intraOpNumThreads: intra } : {}),
    interOpNumThreads: 1,
    ...(options.allowSpinning === false ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
  };
  if (device !== 'cpu') {
    try {
      const missing = missingCudaProvider();
      if (missing) throw new Error(`${missing} is not installed`);
      const session = await ort.InferenceSession.create(modelPath, {
        ...base,
        executionProviders: ['cuda'],
        // The failure is reported below in one line; silence onnxruntime's own multi-line error.
        logSeverityLevel: 4,
      });
      return { session, device: 'cuda' };
    } catch (error) {
      const reason = firstLine(error);
      if (device === 'cuda') {
        throw new Error(
          `CLEARANCE_DEVICE=cuda but the CUDA execution provider failed to load (${reason}); install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12 on a machine with CUDA 12, or set CLEARANCE_DEVICE=auto or cpu`,
        );
      }
      (options.log ?? console.warn)(`[inference] CUDA unavailable (${reason}); using CPU for ${modelPath}`);
    }
  }
  const session = await ort.InferenceSession.create(modelPath, { ...base, executionProviders: ['cpu'] });
  return { session, device: 'cpu' };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((l) => l.trim()) ?? text).trim().slice(0, 200);
}

/** onnxruntime-node ships the CPU build only unless installed with ONNXRUNTIME_NODE_INSTALL=cuda12. */
function missingCudaProvider(): string | undefined {
  if (process.platform !== 'linux' && process.platform !== 'win32') return 'a CUDA build for this platform';
  const lib =
    process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  // Inside Next's server bundle import.meta.url may not resolve node_modules; the working directory does.
  for (const base of [import.meta.url, join(process.cwd(), 'noop.js')]) {
    try {
      const pkg = dirname(createRequire(base).resolve('onnxruntime-node/package.json'));
      const dir = join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
      return existsSync(join(dir, lib)) ? undefined : lib;
    } catch {
      // try the next base
    }
  }
  return undefined;
}
