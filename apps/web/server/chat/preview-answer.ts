import 'server-only';
import type { AccessScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { type Generator, isNoAnswer, loadGenerator } from '@clearance/inference';
import { MAX_ANSWER_TOKENS, NOTHING_FOUND_TEXT, retrieveForParts } from './answer-question.ts';
import { buildPrompt } from './build-prompt.ts';
import { checkCitations, createMarkerFilter } from './check-citations.ts';
import { retrievePassages } from './retrieve-passages.ts';
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
 * same passages, prompt, generator and citation check — but stored nowhere: See-as shows it to an
 * admin before access is granted. The caller audits the preview.
 */
export async function previewAnswer(
  db: Db,
  input: { scope: AccessScope; question: string; generator?: Generator },
): Promise<AnswerPreview> {
  const retrieved = await retrieveForParts((args) => retrievePassages(db, args), input.scope, input.question);
  let passages = retrieved.passages;
  // Misspelt words corrected to the scope's own words, as in the chat.
  const question = retrieved.correctedQuery ?? input.question;
  if (passages.length === 0) {
    return { content: NOTHING_FOUND_TEXT, unanswered: true, citations: [], sourceDocumentIds: [] };
  }
  const sourceDocumentIds = [...new Set(passages.map((passage) => passage.documentId))];
  const generator = input.generator ?? (await loadGenerator());
  const generation = generator.generate(buildPrompt({ question, passages, history: [] }), {
    maxTokens: MAX_ANSWER_TOKENS,
    temperature: 0,
    grounding: {
      question,
      passages: passages.map(({ marker, text, title }) => ({ marker, text, title })),
    },
  });
  const filter = createMarkerFilter(new Set(passages.map((passage) => passage.marker)));
  let content = '';
  for await (const delta of generation) content += filter.push(delta);
  content += filter.flush();
  passages = filter.renumber(passages);
  const result = await generation.result;
  if (result.answered === false || isNoAnswer(content)) {
    // A "closest passages" reply cites what it shows, as in the chat.
    const citations = result.outcome === 'closest' ? checkCitations(content, passages) : [];
    return { content: content.trim() || NOTHING_FOUND_TEXT, unanswered: true, citations, sourceDocumentIds };
  }
  return { content, unanswered: false, citations: checkCitations(content, passages), sourceDocumentIds };
}
