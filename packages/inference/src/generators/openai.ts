import { createGeneration, StopStringFilter } from './create-generation.ts';
import type { ChatMessage, GenerateOptions, Generation, Generator } from './types.ts';

export type OpenAIGeneratorOptions = {
  /** e.g. http://localhost:8000/v1 (vLLM), http://localhost:11434/v1 (Ollama). */
  baseURL: string;
  apiKey?: string;
  /** Model name; default: the first one the server lists at GET /models. */
  model?: string;
  fetch?: typeof fetch;
};

/**
 * Streams chat completions from any OpenAI-compatible server. Spec form: `openai:<baseURL>` or
 * `openai:<baseURL>#<model>` (the fragment never reaches the server).
 */
export function createOpenAIGenerator(options: OpenAIGeneratorOptions): Generator {
  const base = options.baseURL.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let model: Promise<string> | undefined = options.model ? Promise.resolve(options.model) : undefined;

  const resolveModel = () => {
    model ??= (async () => {
      const res = await request(doFetch, `${base}/models`, { headers });
      const body = (await res.json()) as { data?: Array<{ id: string }> };
      const id = body.data?.[0]?.id;
      if (!id)
        throw new Error(
          `${base}/models lists no model: name one with CLEARANCE_GENERATOR=openai:${base}#<model>`,
        );
      return id;
    })();
    model.catch(() => {
      model = undefined;
    });
    return model;
  };

  return {
    id: `openai:${base}${options.model ? `#${options.model}` : ''}`,
    device: 'remote',
    generate(messages: ChatMessage[], opts: GenerateOptions = {}): Generation {
      return createGeneration(async (emit) => {
        const signal = opts.signal;
        const stops = opts.stop ?? [];
        const filter = new StopStringFilter(stops);
        let promptTokens = 0;
        let completionTokens = 0;
        let chunks = 0;
        let finishReason: 'stop' | 'length' | 'abort' = 'stop';
        try {
          const res = await request(doFetch, `${base}/chat/completions`, {
            method: 'POST',
            headers,
            signal,
            body: JSON.stringify({
              model: await resolveModel(),
              messages,
              stream: true,
              stream_options: { include_usage: true },
              ...(opts.maxTokens !== undefined ? { max_tokens: opts.maxTokens } : {}),
              ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
              ...(opts.topP !== undefined ? { top_p: opts.topP } : {}),
              // The API accepts at most 4; all of them are also enforced locally below.
              ...(stops.length > 0 ? { stop: stops.slice(0, 4) } : {}),
            }),
          });
          if (!res.body) throw new Error(`${base}/chat/completions returned no body`);
          for await (const event of readServerSentEvents(res.body)) {
            if (event === '[DONE]') break;
            const data = JSON.parse(event) as {
              choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
              usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
            };
            if (data.usage) {
              promptTokens = data.usage.prompt_tokens ?? promptTokens;
              completionTokens = data.usage.completion_tokens ?? completionTokens;
            }
            const choice = data.choices?.[0];
            if (choice?.finish_reason === 'length') finishReason = 'length';
            const content = choice?.delta?.content;
            if (content) {
              chunks++;
              const { delta, hit } = filter.push(content);
              emit(delta);
              if (hit) break;
            }
          }
          emit(filter.flush());
        } catch (error) {
          if (signal?.aborted) {
            return {
              promptTokens,
              completionTokens: completionTokens || chunks,
              stopped: true,
              finishReason: 'abort',
            };
          }
          throw error;
        }
        return { promptTokens, completionTokens: completionTokens || chunks, stopped: false, finishReason };
      });
    },
  };
}

async function request(doFetch: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await doFetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    const { cause: inner } = error as { cause?: { code?: string; message?: string } };
    const cause = inner?.code ?? inner?.message ?? (error as Error).message;
    throw new Error(
      `Cannot reach the generator at ${url} (${cause}): check CLEARANCE_GENERATOR and that the server is running`,
    );
  }
  if (!res.ok) {
    const body = (await res.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
    const hint = res.status === 401 || res.status === 403 ? ': check OPENAI_API_KEY' : '';
    throw new Error(`${url} answered HTTP ${res.status}${hint} ${body}`.trim());
  }
  return res;
}

/** Yields the data payload of each server-sent event (multi-line data joined by newlines). */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.search(/\r?\n/);
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(buffer[newline] === '\r' ? newline + 2 : newline + 1);
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
      newline = buffer.search(/\r?\n/);
    }
  }
  if (data.length > 0) yield data.join('\n');
}
