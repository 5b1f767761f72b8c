import { AppError } from '@clearance/errors';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk } from '@langchain/core/outputs';
import { ChatOpenAICompletions, type ChatOpenAICompletionsCallOptions } from '@langchain/openai';
import { StopStringFilter } from './stop-string-filter.ts';
import type { GeneratorCallOptions } from './types.ts';

export type OpenAIGeneratorOptions = {
  /** The CLEARANCE_GENERATOR spec it is loaded from (default `openai:<baseURL>[#model]`). */
  id?: string;
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

type OpenAICompatibleCallOptions = ChatOpenAICompletionsCallOptions & GeneratorCallOptions;

/**
 * Chat completions from any OpenAI-compatible server (vLLM, Ollama, llama.cpp's server): LangChain's
 * ChatOpenAICompletions with the per-call settings every generator takes (maxTokens, temperature, topP),
 * the model named by the server when the spec names none, stop strings also enforced locally (the API
 * takes at most 4, and some servers ignore them), and every failure turned into one readable AppError.
 */
export class OpenAICompatibleChatModel extends ChatOpenAICompletions<OpenAICompatibleCallOptions> {
  readonly id: string;
  readonly device = 'remote';
  private readonly base: string;
  private readonly resolveModel: () => Promise<string>;

  constructor(options: OpenAIGeneratorOptions) {
    const base = options.baseURL.replace(/\/+$/, '');
    const doFetch = options.fetch ?? fetch;
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Local servers take any key, but the OpenAI client refuses to start without one.
    const apiKey = options.apiKey || 'not-needed';
    super({
      // Replaced by the server's first listed model before the first request when the spec names none.
      model: options.model ?? 'unlisted',
      apiKey,
      configuration: { baseURL: base, fetch: doFetch },
      timeout,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      streaming: true,
      streamUsage: true,
    });
    this.id = options.id ?? `openai:${base}${options.model ? `#${options.model}` : ''}`;
    this.base = base;
    let listed: Promise<string> | undefined;
    this.resolveModel = () => {
      if (options.model) return Promise.resolve(options.model);
      listed ??= listFirstModel(doFetch, base, apiKey, timeout);
      listed.catch(() => {
        listed = undefined;
      });
      return listed;
    };
  }

  override invocationParams(
    options?: this['ParsedCallOptions'],
    extra?: { streaming?: boolean },
  ): ReturnType<ChatOpenAICompletions['invocationParams']> {
    const params = super.invocationParams(options, extra);
    if (options?.maxTokens !== undefined) params.max_tokens = options.maxTokens;
    if (options?.temperature !== undefined) params.temperature = options.temperature;
    if (options?.topP !== undefined) params.top_p = options.topP;
    return params;
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const stops = options.stop ?? [];
    const filter = new StopStringFilter(stops);
    try {
      this.model = await this.resolveModel();
      const serverOptions = { ...options, stop: stops.length > 0 ? stops.slice(0, 4) : undefined };
      for await (const chunk of super._streamResponseChunks(messages, serverOptions, runManager)) {
        if (!chunk.text) {
          yield chunk;
          continue;
        }
        const { delta, hit } = filter.push(chunk.text);
        yield delta === chunk.text ? chunk : withText(chunk, delta);
        if (hit) return;
      }
      const rest = filter.flush();
      if (rest) yield new ChatGenerationChunk({ text: rest, message: new AIMessageChunk(rest) });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw explainFailure(error, this.base);
    }
  }
}

function withText(chunk: ChatGenerationChunk, text: string): ChatGenerationChunk {
  return new ChatGenerationChunk({
    text,
    message: new AIMessageChunk({ content: text, response_metadata: chunk.message.response_metadata }),
    generationInfo: chunk.generationInfo,
  });
}

/**
 * The generator for `openai:<baseURL>` or `openai:<baseURL>#<model>` (the fragment never reaches the
 * server). A server that is down, too slow or failing surfaces as an AppError `offline:generator` with a
 * sentence users can read, its cause kept for the log.
 */
export function createOpenAIGenerator(options: OpenAIGeneratorOptions): OpenAICompatibleChatModel {
  return new OpenAICompatibleChatModel(options);
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
