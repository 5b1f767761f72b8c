import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTestGloveDir } from './testing/glove-fixture.ts';
import { writeTinyBert } from './testing/tiny-bert.ts';
import { loadTokenizer, type PreTrainedTokenizer } from './tokenizer.ts';
import {
  createWordLevelEncoder,
  NeedsGenericTokenizer,
  type WordLevelEncoder,
} from './word-level-encoder.ts';

const SAMPLES = [
  'The domestic per diem is EUR 65 per day.',
  "Torque the pump mounting nuts to 22 Nm (see WI-OPS-HYD-012), then re-check: don't skip it!",
  '  Leading and trailing   spaces\tand\nnewlines  ',
  'Ünïcödé naïve café — “quoted” «guillemets» and ¿questions? ¡Sí!',
  'Emoji 🚀 and CJK 日本語 and numbers 3.14, 1,200 and 08:30',
  'e-mail: ana@example.com; path C:\\\\Temp\\\\x; math a+b=c^2 ~approx~ {braces} [brackets] |pipe|',
  'Zero\u200Bwidth joiners\u200D and soft\u00ADhyphens',
  '',
  'word '.repeat(600),
];

describe('the word-level fast path for glove-100d', () => {
  let fast: WordLevelEncoder;
  let generic: PreTrainedTokenizer;

  beforeAll(async () => {
    const dir = await getTestGloveDir();
    fast = createWordLevelEncoder(dir)!;
    generic = await loadTokenizer(dir, path.dirname(dir));
  }, 180_000);

  it('gives exactly the ids transformers.js gives, truncated the same way', () => {
    expect(fast).toBeDefined();
    const corpus = readFileSync(
      path.join(import.meta.dirname, '../../../prisma/seed/documents/finance/travel-policy.md'),
      'utf8',
    );
    for (const text of [...SAMPLES, ...corpus.split('\n')]) {
      const expected = generic(text, { truncation: true, max_length: 512, return_tensor: false })
        .input_ids as number[];
      expect(fast(text, 512)).toEqual(expected);
    }
  });

  it('hands texts containing special tokens back to the generic tokenizer', () => {
    expect(() => fast('a literal [UNK] in the text')).toThrow(NeedsGenericTokenizer);
  });

  it('is not used for tokenizers of another shape', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tiny-bert-'));
    writeTinyBert(dir, 'mean');
    expect(createWordLevelEncoder(dir)).toBeUndefined();
  });
});
