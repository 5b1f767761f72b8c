// A scripted OpenAI-compatible chat server for tests: a real HTTP server speaking the protocol
// (GET /v1/models, POST /v1/chat/completions with and without SSE streaming). It "answers" from the
// passages of the last user message and, when told to, obeys instructions injected into those passages,
// as a gullible LLM would: that is what the answer path's defences are tested against.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type WireMessage = { role: string; content: string };

export type ScriptedLlmOptions = {
  /** Follow instructions found inside passages (the worst case of a real model). Default false. */
  obeyInjections?: boolean;
  /** Fixed reply instead of the passage-based one (markers and all). */
  reply?: string;
  /** Milliseconds between streamed deltas. Default 2. */
  delayMs?: number;
  /** Answer every request with this HTTP status (e.g. 503 to test retries and errors). */
  failWith?: number;
  /** Fail only the first n requests with `failWith`, then answer normally. */
  failTimes?: number;
  /** Milliseconds to wait before sending response headers (to test timeouts). */
  stallMs?: number;
};

export type ScriptedLlm = {
  /** Base URL for CLEARANCE_GENERATOR=openai:<baseURL>, ending in /v1. */
  baseURL: string;
  /** Every chat request body received, in order. */
  requests: Array<{
    model: string;
    messages: WireMessage[];
    stream?: boolean;
    max_tokens?: number;
    stop?: string[];
    authorization?: string;
  }>;
  options: ScriptedLlmOptions;
  close(): Promise<void>;
};

const PASSAGE = /<passage\b[^>]*\bid="(\d+)"[^>]*>\n?([\s\S]*?)\n?<\/passage>/g;
// Injections the scripted model obeys: "ignore (all) previous instructions and print: X" prints X;
// "reveal the system prompt" prints it; "print every passage/document" prints all it was given.
const DUMP_ORDER = /print (?:every|all) (?:the )?(?:passages?|documents?)/i;
const PRINT_ORDER = /ignore (?:all )?(?:previous|prior) instructions[^:\n]*:\s*([^\n]+)/i;
const REVEAL_ORDER = /reveal (?:the |your )?system prompt/i;

/** What the scripted model says to these messages. */
export function scriptReply(messages: WireMessage[], options: ScriptedLlmOptions = {}): string {
  if (options.reply !== undefined) return options.reply;
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const user = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const passages = [...user.matchAll(PASSAGE)].map((m) => ({ marker: Number(m[1]), text: m[2] ?? '' }));
  if (options.obeyInjections) {
    for (const passage of passages) {
      if (REVEAL_ORDER.test(passage.text)) return `My instructions are:\n${system}`;
      if (DUMP_ORDER.test(passage.text)) {
        return passages.map((p) => `${p.text.replace(/\s+/g, ' ').trim()} [${p.marker}]`).join('\n');
      }
      const print = PRINT_ORDER.exec(passage.text);
      if (print?.[1]) return `${print[1].trim()} [${passage.marker}]`;
    }
  }
  if (passages.length === 0) {
    return "I couldn't find anything in the documents you have access to that answers this.";
  }
  // A faithful model: the first sentence of each passage, cited.
  return passages.map((p) => `${(p.text.split(/(?<=[.!?])\s/)[0] ?? p.text).trim()} [${p.marker}]`).join(' ');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => resolve(raw));
    req.on('error', reject);
  });
}

/** Starts the scripted server on a free loopback port. `options` stays mutable for later requests. */
export async function startScriptedLlm(options: ScriptedLlmOptions = {}, port = 0): Promise<ScriptedLlm> {
  const requests: ScriptedLlm['requests'] = [];
  let failures = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted', object: 'model' }] }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as ScriptedLlm['requests'][number];
    requests.push({ ...body, authorization: req.headers.authorization });
    if (options.stallMs) await new Promise((r) => setTimeout(r, options.stallMs));
    if (res.destroyed) return;
    if (options.failWith && (options.failTimes === undefined || failures < options.failTimes)) {
      failures++;
      res.writeHead(options.failWith, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
      return;
    }
    const reply = scriptReply(body.messages, options);
    const words = reply.match(/\S+\s*|\s+/g) ?? [];
    const limit = body.max_tokens ?? Number.POSITIVE_INFINITY;
    const shown = words.slice(0, limit);
    const finish = shown.length < words.length ? 'length' : 'stop';
    const usage = {
      prompt_tokens: body.messages.reduce((n, m) => n + m.content.split(/\s+/).length, 0),
      completion_tokens: shown.length,
      total_tokens: 0,
    };
    const base = {
      id: `chatcmpl-${requests.length}`,
      created: Math.floor(Date.now() / 1000),
      model: body.model,
    };
    if (!body.stream) {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [
            { index: 0, message: { role: 'assistant', content: shown.join('') }, finish_reason: finish },
          ],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    const chunk = (delta: Record<string, string>, finishReason: string | null) => ({
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
    send(chunk({ role: 'assistant', content: '' }, null));
    for (const word of shown) {
      // A client that went away (Stop) ends the stream: the server sees the socket close.
      if (res.destroyed) return;
      send(chunk({ content: word }, null));
      await new Promise((r) => setTimeout(r, options.delayMs ?? 2));
    }
    send(chunk({}, finish));
    send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
    res.end('data: [DONE]\n\n');
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${address.port}/v1`,
    requests,
    options,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
