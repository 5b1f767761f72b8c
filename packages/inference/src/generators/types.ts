import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import type { BaseChatModelCallOptions } from '@langchain/core/language_models/chat_models';
import type { AIMessageChunk } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };
/** A passage the question is answered from, numbered by the marker its citations use. */
export type GroundingPassage = { marker: number; text: string; title?: string };

/** Per-call settings every generator accepts, beside LangChain's own (stop, signal, callbacks). */
export type GeneratorCallOptions = BaseChatModelCallOptions & {
  maxTokens?: number;
  /** 0 or undefined: greedy. */
  temperature?: number;
  topP?: number;
};

/** Why generation ended: end of text/stop string, token limit, or abort. */
export type FinishReason = 'stop' | 'length' | 'abort';

/**
 * What the extractive engine reports beside its text, in the last chunk's response_metadata (LLM
 * backends report finish_reason there too, and token counts in usage_metadata).
 */
export type GenerationMetadata = {
  finish_reason?: FinishReason;
  /** Extractive backend only: false when it declined because the passages don't answer the question. */
  answered?: boolean;
  /**
   * Extractive backend only: 'answer', 'closest' (no sentence answers; the reply lists the closest passages,
   * cited) or 'none' (nothing relevant).
   */
  outcome?: 'answer' | 'closest' | 'none';
};

export type GenerationResult = {
  promptTokens: number;
  completionTokens: number;
  /** Milliseconds until the first text delta, null when nothing was produced. */
  ttftMs: number | null;
  totalMs: number;
  /** True when the caller's AbortSignal cut the generation short. */
  stopped: boolean;
  finishReason: FinishReason;
  answered?: boolean;
  outcome?: GenerationMetadata['outcome'];
};

/** Text deltas as they are produced, plus counts and timings once finished. */
export type Generation = AsyncIterable<string> & { result: Promise<GenerationResult> };

/**
 * A LangChain chat model (the extractive engine, an ONNX decoder, or an OpenAI-compatible server),
 * tagged with the CLEARANCE_GENERATOR spec it was loaded from and where it runs.
 */
export type Generator = Runnable<BaseLanguageModelInput, AIMessageChunk, GeneratorCallOptions> & {
  /** The CLEARANCE_GENERATOR spec it was loaded from, e.g. 'extractive' or 'onnx:/models/qwen'. */
  readonly id: string;
  /** 'cpu' | 'cuda' for in-process models, 'remote' for openai:. */
  readonly device: string;
};
