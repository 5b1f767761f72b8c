import 'server-only';
import type { AccessScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { type Generator, isNoAnswer, loadGenerator, readGeneration } from '@clearance/inference';
import { createAnswerChain, type GroundedAnswerInput } from './answer-chain.ts';
import { NOTHING_FOUND_TEXT } from './answer-question.ts';
import { checkCitations, createMarkerFilter } from './check-citations.ts';
import type { ChatCitation } from './types.ts';

export type AnswerPreview = {
  content: string;
  unanswered: boolean;
  citations: ChatCitation[];
  /** The documents of every passage the answer was written from (whose text it may quote). */
  sourceDocumentIds: string[];
};

/**
 * The answer a scope would get to a first question (no history), generated the way the chat does —
 * the same chain: passages, prompt, generator — and the same citation check, but stored nowhere: See-as
 * shows it to an admin before access is granted. The caller audits the preview.
 */
export async function previewAnswer(
  db: Db,
  input: { scope: AccessScope; question: string; generator?: Generator },
): Promise<AnswerPreview> {
  const generator = input.generator ?? (await loadGenerator());
  let grounded: GroundedAnswerInput | undefined;
  const chain = createAnswerChain({
    db,
    scope: input.scope,
    generator,
    onRetrieved: (retrieved) => {
      grounded = retrieved;
    },
  });
  let content = '';
  const generation = readGeneration(() => chain.stream({ question: input.question, history: [] }));
  for await (const delta of generation) content += delta;
  const result = await generation.result;
  if (!grounded?.passages.length) {
    return { content: NOTHING_FOUND_TEXT, unanswered: true, citations: [], sourceDocumentIds: [] };
  }
  const sourceDocumentIds = [...new Set(grounded.passages.map((passage) => passage.documentId))];
  const filter = createMarkerFilter(new Set(grounded.passages.map((passage) => passage.marker)));
  content = filter.push(content) + filter.flush();
  const passages = filter.renumber(grounded.passages);
  if (result.answered === false || isNoAnswer(content)) {
    // A "closest passages" reply cites what it shows, as in the chat.
    const citations = result.outcome === 'closest' ? checkCitations(content, passages) : [];
    return { content: content.trim() || NOTHING_FOUND_TEXT, unanswered: true, citations, sourceDocumentIds };
  }
  return { content, unanswered: false, citations: checkCitations(content, passages), sourceDocumentIds };
}
