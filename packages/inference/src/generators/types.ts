export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };
export type GroundingPassage = { marker: number; text: string; title?: string };

export type GenerateOptions = {
  maxTokens?: number;
  /** 0 or undefined: greedy. */
  temperature?: number;
  topP?: number;
  stop?: string[];
  /** Aborting ends the stream promptly; result.stopped is then true. */
  signal?: AbortSignal;
  /** The extractive backend answers from these; LLM backends answer from the messages. */
  grounding?: { question: string; passages: GroundingPassage[] };
};

export type GenerationResult = {
  promptTokens: number;
  completionTokens: number;
  /** Milliseconds until the first text delta, null when nothing was produced. */
  ttftMs: number | null;
  totalMs: number;
  /** True when the caller's AbortSignal cut the generation short. */
  stopped: boolean;
  /** Why generation ended: end of text/stop string, token limit, or abort. */
  finishReason: 'stop' | 'length' | 'abort';
  /** Extractive backend only: false when it declined because the passages don't answer the question. */
  answered?: boolean;
  /**
   * Extractive backend only: 'answer', 'closest' (no sentence answers; the reply lists the closest passages,
   * cited) or 'none' (nothing relevant).
   */
  outcome?: 'answer' | 'closest' | 'none';
};

/** Text deltas as they are produced, plus counts and timings once finished. */
export type Generation = AsyncIterable<string> & { result: Promise<GenerationResult> };

export type Generator = {
  /** The CLEARANCE_GENERATOR spec it was loaded from, e.g. 'extractive' or 'onnx:/models/qwen'. */
  id: string;
  /** 'cpu' | 'cuda' for in-process models, 'remote' for openai:. */
  device: string;
  generate(messages: ChatMessage[], options?: GenerateOptions): Generation;
};
