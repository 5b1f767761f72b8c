import { isAppError } from '@clearance/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedLlm, startScriptedLlm } from '../testing/scripted-llm.ts';
import { createOpenAIGenerator, GENERATOR_UNAVAILABLE_TEXT } from './openai.ts';
import { streamGeneration } from './stream-generation.ts';

let llm: ScriptedLlm;

beforeAll(async () => {
  llm = await startScriptedLlm();
});

afterAll(async () => {
  await llm.close();
});

const question = [{ role: 'user' as const, content: 'leave?' }];

async function readAll(generation: AsyncIterable<string>): Promise<string[]> {
  const deltas: string[] = [];
  for await (const delta of generation) deltas.push(delta);
  return deltas;
}

describe('openai generator (LangChain ChatOpenAICompletions against a scripted server)', () => {
  it('streams deltas, sends the key, names the listed model and reports usage', async () => {
    llm.options.reply = 'Leave is 25 days [1]. END more';
    const generator = createOpenAIGenerator({ baseURL: llm.baseURL, apiKey: 'sk-test' });
    const generation = streamGeneration(generator, question, { maxTokens: 20 });
    const deltas = await readAll(generation);
    expect(deltas.join('')).toBe('Leave is 25 days [1]. END more');
    expect(deltas.length).toBeGreaterThan(3);
    const result = await generation.result;
    expect(result).toMatchObject({ completionTokens: 7, stopped: false, finishReason: 'stop' });
    expect(result.promptTokens).toBeGreaterThan(0);
    expect(llm.requests.at(-1)).toMatchObject({
      authorization: 'Bearer sk-test',
      model: 'scripted',
      stream: true,
      max_tokens: 20,
    });
  });

  it('stops at stop strings and reports the token limit', async () => {
    llm.options.reply = 'Leave is 25 days [1]. END more';
    const generator = createOpenAIGenerator({ baseURL: llm.baseURL, model: 'scripted' });
    const stopped = streamGeneration(generator, question, { stop: [' END'] });
    expect((await readAll(stopped)).join('')).toBe('Leave is 25 days [1].');
    const cut = streamGeneration(generator, question, { maxTokens: 2 });
    expect((await readAll(cut)).join('')).toBe('Leave is ');
    expect((await cut.result).finishReason).toBe('length');
  });

  it('passes the stop signal through: aborting ends the stream promptly', async () => {
    llm.options.reply = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    llm.options.delayMs = 20;
    try {
      const generator = createOpenAIGenerator({ baseURL: llm.baseURL, model: 'scripted' });
      const controller = new AbortController();
      const started = Date.now();
      const generation = streamGeneration(generator, question, { signal: controller.signal });
      setTimeout(() => controller.abort(), 150);
      const text = (await readAll(generation)).join('');
      const result = await generation.result;
      expect(result).toMatchObject({ stopped: true, finishReason: 'abort' });
      expect(text.length).toBeGreaterThan(0);
      expect(text).not.toContain('word199');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      llm.options.delayMs = undefined;
    }
  });

  it('retries a failing server before the stream starts', async () => {
    llm.options.reply = 'Recovered [1].';
    llm.options.failWith = 503;
    llm.options.failTimes = 1;
    try {
      const before = llm.requests.length;
      const generator = createOpenAIGenerator({ baseURL: llm.baseURL, model: 'scripted', maxRetries: 1 });
      expect((await readAll(streamGeneration(generator, question))).join('')).toBe('Recovered [1].');
      expect(llm.requests.length - before).toBe(2);
    } finally {
      llm.options.failWith = undefined;
      llm.options.failTimes = undefined;
    }
  });

  it('explains a down, refusing or silent server with one readable AppError', async () => {
    const failures: unknown[] = [];
    const down = createOpenAIGenerator({ baseURL: 'http://127.0.0.1:9/v1', model: 'x', maxRetries: 0 });
    failures.push(await streamGeneration(down, question).result.catch((error: unknown) => error));
    llm.options.failWith = 401;
    const before = llm.requests.length;
    const refused = createOpenAIGenerator({ baseURL: llm.baseURL, model: 'scripted', maxRetries: 2 });
    failures.push(await streamGeneration(refused, question).result.catch((error: unknown) => error));
    // A 401 is not retried: the key will not get better.
    expect(llm.requests.length - before).toBe(1);
    llm.options.failWith = undefined;
    llm.options.stallMs = 2_000;
    const silent = createOpenAIGenerator({
      baseURL: llm.baseURL,
      model: 'scripted',
      timeoutMs: 200,
      maxRetries: 0,
    });
    const started = Date.now();
    failures.push(await streamGeneration(silent, question).result.catch((error: unknown) => error));
    expect(Date.now() - started).toBeLessThan(1_500);
    llm.options.stallMs = undefined;

    const [downError, refusedError, silentError] = failures;
    for (const error of failures) {
      expect(isAppError(error)).toBe(true);
      expect(error).toMatchObject({
        code: 'offline:generator',
        status: 503,
        message: GENERATOR_UNAVAILABLE_TEXT,
      });
    }
    const detail = (error: unknown) => String((error as { cause?: Error }).cause?.message);
    expect(detail(downError)).toMatch(/127\.0\.0\.1:9.*ECONNREFUSED|Connection error/);
    expect(detail(refusedError)).toContain('HTTP 401: check OPENAI_API_KEY');
    expect(detail(silentError)).toMatch(/timed out|timeout/i);
  });
});
