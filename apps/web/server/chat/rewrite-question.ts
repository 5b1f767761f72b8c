import 'server-only';
import type { Generator } from '@clearance/inference';
import { type RewriteGenerator, rewriteFollowUp } from '@clearance/retrieval';

export type HistoryTurn = { role: 'user' | 'assistant'; content: string };

/**
 * The question as a standalone query for retrieval (retrieval's rewriteFollowUp: the generator when it
 * is a language model, a heuristic otherwise). A failed rewrite falls back to the question as asked.
 * Aborting `signal` (Stop) ends a model's rewrite at once instead of after the rewrite's own timeout.
 */
export async function rewriteQuestion(input: {
  history: HistoryTurn[];
  question: string;
  generator?: Generator;
  signal?: AbortSignal;
}): Promise<string> {
  if (input.signal?.aborted) return input.question;
  try {
    const { query } = await rewriteFollowUp({
      history: input.history,
      question: input.question,
      generator: input.generator && stoppedBy(input.generator, input.signal),
    });
    return query.trim() || input.question;
  } catch (error) {
    console.warn('chat: follow-up rewrite failed, using the question as asked:', (error as Error).message);
    return input.question;
  }
}

// rewriteFollowUp aborts the model with its own timeout signal; the caller's Stop must abort it too.
function stoppedBy(generator: Generator, signal: AbortSignal | undefined): RewriteGenerator {
  if (!signal) return generator;
  return {
    id: generator.id,
    generate: (messages, options = {}) =>
      generator.generate(messages, {
        ...options,
        signal: options.signal ? AbortSignal.any([options.signal, signal]) : signal,
      }),
  };
}
