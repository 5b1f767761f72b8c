import { type BaseMessage, HumanMessage } from '@langchain/core/messages';
import type { GroundingPassage } from './types.ts';

/** A question with the passages it must be answered from. */
export type GroundedQuestion = { question: string; passages: GroundingPassage[] };

// additional_kwargs under this key never reach an OpenAI-compatible server (the converter sends only
// role, content, name and tool fields), so the passages go to the model once: as the prompt's text.
const GROUNDED_QUESTION_KEY = 'clearance_grounded_question';

/**
 * The user message of an answer prompt: `content` is the rendered prompt (what language models read),
 * and the message also carries the question and its passages as data, for the extractive engine,
 * which answers by choosing sentences and would otherwise have to parse them back out of the prompt.
 */
export function createGroundedMessage(content: string, grounded: GroundedQuestion): HumanMessage {
  return new HumanMessage({ content, additional_kwargs: { [GROUNDED_QUESTION_KEY]: grounded } });
}

/**
 * The question and passages of the last user message: what createGroundedMessage attached, or the
 * message's own text with no passages.
 */
export function readGroundedQuestion(messages: BaseMessage[]): GroundedQuestion {
  const last = messages.findLast((message) => message.getType() === 'human');
  if (!last) return { question: '', passages: [] };
  const grounded = last.additional_kwargs[GROUNDED_QUESTION_KEY] as GroundedQuestion | undefined;
  return grounded ?? { question: last.text, passages: [] };
}
