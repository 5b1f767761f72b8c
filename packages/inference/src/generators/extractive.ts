import type { Embedder } from '../embedder.ts';
import { composeExtractiveAnswer } from './compose-answer.ts';
import { createGeneration } from './create-generation.ts';
import type { ChatMessage, GenerateOptions, Generation, Generator } from './types.ts';

export {
  type AnswerOutcome,
  CLOSEST_PASSAGES_TEXT,
  type ComposedAnswer,
  composeExtractiveAnswer,
  isNoAnswer,
  NO_ANSWER_TEXT,
} from './compose-answer.ts';
export { splitUnits, type TextUnit } from './split-units.ts';

/** The default backend: answers with the passages' own sentences, each cited; declines when none answers. */
export function createExtractiveGenerator(embedder: Embedder): Generator {
  return {
    id: 'extractive',
    device: embedder.device,
    generate(messages: ChatMessage[], options: GenerateOptions = {}): Generation {
      return createGeneration(async (emit) => {
        const question =
          options.grounding?.question ??
          [...messages].reverse().find((m) => m.role === 'user')?.content ??
          '';
        const passages = options.grounding?.passages ?? [];
        const promptTokens =
          embedder.countTokens(question) + passages.reduce((n, p) => n + embedder.countTokens(p.text), 0);
        const { text, answered, outcome } = await composeExtractiveAnswer(embedder, question, passages);
        const maxWords = options.maxTokens ?? Number.POSITIVE_INFINITY;
        const words = text.match(/\S+\s*/g) ?? [];
        let count = 0;
        for (const word of words) {
          if (options.signal?.aborted) {
            return {
              promptTokens,
              completionTokens: count,
              stopped: true,
              finishReason: 'abort',
              answered,
              outcome,
            };
          }
          if (count >= maxWords) {
            return {
              promptTokens,
              completionTokens: count,
              stopped: false,
              finishReason: 'length',
              answered,
              outcome,
            };
          }
          emit(word);
          count++;
          // Yield so the answer streams word by word instead of arriving in one chunk.
          await new Promise((r) => setImmediate(r));
        }
        return {
          promptTokens,
          completionTokens: embedder.countTokens(text),
          stopped: false,
          finishReason: 'stop',
          answered,
          outcome,
        };
      });
    },
  };
}
