import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInferenceEnv } from './env.ts';

describe('inference env', () => {
  it('applies defaults relative to the repo root', () => {
    const env = parseInferenceEnv({});
    expect(env.embedder).toBe('glove-100d');
    expect(env.generator).toBe('extractive');
    expect(env.device).toBe('auto');
    expect(isAbsolute(env.modelsDir)).toBe(true);
    expect(env.modelsDir).toBe(join(env.dataDir, 'models'));
    expect(env.dataDir.endsWith('.clearance')).toBe(true);
  });

  it('rejects bad values with one line naming the variable and the fix', () => {
    expect(() => parseInferenceEnv({ CLEARANCE_DEVICE: 'gpu' })).toThrow(
      /^Invalid CLEARANCE_DEVICE="gpu": use auto, cpu or cuda$/,
    );
    expect(() => parseInferenceEnv({ CLEARANCE_GENERATOR: 'llama' })).toThrow(
      /CLEARANCE_GENERATOR.*onnx:<model dir>/,
    );
    expect(() => parseInferenceEnv({ CLEARANCE_INTRA_OP_THREADS: 'many' })).toThrow(
      /CLEARANCE_INTRA_OP_THREADS/,
    );
    expect(() => parseInferenceEnv({ CLEARANCE_GENERATOR_RETRIES: '-1' })).toThrow(
      /^Invalid CLEARANCE_GENERATOR_RETRIES="-1": use 0 \(no retry\) or more$/,
    );
    expect(() => parseInferenceEnv({ CLEARANCE_GENERATOR_TIMEOUT_MS: 'soon' })).toThrow(
      /CLEARANCE_GENERATOR_TIMEOUT_MS/,
    );
    expect(
      parseInferenceEnv({ CLEARANCE_GENERATOR_TIMEOUT_MS: '5000', CLEARANCE_GENERATOR_RETRIES: '0' }),
    ).toMatchObject({ generatorTimeoutMs: 5000, generatorRetries: 0 });
    expect(parseInferenceEnv({ CLEARANCE_GENERATOR: 'openai:http://localhost:8000/v1' }).generator).toMatch(
      /^openai:/,
    );
  });
});
