import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import type { BaseMessageChunk, UsageMetadata } from '@langchain/core/messages';
import type {
  FinishReason,
  Generation,
  GenerationMetadata,
  GenerationResult,
  Generator,
  GeneratorCallOptions,
} from './types.ts';

type Producer = (emit: (delta: string) => void) => Promise<Omit<GenerationResult, 'ttftMs' | 'totalMs'>>;

/**
 * Reads the message chunks of a LangChain stream (a chat model's, or a chain's ending in one) as text
 * deltas plus what the product records once it ends: token counts (usage_metadata, else one per
 * chunk), finish reason and the extractive engine's answered/outcome (response_metadata), and timings.
 * The stream is read eagerly into a buffer, so the generation runs to completion even when the reader
 * stops reading. Aborting `signal` is not an error: the deltas end and `result.stopped` is true.
 */
export function readGeneration(
  start: () => Promise<AsyncIterable<BaseMessageChunk>>,
  signal?: AbortSignal,
): Generation {
  return createGeneration(async (emit) => {
    // Summed: a stream's chunks report usage in parts (local models: prompt first, completion last).
    let promptTokens = 0;
    let completionTokens = 0;
    let chunks = 0;
    let finishReason: FinishReason = 'stop';
    let answered: boolean | undefined;
    let outcome: GenerationMetadata['outcome'];
    const counts = () => ({
      promptTokens,
      completionTokens: completionTokens || chunks,
      answered,
      outcome,
    });
    try {
      for await (const chunk of await start()) {
        const usage =
          'usage_metadata' in chunk ? (chunk.usage_metadata as UsageMetadata | undefined) : undefined;
        promptTokens += usage?.input_tokens ?? 0;
        completionTokens += usage?.output_tokens ?? 0;
        const metadata = chunk.response_metadata as GenerationMetadata;
        if (metadata.finish_reason === 'length') finishReason = 'length';
        if (metadata.answered !== undefined) answered = metadata.answered;
        if (metadata.outcome !== undefined) outcome = metadata.outcome;
        const text = chunk.text;
        if (text) {
          chunks++;
          emit(text);
        }
      }
    } catch (error) {
      // LangChain ends an aborted stream by throwing; for the product, Stop is a way to finish.
      if (!signal?.aborted) throw error;
      return { ...counts(), stopped: true, finishReason: 'abort' };
    }
    if (signal?.aborted) return { ...counts(), stopped: true, finishReason: 'abort' };
    return { ...counts(), stopped: false, finishReason };
  });
}

/** Streams one generator's answer to `input` (messages) as a Generation; see readGeneration. */
export function streamGeneration(
  generator: Generator,
  input: BaseLanguageModelInput,
  options: Partial<GeneratorCallOptions> = {},
): Generation {
  return readGeneration(() => generator.stream(input, options), options.signal);
}

/**
 * Runs a producer eagerly and exposes its deltas as an async iterable (buffered, so a slow reader loses
 * nothing) plus a result promise. Errors surface from both the iterator and `result`.
 */
function createGeneration(produce: Producer): Generation {
  const started = performance.now();
  let ttftMs: number | null = null;
  const buffer: string[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const emit = (delta: string) => {
    if (!delta) return;
    ttftMs ??= performance.now() - started;
    buffer.push(delta);
    notify();
  };
  const result = (async () => {
    try {
      const r = await produce(emit);
      return { ...r, ttftMs, totalMs: performance.now() - started };
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      finished = true;
      notify();
    }
  })();
  // Consumers that only iterate still see the error there; don't also crash on an unobserved rejection.
  result.catch(() => {});
  return {
    result,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (buffer.length > 0) {
          yield buffer.shift()!;
          continue;
        }
        if (finished) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((r) => {
          wake = r;
        });
      }
    },
  };
}
