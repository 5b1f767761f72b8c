import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk } from '@langchain/core/outputs';
import * as ort from 'onnxruntime-node';
import { createSession, type DeviceChoice } from '../device.ts';
import { readModelFolder } from '../model-folder.ts';
import { loadTokenizer } from '../tokenizer.ts';
import { createUsageChunk, LocalChatModel } from './local-chat-model.ts';
import { StopStringFilter } from './stop-string-filter.ts';
import type { ChatMessage, FinishReason } from './types.ts';

export type OnnxGeneratorOptions = {
  /** The CLEARANCE_GENERATOR spec it is loaded from (default `onnx:<dir>`). */
  id?: string;
  device?: DeviceChoice;
  intraOpThreads?: number;
  /** false re-runs the whole sequence each step (slow; tests compare it with the KV-cache path). */
  useKvCache?: boolean;
  /** Random source for top-p sampling (tests pass a seeded one). */
  random?: () => number;
};

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;

/**
 * Loads a decoder-only model exported by Optimum (input_ids, attention_mask, position_ids,
 * past_key_values.N.key/value -> logits, present.N.key/value) and decodes it with a KV cache.
 */
export async function createOnnxGenerator(
  dir: string,
  options: OnnxGeneratorOptions = {},
): Promise<OnnxChatModel> {
  const onnxFile = ['model.onnx', 'decoder_model_merged.onnx'].find(
    (f) => existsSync(join(dir, 'onnx', f)) || existsSync(join(dir, f)),
  );
  const folder = readModelFolder(dir, onnxFile);
  const [tokenizer, { session, device }] = await Promise.all([
    loadTokenizer(dir, dirname(dir)),
    createSession(folder.onnxPath, { device: options.device, intraOpThreads: options.intraOpThreads }),
  ]);
  const config = folder.config as Record<string, number | number[] | undefined>;
  const generationConfig = existsSync(join(dir, 'generation_config.json'))
    ? (JSON.parse(readFileSync(join(dir, 'generation_config.json'), 'utf8')) as Record<string, unknown>)
    : {};
  const eos = new Set<number>(
    [config.eos_token_id, generationConfig.eos_token_id, tokenizer.eos_token_id]
      .flat()
      .filter((x): x is number => typeof x === 'number'),
  );
  const pastNames = session.inputNames.filter((n) => PAST.test(n));
  const heads = Number(config.num_key_value_heads ?? config.num_attention_heads ?? 1);
  const headDim = Number(
    config.head_dim ?? Number(config.hidden_size) / Number(config.num_attention_heads ?? 1),
  );
  if (pastNames.length > 0 && !(headDim > 0)) {
    throw new Error(`${dir}/config.json lacks hidden_size/num_attention_heads needed for the KV cache`);
  }
  const useKvCache = options.useKvCache !== false && pastNames.length > 0;
  const random = options.random ?? Math.random;
  const hasPositions = session.inputNames.includes('position_ids');
  const hasCacheBranch = session.inputNames.includes('use_cache_branch');

  const emptyPast = (): Record<string, ort.Tensor> =>
    Object.fromEntries(
      pastNames.map((n) => [n, new ort.Tensor('float32', new Float32Array(0), [1, heads, 0, headDim])]),
    );

  async function step(ids: number[], pastLength: number, past: Record<string, ort.Tensor>) {
    const n = ids.length;
    const feeds: Record<string, ort.Tensor> = {
      ...past,
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(pastLength + n).fill(1n), [
        1,
        pastLength + n,
      ]),
    };
    if (hasPositions) {
      feeds.position_ids = new ort.Tensor(
        'int64',
        BigInt64Array.from({ length: n }, (_, i) => BigInt(pastLength + i)),
        [1, n],
      );
    }
    if (hasCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', [pastLength > 0], [1]);
    const out = await session.run(feeds);
    const logits = out.logits!;
    const vocab = logits.dims[2]!;
    const data = logits.data as Float32Array;
    const last = data.subarray((n - 1) * vocab, n * vocab);
    const present: Record<string, ort.Tensor> = {};
    for (const name of pastNames) {
      present[name] = out[name.replace('past_key_values', 'present')]!;
    }
    return { last, present };
  }

  return new OnnxChatModel({
    id: options.id ?? `onnx:${dir}`,
    device,
    applyChatTemplate: (messages) =>
      tokenizer.apply_chat_template(messages, { add_generation_prompt: true, tokenize: false }) as string,
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
    decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: true }),
    eos,
    useKvCache,
    random,
    emptyPast,
    step,
  });
}

