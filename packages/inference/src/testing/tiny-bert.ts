import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxGraphBuilder } from '../onnx/onnx-builder.ts';
import { randomFloats, seededRandom } from './random.ts';

export const TINY_BERT_WORDS = [
  'hello',
  'world',
  'leave',
  'policy',
  'invoice',
  'query',
  'passage',
  ':',
  'the',
];
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
export const TINY_HIDDEN = 8;

export type TinyBert = {
  dir: string;
  embeddings: Float32Array;
  weight: Float32Array;
  vocab: Record<string, number>;
};

/**
 * Writes a BERT-shaped model folder with random weights: WordPiece tokenizer.json with [CLS]/[SEP],
 * an ONNX graph input_ids/attention_mask/token_type_ids -> last_hidden_state = tanh(E[ids] W), and
 * 1_Pooling/config.json selecting mean or CLS pooling.
 */
export function writeTinyBert(dir: string, pooling: 'mean' | 'cls', seed = 7): TinyBert {
  const random = seededRandom(seed);
  const vocab = Object.fromEntries([...SPECIAL, ...TINY_BERT_WORDS].map((w, i) => [w, i]));
  const rows = Object.keys(vocab).length;
  const embeddings = randomFloats(rows * TINY_HIDDEN, random);
  const weight = randomFloats(TINY_HIDDEN * TINY_HIDDEN, random);
  const g = new OnnxGraphBuilder('tiny-bert');
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  g.input('attention_mask', 'int64', ['batch', 'sequence']);
  g.input('token_type_ids', 'int64', ['batch', 'sequence']);
  g.output('last_hidden_state', 'float32', ['batch', 'sequence', TINY_HIDDEN]);
  const e = g.op('Gather', [g.floats('emb', [rows, TINY_HIDDEN], embeddings), ids], { axis: 0 });
  const h = g.op('MatMul', [e, g.floats('w', [TINY_HIDDEN, TINY_HIDDEN], weight)]);
  g.op('Tanh', [h], {}, 'last_hidden_state');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  mkdirSync(join(dir, '1_Pooling'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), g.encode());
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  writeFileSync(
    join(dir, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: SPECIAL.map(special),
      normalizer: {
        type: 'BertNormalizer',
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: null,
        lowercase: true,
      },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [
          { SpecialToken: { id: '[CLS]', type_id: 0 } },
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: '[SEP]', type_id: 0 } },
        ],
        pair: [],
        special_tokens: {
          '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
          '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
        },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab,
      },
    }),
  );
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 16,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
    }),
  );
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      architectures: ['BertModel'],
      model_type: 'bert',
      hidden_size: TINY_HIDDEN,
      max_position_embeddings: 16,
    }),
  );
  writeFileSync(
    join(dir, '1_Pooling', 'config.json'),
    JSON.stringify({
      word_embedding_dimension: TINY_HIDDEN,
      pooling_mode_cls_token: pooling === 'cls',
      pooling_mode_mean_tokens: pooling === 'mean',
    }),
  );
  return { dir, embeddings, weight, vocab };
}

/** What the tiny model should return for a token id sequence (reference implementation in JS). */
export function expectedTinyBert(model: TinyBert, ids: number[], pooling: 'mean' | 'cls'): Float32Array {
  const rowsOut = ids.map((id) => {
    const out = new Float32Array(TINY_HIDDEN);
    for (let j = 0; j < TINY_HIDDEN; j++) {
      let s = 0;
      for (let k = 0; k < TINY_HIDDEN; k++)
        s += model.embeddings[id * TINY_HIDDEN + k]! * model.weight[k * TINY_HIDDEN + j]!;
      out[j] = Math.tanh(s);
    }
    return out;
  });
  const v = new Float32Array(TINY_HIDDEN);
  const used = pooling === 'cls' ? rowsOut.slice(0, 1) : rowsOut;
  for (const r of used) for (let j = 0; j < TINY_HIDDEN; j++) v[j]! += r[j]!;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}
