import 'server-only';
import type { Generator } from '@clearance/inference';
import { rewriteFollowUp } from '@clearance/retrieval';

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
    const { query } = await rewriteFollowUp(input);
    return query.trim() || input.question;
  } catch (error) {
    console.warn('chat: follow-up rewrite failed, using the question as asked:', (error as Error).message);
    return input.question;
  }
}
