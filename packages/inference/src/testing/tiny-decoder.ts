import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxGraphBuilder } from '../onnx/onnx-builder.ts';
import { randomFloats, seededRandom } from './random.ts';

const SPECIAL = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
export const TINY_DECODER_WORDS = (
  'system user assistant you are helpful hello what is the leave policy invoice paid monthly days annual ' +
  'apple river stone cloud green quick seven blue north table music paper light window garden'
).split(' ');
const D = 8;

// ChatML, as in Qwen2.5/SmolLM2 tokenizer_config.json files.
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/**
 * Writes a one-layer decoder-only model in the Optimum export layout with random weights:
 * input_ids, attention_mask, position_ids, past_key_values.0.key/value -> logits, present.0.key/value,
 * plus a WordLevel tokenizer with ChatML special tokens and chat template.
 */
export function writeTinyDecoder(
  dir: string,
  seed = 11,
  /** Positions it can attend to: prompt plus answer (a chat prompt with passages needs more than 64). */
  maxPositions = 64,
): { dir: string; vocab: Record<string, number> } {
  const random = seededRandom(seed);
  const vocab = Object.fromEntries([...SPECIAL, ...TINY_DECODER_WORDS].map((w, i) => [w, i]));
  const V = Object.keys(vocab).length;
  const g = new OnnxGraphBuilder('tiny-decoder');
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const mask = g.input('attention_mask', 'int64', ['batch', 'total']);
  const pos = g.input('position_ids', 'int64', ['batch', 'sequence']);
  const pastK = g.input('past_key_values.0.key', 'float32', ['batch', 1, 'past', D]);
  const pastV = g.input('past_key_values.0.value', 'float32', ['batch', 1, 'past', D]);
  g.output('logits', 'float32', ['batch', 'sequence', V]);
  g.output('present.0.key', 'float32', ['batch', 1, 'total', D]);
  g.output('present.0.value', 'float32', ['batch', 1, 'total', D]);
  const axis1 = g.ints('axis1', [1], [1]);
  const axes12 = g.ints('axes12', [2], [1, 2]);
  const x = g.op('Add', [
    g.op('Gather', [g.floats('tok', [V, D], randomFloats(V * D, random)), ids], { axis: 0 }),
    g.op('Gather', [g.floats('pos', [maxPositions, D], randomFloats(maxPositions * D, random, 0.3)), pos], {
      axis: 0,
    }),
  ]);
  const proj = (name: string) =>
    g.op('Unsqueeze', [g.op('MatMul', [x, g.floats(name, [D, D], randomFloats(D * D, random))]), axis1]);
  const q = proj('wq');
  const k = g.op('Concat', [pastK, proj('wk')], { axis: 2 }, 'present.0.key');
  const v = g.op('Concat', [pastV, proj('wv')], { axis: 2 }, 'present.0.value');
  const scores = g.op('Mul', [
    g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 1, 3, 2] })]),
    g.floats('scale', [], new Float32Array([1 / Math.sqrt(D)])),
  ]);
  const maskF = g.op('Cast', [mask], { to: 1 });
  const bias = g.op('Unsqueeze', [
    g.op('Mul', [
      g.op('Sub', [g.floats('one', [], new Float32Array([1])), maskF]),
      g.floats('neg', [], new Float32Array([-1e4])),
    ]),
    axes12,
  ]);
  const probs = g.op('Softmax', [g.op('Add', [scores, bias])], { axis: -1 });
  const ctx = g.op('Squeeze', [g.op('MatMul', [probs, v]), axis1]);
  const h = g.op('Add', [x, ctx]);
  g.op('MatMul', [h, g.floats('wout', [D, V], randomFloats(D * V, random, 2))], {}, 'logits');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), g.encode());
  writeFileSync(
    join(dir, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: SPECIAL.map((content) => ({
        id: vocab[content],
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: { type: 'Lowercase' },
      pre_tokenizer: { type: 'WhitespaceSplit' },
      post_processor: null,
      decoder: { type: 'WordPiece', prefix: '##', cleanup: false },
      model: { type: 'WordLevel', vocab, unk_token: '<|endoftext|>' },
    }),
  );
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'PreTrainedTokenizerFast',
      model_max_length: maxPositions,
      eos_token: '<|im_end|>',
      pad_token: '<|endoftext|>',
      unk_token: '<|endoftext|>',
      chat_template: CHATML_TEMPLATE,
    }),
  );
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      architectures: ['TinyForCausalLM'],
      model_type: 'tiny',
      hidden_size: D,
      num_attention_heads: 1,
      num_key_value_heads: 1,
      num_hidden_layers: 1,
      vocab_size: V,
      eos_token_id: vocab['<|im_end|>'],
    }),
  );
  return { dir, vocab };
}
