import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIGenerator } from './openai.ts';

let server: Server;
let baseURL: string;
const requests: Array<{ auth?: string; body: Record<string, unknown> }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/v1/models') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: [{ id: 'tiny-chat' }] }));
      return;
    }
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', async () => {
      const body = JSON.parse(raw);
      requests.push({ auth: req.headers.authorization, body });
      if (body.model === 'broken') {
        res.statusCode = 401;
        res.end('{"error":"bad key"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const words = ['Leave ', 'is ', '25 ', 'days ', '[1]', '. END ', 'more'];
      for (const w of words) {
        if (res.destroyed) return;
        // Split events across writes to exercise the SSE parser's buffering.
        const event = `data: ${JSON.stringify({ choices: [{ delta: { content: w } }] })}\n\n`;
        res.write(event.slice(0, 10));
        res.write(event.slice(10));
        await new Promise((r) => setTimeout(r, raw.includes('slow') ? 200 : 1));
      }
      res.write(
        `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 7 } })}\n\n`,
      );
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => {
  server.close();
});

describe('openai generator', () => {
  it('streams deltas, sends the key and reports usage', async () => {
    const generator = createOpenAIGenerator({ baseURL, apiKey: 'sk-test' });
    const generation = generator.generate([{ role: 'user', content: 'leave?' }], { maxTokens: 20 });
    const deltas: string[] = [];
    for await (const d of generation) deltas.push(d);
    expect(deltas.join('')).toBe('Leave is 25 days [1]. END more');
    expect(deltas.length).toBeGreaterThan(3);
    const result = await generation.result;
    expect(result).toMatchObject({ promptTokens: 12, completionTokens: 7, stopped: false });
    expect(requests.at(-1)).toMatchObject({
      auth: 'Bearer sk-test',
      body: { model: 'tiny-chat', stream: true, max_tokens: 20 },
    });
  });

  it('stops at stop strings', async () => {
    const generator = createOpenAIGenerator({ baseURL, model: 'tiny-chat' });
    const generation = generator.generate([{ role: 'user', content: 'leave?' }], { stop: [' END'] });
    let text = '';
    for await (const d of generation) text += d;
    expect(text).toBe('Leave is 25 days [1].');
  });

  it('aborts promptly', async () => {
    const generator = createOpenAIGenerator({ baseURL, model: 'tiny-chat' });
    const controller = new AbortController();
    const started = Date.now();
    const generation = generator.generate([{ role: 'user', content: 'slow' }], { signal: controller.signal });
    (requests as unknown[]).length = 0;
    setTimeout(() => controller.abort(), 60);
    const result = await generation.result;
    expect(result.stopped).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('explains HTTP and connection failures in one line', async () => {
    const bad = createOpenAIGenerator({ baseURL, model: 'broken' });
    await expect(bad.generate([{ role: 'user', content: 'x' }]).result).rejects.toThrow(
      /HTTP 401: check OPENAI_API_KEY/,
    );
    const down = createOpenAIGenerator({ baseURL: 'http://127.0.0.1:9/v1', model: 'x' });
    await expect(down.generate([{ role: 'user', content: 'x' }]).result).rejects.toThrow(
      /Cannot reach the generator/,
    );
  });
});
