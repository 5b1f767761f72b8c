import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk } from '@langchain/core/outputs';
import type { Embedder } from '../embedder.ts';
import { composeExtractiveAnswer } from './compose-answer.ts';
import { readGroundedQuestion } from './grounded-question.ts';
import { createUsageChunk, LocalChatModel } from './local-chat-model.ts';
import type { FinishReason } from './types.ts';

export {
  type AnswerOutcome,
  CLOSEST_PASSAGES_TEXT,
  type ComposedAnswer,
  composeExtractiveAnswer,
  isNoAnswer,
  NO_ANSWER_TEXT,
} from './compose-answer.ts';
export { splitUnits, type TextUnit } from './split-units.ts';

/**
 * Words per streamed chunk. Each chunk passes LangChain's stream transforms and the chat route's guard and
 * marker filter (~40 us each); a few words at a time still read as streaming and cost a quarter of that.
 */
const WORDS_PER_CHUNK = 4;

/**
 * The default backend as a LangChain chat model: answers the question of the last user message with
 * the sentences of its passages (createGroundedMessage), each cited, and declines when none answers.
 * The last chunk's response_metadata says which (`answered`, `outcome`).
 */
export class ExtractiveChatModel extends LocalChatModel {
  constructor(private readonly embedder: Embedder) {
    super('extractive', embedder.device);
  }

  // Per class, not from `id`: LangChain reads it while constructing, before any field is set.
  _llmType(): string {
    return 'clearance-extractive';
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const { question, passages } = readGroundedQuestion(messages);
    const promptTokens =
      this.embedder.countTokens(question) +
      passages.reduce((n, p) => n + this.embedder.countTokens(p.text), 0);
    yield createUsageChunk(promptTokens, 0);
    const { text, answered, outcome } = await composeExtractiveAnswer(this.embedder, question, passages);
    const maxWords = options.maxTokens ?? Number.POSITIVE_INFINITY;
    const words = text.match(/\S+\s*/g) ?? [];
    let count = 0;
    let finishReason: FinishReason = 'stop';
    for (let at = 0; at < words.length; at += WORDS_PER_CHUNK) {
      // LangChain's stream raises the abort once this returns.
      if (options.signal?.aborted) return;
      if (count >= maxWords) {
        finishReason = 'length';
        break;
      }
      const piece = words.slice(at, Math.min(at + WORDS_PER_CHUNK, at + maxWords - count)).join('');
      yield new ChatGenerationChunk({ text: piece, message: new AIMessageChunk(piece) });
      await runManager?.handleLLMNewToken(piece);
      count += Math.min(WORDS_PER_CHUNK, maxWords - count);
      // Yield so the answer streams in pieces instead of arriving in one chunk.
      await new Promise((r) => setImmediate(r));
    }
    const completionTokens = finishReason === 'stop' ? this.embedder.countTokens(text) : count;
    yield createUsageChunk(0, completionTokens, { finish_reason: finishReason, answered, outcome });
  }
}

/** The default backend: answers with the passages' own sentences, each cited; declines when none answers. */
export function createExtractiveGenerator(embedder: Embedder): ExtractiveChatModel {
  return new ExtractiveChatModel(embedder);
}
