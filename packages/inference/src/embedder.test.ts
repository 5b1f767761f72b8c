import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cosine, loadEmbedder } from './embedder.ts';
import { getTestGloveDir } from './testing/glove-fixture.ts';
import { expectedTinyBert, writeTinyBert } from './testing/tiny-bert.ts';

describe('glove-100d', () => {
  it('puts paraphrases closer than unrelated sentences', async () => {
    const embedder = await loadEmbedder({ name: await getTestGloveDir(), device: 'cpu' });
    expect(embedder.id).toBe('glove-100d');
    expect(embedder.dimension).toBe(100);
    const [cat, kitten, revenue] = await embedder.embed(
      ['The cat sat on the mat.', 'A kitten rested on the rug.', 'Quarterly revenue rose five percent.'],
      { kind: 'document' },
    );
    expect(cosine(cat!, kitten!)).toBeGreaterThan(cosine(cat!, revenue!) + 0.1);
    expect(Math.hypot(...cat!)).toBeCloseTo(1, 5);
  });

  it('ranks workplace paraphrases first', async () => {
    const embedder = await loadEmbedder({ name: await getTestGloveDir(), device: 'cpu' });
    const texts = [
      'How many days of annual leave do I get?',
      'What is my yearly vacation allowance?',
      'Hotel costs for business trips are reimbursed.',
      'Employees can claim accommodation expenses when travelling for work.',
      'The boiler needs servicing every twelve months.',
      'Schedule annual maintenance for the heating system.',
    ];
    const v = await embedder.embed(texts, { kind: 'document' });
    for (let i = 0; i < texts.length; i++) {
      const pair = i ^ 1;
      for (let j = 0; j < texts.length; j++) {
        if (j !== i && j !== pair) expect(cosine(v[i]!, v[pair]!)).toBeGreaterThan(cosine(v[i]!, v[j]!));
      }
    }
  });

  it('shares one instance, micro-batches concurrent callers and counts tokens', async () => {
    const dir = await getTestGloveDir();
    const a = await loadEmbedder({ name: dir, device: 'cpu' });
    const b = await loadEmbedder({ name: dir, device: 'cpu' });
    expect(a).toBe(b);
    // Queries: document vectors are kept once computed, and this compares two model runs.
    const texts = Array.from({ length: 16 }, (_, i) => `Invoice ${i} was paid on time by the finance team.`);
    const alone = await Promise.all(texts.map(async (t) => (await a.embed([t], { kind: 'query' }))[0]!));
    const together = await a.embed(texts, { kind: 'query' });
    alone.forEach((v, i) => {
      expect(cosine(v, together[i]!)).toBeCloseTo(1, 5);
    });
    expect(a.countTokens("Don't panic.")).toBe(5);
  });

  it('gives a document text the same vector again, as a copy the caller owns', async () => {
    const embedder = await loadEmbedder({ name: await getTestGloveDir(), device: 'cpu' });
    const text = 'Receipts are attached to the expense report within thirty days.';
    const [first] = await embedder.embed([text], { kind: 'document' });
    const expected = Array.from(first!);
    first!.fill(0);
    const [second] = await embedder.embed([text, 'Another sentence.'], { kind: 'document' });
    expect(Array.from(second!)).toEqual(expected);
    second!.fill(0);
    const [third] = await embedder.embed([text], { kind: 'document' });
    expect(Array.from(third!)).toEqual(expected);
  });
});

describe('sentence-transformers layout (tiny BERT with random weights)', () => {
  const root = mkdtempSync(join(tmpdir(), 'clearance-tiny-bert-'));

  it.each(['mean', 'cls'] as const)('applies %s pooling from 1_Pooling/config.json', async (pooling) => {
    const model = writeTinyBert(join(root, `tiny-${pooling}`), pooling);
    const embedder = await loadEmbedder({ name: model.dir, device: 'cpu' });
    expect(embedder.maxTokens).toBe(14);
    // Queries, so that both calls run the model (document vectors are kept once computed).
    const [got] = await embedder.embed(['Hello world'], { kind: 'query' });
    const ids = [model.vocab['[CLS]']!, model.vocab.hello!, model.vocab.world!, model.vocab['[SEP]']!];
    const want = expectedTinyBert(model, ids, pooling);
    expect(Array.from(got!)).toEqual(Array.from(want).map((x) => expect.closeTo(x, 5)));
    // Padding in a mixed-length batch must not change the result.
    const [, again] = await embedder.embed(['the leave policy invoice hello world', 'Hello world'], {
      kind: 'query',
    });
    expect(cosine(again!, got!)).toBeCloseTo(1, 5);
  });

  it('adds e5 query/passage prefixes', async () => {
    const plain = await loadEmbedder({ name: writeTinyBert(join(root, 'plain'), 'mean').dir, device: 'cpu' });
    const e5 = await loadEmbedder({ name: writeTinyBert(join(root, 'e5-tiny'), 'mean').dir, device: 'cpu' });
    const [q] = await e5.embed(['hello world'], { kind: 'query' });
    const [d] = await e5.embed(['hello world'], { kind: 'document' });
    const [wantQ] = await plain.embed(['query: hello world'], { kind: 'document' });
    const [wantD] = await plain.embed(['passage: hello world'], { kind: 'document' });
    expect(cosine(q!, wantQ!)).toBeCloseTo(1, 5);
    expect(cosine(d!, wantD!)).toBeCloseTo(1, 5);
    expect(cosine(q!, d!)).toBeLessThan(0.9999);
  });

  it('fails with a fix when the model folder is missing', async () => {
    await expect(loadEmbedder({ name: join(root, 'nope'), device: 'cpu' })).rejects.toThrow(/models:build/);
  });
});
