import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { GenerationMetadata, GeneratorCallOptions } from './types.ts';

/**
 * A chat model computed in this process (the extractive engine, an ONNX decoder). Subclasses only
 * stream (`_streamResponseChunks`); invoke() gathers the same stream, so there is one decoding path.
 * The last chunk carries the token counts (usage_metadata) and the finish reason (generationInfo).
 */
export abstract class LocalChatModel extends BaseChatModel<GeneratorCallOptions> {
  /**
   * @param id The CLEARANCE_GENERATOR spec it was loaded from.
   * @param device Where it computes: 'cpu' or 'cuda'.
   */
  constructor(
    readonly id: string,
    readonly device: string,
  ) {
    super({});
  }

  abstract override _streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk>;

  async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    let gathered: ChatGenerationChunk | undefined;
    for await (const chunk of this._streamResponseChunks(messages, options, runManager)) {
      gathered = gathered ? gathered.concat(chunk) : chunk;
    }
    return {
      generations: [
        {
          text: gathered?.text ?? '',
          message: gathered?.message ?? new AIMessageChunk(''),
          generationInfo: gathered?.generationInfo,
        },
      ],
    };
  }
}

/**
 * A chunk without text that reports tokens (LangChain adds usage_metadata up across a stream's chunks).
 * Local models send the prompt's count first, so an answer stopped halfway still records it, and the
 * completion's count with the finish reason last.
 */
export function createUsageChunk(
  inputTokens: number,
  outputTokens: number,
  generationInfo?: GenerationMetadata,
): ChatGenerationChunk {
  return new ChatGenerationChunk({
    text: '',
    message: new AIMessageChunk({
      content: '',
      usage_metadata: {
        input_tokens: inputTokens,
        output_tokens: outputTokens,
        total_tokens: inputTokens + outputTokens,
      },
    }),
    generationInfo,
  });
}
