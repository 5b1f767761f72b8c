/** A conversation turn, as stored in messages. */
export type ConversationTurn = { role: 'user' | 'assistant'; content: string };

/** The chat model shape rewriting needs (the inference package's Generator, a LangChain chat model). */
export type RewriteGenerator = {
  id: string;
  invoke(
    messages: { role: 'system' | 'user' | 'assistant'; content: string }[],
    options?: { maxTokens?: number; temperature?: number; stop?: string[]; signal?: AbortSignal },
  ): Promise<{ text: string }>;
};

export type RewriteResult = {
  /** The standalone question to search with. */
  query: string;
  method: 'unchanged' | 'heuristic' | 'generator';
};

const STOPWORDS = new Set(
  `a an the and or but if then else of to in on at by for with about against between into through during
  before after above below from up down out off over under again further once here there when where why how
  all any both each few more most other some such no nor not only own same so than too very can will just
  should now is are was were be been being have has had having do does did doing i me my we our you your he
  him his she her it its they them their what which who whom this that these those am would could also
  please tell explain describe show give list find know want need say said like get about more`.split(/\s+/),
);
// Words that point back to something said earlier: the question is not standalone without it.
const ANAPHORA =
  /\b(it|its|they|them|their|this|that|these|those|he|she|him|her|there|same|former|latter|above|previous)\b/i;
const ELLIPSIS =
  /^(and|or|but|also|what about|how about|what else|why|why not|how so|and then|which one|more)\b/i;

/** Content words of a text, lower-cased, in order, without stopwords or duplicates. */
function contentWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
  return [...new Set(words.filter((word) => word.length > 1 && !STOPWORDS.has(word)))];
}

/** Whether `question` leans on earlier turns: pronouns, a leading "and/what about", or almost no content. */
export function isFollowUp(question: string): boolean {
  const trimmed = question.trim();
  return ANAPHORA.test(trimmed) || ELLIPSIS.test(trimmed) || contentWords(trimmed).length <= 2;
}

/**
 * Without a model: a follow-up gets the key terms of the last user turns (most recent first) that it
 * does not already contain, so "And its side effects?" after "What is metformin used for?" searches
 * "And its side effects? metformin used". A standalone question passes unchanged.
 */
export function rewriteHeuristically(history: ConversationTurn[], question: string): RewriteResult {
  const trimmed = question.trim();
  if (!isFollowUp(trimmed)) return { query: trimmed, method: 'unchanged' };
  const previous = history
    .filter((turn) => turn.role === 'user')
    .slice(-2)
    .reverse();
  if (previous.length === 0) return { query: trimmed, method: 'unchanged' };
  const present = new Set(contentWords(trimmed));
  const added: string[] = [];
  for (const turn of previous) {
    for (const word of contentWords(turn.content)) {
      if (!present.has(word) && !added.includes(word) && added.length < 12) added.push(word);
    }
  }
  if (added.length === 0) return { query: trimmed, method: 'unchanged' };
  return { query: `${trimmed} ${added.join(' ')}`, method: 'heuristic' };
}

const SYSTEM_PROMPT =
  'You rewrite the last user question of a conversation into one standalone search query. Resolve ' +
  'pronouns and references from the conversation. Keep every specific name and term. Do not answer ' +
  'the question. Reply with the query only, on one line.';

/**
 * The standalone question to retrieve with. A follow-up is rewritten by the generator when one is given
 * and is a language model (the extractive backend is not), falling back to the heuristic when it fails,
 * times out or returns nothing usable; a standalone question is never sent to the model.
 */
export async function rewriteFollowUp(input: {
  history: ConversationTurn[];
  question: string;
  generator?: RewriteGenerator | null;
  timeoutMs?: number;
  /** The caller's Stop: ends a model's rewrite at once instead of after the timeout. */
  signal?: AbortSignal;
}): Promise<RewriteResult> {
  const question = input.question.trim();
  if (!question || input.history.length === 0 || !isFollowUp(question)) {
    return { query: question, method: 'unchanged' };
  }
  const generator = input.generator;
  if (generator && generator.id !== 'extractive') {
    const timeout = AbortSignal.timeout(input.timeoutMs ?? 8_000);
    const signal = input.signal ? AbortSignal.any([timeout, input.signal]) : timeout;
    try {
      // Only the recent turns, each capped: enough context for references, bounded prompt cost.
      const transcript = input.history
        .slice(-6)
        .map((turn) => `${turn.role === 'user' ? 'User' : 'Assistant'}: ${turn.content.slice(0, 600)}`)
        .join('\n');
      const { text } = await generator.invoke(
        [
          { role: 'system', content: SYSTEM_PROMPT },
          {
            role: 'user',
            content: `Conversation:\n${transcript}\n\nLast question: ${question}\n\nStandalone query:`,
          },
        ],
        { maxTokens: 64, temperature: 0, stop: ['\n'], signal },
      );
      const query = text
        .split('\n')[0]
        ?.replace(/^["'\s]+|["'\s]+$/g, '')
        .slice(0, 500);
      if (query && query.length >= 3) return { query, method: 'generator' };
    } catch {
      // A failing model must not fail the question: fall through to the heuristic.
    }
  }
  return rewriteHeuristically(input.history, question);
}