type OnnxDecoder = {
  id: string;
  device: string;
  applyChatTemplate(messages: ChatMessage[]): string;
  encode(text: string): number[];
  decode(ids: number[]): string;
  eos: Set<number>;
  useKvCache: boolean;
  random: () => number;
  emptyPast(): Record<string, ort.Tensor>;
  step(
    ids: number[],
    pastLength: number,
    past: Record<string, ort.Tensor>,
  ): Promise<{ last: Float32Array; present: Record<string, ort.Tensor> }>;
};

/**
 * A decoder-only ONNX model as a LangChain chat model: the chat template renders the messages, tokens
 * stream as they decode, stop strings and the token limit end it, and aborting the signal stops it
 * between tokens. The last chunk carries the token counts and the finish reason.
 */
export class OnnxChatModel extends LocalChatModel {
  constructor(private readonly decoder: OnnxDecoder) {
    super(decoder.id, decoder.device);
  }

  _llmType(): string {
    return 'clearance-onnx-causal';
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const { decoder } = this;
    const promptIds = decoder.encode(decoder.applyChatTemplate(messages.map(toChatMessage)));
    yield createUsageChunk(promptIds.length, 0);
    const maxTokens = options.maxTokens ?? 512;
    const filter = new StopStringFilter(options.stop ?? []);
    const generated: number[] = [];
    let text = '';
    let past = decoder.emptyPast();
    let pastLength = 0;
    let next = promptIds;
    let finishReason: FinishReason = 'length';
    const chunkOf = (delta: string) =>
      new ChatGenerationChunk({ text: delta, message: new AIMessageChunk(delta) });
    while (generated.length < maxTokens) {
      // LangChain's stream raises the abort once this returns.
      if (options.signal?.aborted) return;
      const input = decoder.useKvCache ? next : [...promptIds, ...generated];
      const { last, present } = await decoder.step(
        input,
        decoder.useKvCache ? pastLength : 0,
        decoder.useKvCache ? past : decoder.emptyPast(),
      );
      if (decoder.useKvCache) {
        past = present;
        pastLength += input.length;
      }
      const token = pickToken(last, options.temperature ?? 0, options.topP ?? 1, decoder.random);
      if (decoder.eos.has(token)) {
        finishReason = 'stop';
        break;
      }
      generated.push(token);
      next = [token];
      const decoded = decoder.decode(generated);
      // Wait for multi-byte characters split across tokens to complete.
      if (decoded.endsWith('\uFFFD') || !decoded.startsWith(text)) continue;
      const { delta, hit } = filter.push(decoded.slice(text.length));
      text = decoded;
      if (delta) {
        yield chunkOf(delta);
        await runManager?.handleLLMNewToken(delta);
      }
      if (hit) {
        finishReason = 'stop';
        break;
      }
    }
    // Text held back waiting for a multi-byte character that never completed, or for a stop string.
    const decoded = decoder.decode(generated);
    const rest =
      (decoded.startsWith(text) ? filter.push(decoded.slice(text.length)).delta : '') + filter.flush();
    if (rest) yield chunkOf(rest);
    yield createUsageChunk(0, generated.length, { finish_reason: finishReason });
  }
}

function toChatMessage(message: BaseMessage): ChatMessage {
  const type = message.getType();
  return { role: type === 'system' ? 'system' : type === 'ai' ? 'assistant' : 'user', content: message.text };
}

/** Greedy at temperature 0; otherwise nucleus (top-p) sampling over temperature-scaled logits. */
export function pickToken(
  logits: Float32Array,
  temperature: number,
  topP: number,
  random: () => number,
): number {
  if (!(temperature > 0)) {
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
    return best;
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const x of logits) if (x > max) max = x;
  const probs = Array.from(logits, (x, i) => ({ i, p: Math.exp((x - max) / temperature) }));
  const total = probs.reduce((s, x) => s + x.p, 0);
  probs.sort((a, b) => b.p - a.p);
  const kept: typeof probs = [];
  let mass = 0;
  for (const x of probs) {
    kept.push(x);
    mass += x.p / total;
    if (mass >= topP) break;
  }
  let r = random() * kept.reduce((s, x) => s + x.p, 0);
  for (const x of kept) {
    r -= x.p;
    if (r <= 0) return x.i;
  }
  return kept[kept.length - 1]!.i;
}
