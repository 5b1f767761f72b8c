import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTinyDecoder } from '../testing/tiny-decoder.ts';
import { createOnnxGenerator } from './onnx-causal.ts';
import { streamGeneration } from './stream-generation.ts';
import type { ChatMessage, Generation } from './types.ts';

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are helpful' },
  { role: 'user', content: 'what is the leave policy' },
];

async function collect(generation: Generation): Promise<string[]> {
  const deltas: string[] = [];
  for await (const d of generation) deltas.push(d);
  return deltas;
}

describe('onnx generator (tiny decoder with random weights)', () => {
  const { dir } = writeTinyDecoder(join(mkdtempSync(join(tmpdir(), 'clearance-tiny-dec-')), 'tiny-decoder'));

  it('templates the chat and decodes with a KV cache exactly like a full recompute', async () => {
    const cached = await createOnnxGenerator(dir, { device: 'cpu' });
    const full = await createOnnxGenerator(dir, { device: 'cpu', useKvCache: false });
    const a = streamGeneration(cached, messages, { maxTokens: 12 });
    const b = streamGeneration(full, messages, { maxTokens: 12 });
    const textA = (await collect(a)).join('');
    const textB = (await collect(b)).join('');
    expect(textA).toBe(textB);
    const result = await a.result;
    // ChatML: 3x <|im_start|>, 2x <|im_end|>, role words and the 8 content words.
    expect(result.promptTokens).toBe(3 + 2 + 3 + 8);
    expect(result.completionTokens).toBeGreaterThan(0);
    expect(result.ttftMs).not.toBeNull();
    expect(result.stopped).toBe(false);
    // invoke() gathers the same stream, counting the prompt once.
    const message = await cached.invoke(messages, { maxTokens: 12 });
    expect(message.text).toBe(textA);
    expect(message.usage_metadata).toMatchObject({
      input_tokens: 16,
      output_tokens: result.completionTokens,
    });
  });

  it('stops before a stop string and never emits it', async () => {
    const generator = await createOnnxGenerator(dir, { device: 'cpu' });
    const text = (await collect(streamGeneration(generator, messages, { maxTokens: 12 }))).join('');
    const words = text.trim().split(/\s+/);
    expect(words.length).toBeGreaterThan(3);
    const stop = words[3]!;
    const cut = (await collect(streamGeneration(generator, messages, { maxTokens: 12, stop: [stop] }))).join(
      '',
    );
    expect(cut).toBe(text.slice(0, text.indexOf(stop)));
  });

  it('stops promptly on abort', async () => {
    const generator = await createOnnxGenerator(dir, { device: 'cpu' });
    const controller = new AbortController();
    const generation = streamGeneration(generator, messages, { maxTokens: 50, signal: controller.signal });
    let seen = 0;
    for await (const _ of generation) {
      seen++;
      controller.abort();
    }
    const result = await generation.result;
    expect(result.stopped).toBe(true);
    expect(result.finishReason).toBe('abort');
    expect(seen).toBeGreaterThan(0);
    expect(result.completionTokens).toBeLessThan(50);
    // A stopped answer still records its prompt.
    expect(result.promptTokens).toBe(3 + 2 + 3 + 8);
  });

  it('samples with top-p deterministically under a seeded random source', async () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const generator = await createOnnxGenerator(dir, { device: 'cpu', random });
    const result = await streamGeneration(generator, messages, { maxTokens: 8, temperature: 0.8, topP: 0.9 })
      .result;
    expect(result.completionTokens).toBeGreaterThan(0);
  });
});
