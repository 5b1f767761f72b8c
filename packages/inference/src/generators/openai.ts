import { AppError } from '@clearance/errors';
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOpenAICompletions } from '@langchain/openai';
import { createGeneration, StopStringFilter } from './create-generation.ts';
import type { ChatMessage, GenerateOptions, Generation, Generator } from './types.ts';

export type OpenAIGeneratorOptions = {
  /** e.g. http://localhost:8000/v1 (vLLM), http://localhost:11434/v1 (Ollama). */
  baseURL: string;
  apiKey?: string;
  /** Model name; default: the first one the server lists at GET /models. */
  model?: string;
  /** Milliseconds to wait for the server to start answering (per attempt). Default 60 s. */
  timeoutMs?: number;
  /** Further attempts after a failure to connect, a timeout or a 5xx/429, before the stream starts. Default 2. */
  maxRetries?: number;
  fetch?: typeof fetch;
};

// 60 s: a cold local model (Ollama loading weights, vLLM compiling graphs) can take tens of seconds to
// its first token; past a minute the user is better served by an error than by a spinner.
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RETRIES = 2;

/** The sentence users read when the model server can't answer; the detail goes to the server log. */
export const GENERATOR_UNAVAILABLE_TEXT =
  'The answering model is not reachable right now. Please try again in a moment, or ask an administrator to check the model server.';

/**
 * Streams chat completions from any OpenAI-compatible server (vLLM, Ollama, llama.cpp's server) through
 * LangChain's ChatOpenAICompletions. Spec form: `openai:<baseURL>` or `openai:<baseURL>#<model>` (the
 * fragment never reaches the server). A server that is down, too slow or failing surfaces as an AppError
 * `offline:generator` with a sentence users can read, its cause kept for the log.
 */
export function createOpenAIGenerator(options: OpenAIGeneratorOptions): Generator {
  const base = options.baseURL.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  // Local servers take any key, but the OpenAI client refuses to start without one.
  const apiKey = options.apiKey || 'not-needed';
  let model: Promise<string> | undefined = options.model ? Promise.resolve(options.model) : undefined;

  const resolveModel = () => {
    model ??= listFirstModel(doFetch, base, apiKey, timeout);
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
          const chat = new ChatOpenAICompletions({
            model: await resolveModel(),
            apiKey,
            configuration: { baseURL: base, fetch: doFetch },
            timeout,
            maxRetries,
            streaming: true,
            streamUsage: true,
            maxTokens: opts.maxTokens,
            temperature: opts.temperature,
            topP: opts.topP,
          });
          // The API accepts at most 4 stop strings; all of them are also enforced locally below.
          const stream = await chat.stream(toLangChainMessages(messages), {
            signal,
            ...(stops.length > 0 ? { stop: stops.slice(0, 4) } : {}),
          });
          for await (const chunk of stream) {
            const usage = chunk.usage_metadata;
            if (usage) {
              promptTokens = usage.input_tokens || promptTokens;
              completionTokens = usage.output_tokens || completionTokens;
            }
            if (chunk.response_metadata?.finish_reason === 'length') finishReason = 'length';
            const content = typeof chunk.content === 'string' ? chunk.content : chunk.text;
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
          throw explainFailure(error, base);
        }
        return { promptTokens, completionTokens: completionTokens || chunks, stopped: false, finishReason };
      });
    },
  };
}

function toLangChainMessages(messages: ChatMessage[]): BaseMessage[] {
  return messages.map((message) => {
    if (message.role === 'system') return new SystemMessage(message.content);
    if (message.role === 'assistant') return new AIMessage(message.content);
    return new HumanMessage(message.content);
  });
}

async function listFirstModel(doFetch: typeof fetch, base: string, apiKey: string, timeout: number) {
  let res: Response;
  try {
    res = await doFetch(`${base}/models`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(timeout),
    });
  } catch (error) {
    throw explainFailure(error, base);
  }
  if (!res.ok)
    throw explainFailure(Object.assign(new Error(`HTTP ${res.status}`), { status: res.status }), base);
  const body = (await res.json()) as { data?: Array<{ id: string }> };
  const id = body.data?.[0]?.id;
  if (!id) {
    throw new AppError('offline:generator', GENERATOR_UNAVAILABLE_TEXT, {
      cause: new Error(
        `${base}/models lists no model: name one with CLEARANCE_GENERATOR=openai:${base}#<model>`,
      ),
    });
  }
  return id;
}

/**
 * One AppError for every way the server can fail: the user reads GENERATOR_UNAVAILABLE_TEXT; the cause
 * names the URL, the status or connection error and the likely fix, for the operator's log.
 */
function explainFailure(error: unknown, base: string): AppError {
  if (error instanceof AppError) return error;
  const { status, name, message } = error as { status?: number; name?: string; message?: string };
  const reason =
    status !== undefined
      ? `HTTP ${status}${status === 401 || status === 403 ? ': check OPENAI_API_KEY' : ''}`
      : name === 'TimeoutError'
        ? 'timed out'
        : (findErrorCode(error) ?? message ?? String(error));
  return new AppError('offline:generator', GENERATOR_UNAVAILABLE_TEXT, {
    cause: new Error(
      `Cannot get an answer from the generator at ${base} (${reason}): check CLEARANCE_GENERATOR and that the server is running`,
      { cause: error },
    ),
  });
}

// The OpenAI client wraps fetch's error, which wraps the socket's: the innermost code (ECONNREFUSED,
// ENOTFOUND) is what tells the operator what is wrong.
function findErrorCode(error: unknown): string | undefined {
  let code: string | undefined;
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string') code = e.code;
    e = e.cause as typeof e;
  }
  return code;
}
