// npm run bench:inference - embedding throughput of the configured embedder (not a test: prints numbers)
import { performance } from 'node:perf_hooks';
import { loadEmbedder } from '../src/embedder.ts';
import { ensureDefaultModels } from '../src/models.ts';

const SUBJECTS = ['Annual leave', 'Supplier invoices', 'Boiler maintenance', 'Travel expenses', 'Sick leave'];
const texts = Array.from(
  { length: 512 },
  (_, i) =>
    `${SUBJECTS[i % SUBJECTS.length]} note ${i}: requests must be approved by the line manager, recorded in the ` +
    `portal and reviewed by the finance team within ${(i % 28) + 2} days of submission, with receipts attached.`,
);

await ensureDefaultModels();
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
const embedder = await loadEmbedder();
const loadMs = performance.now() - t0;
const tokensPer = texts.map((t) => embedder.countTokens(t));
const avgTokens = tokensPer.reduce((a, b) => a + b, 0) / texts.length;
console.log(
  `model ${embedder.id} (${embedder.dimension}-d, ${embedder.device}), ${avgTokens.toFixed(0)} tokens/text`,
);
console.log(`load ${loadMs.toFixed(0)} ms, RSS +${((process.memoryUsage().rss - rss0) / 1e6).toFixed(0)} MB`);

async function measure(label: string, run: () => Promise<number>): Promise<number> {
  await run(); // warm-up
  const start = performance.now();
  let done = 0;
  while (performance.now() - start < 2000) done += await run();
  const perSec = done / ((performance.now() - start) / 1000);
  console.log(
    `${label.padEnd(34)} ${perSec.toFixed(0).padStart(7)} texts/s ${(perSec * avgTokens).toFixed(0).padStart(9)} tokens/s`,
  );
  return perSec;
}

let cursor = 0;
const next = (n: number) => {
  const out = [];
  for (let i = 0; i < n; i++) out.push(texts[cursor++ % texts.length]!);
  return out;
};
const batch1 = await measure(
  'batch 1 (one caller)',
  async () => (await embedder.embed(next(1), { kind: 'document' })).length,
);
await measure('batch 8', async () => (await embedder.embed(next(8), { kind: 'document' })).length);
await measure('batch 64', async () => (await embedder.embed(next(64), { kind: 'document' })).length);
const concurrent = await measure('16 concurrent callers x 1 text', async () => {
  await Promise.all(Array.from({ length: 16 }, () => embedder.embed(next(1), { kind: 'query' })));
  return 16;
});
console.log(`micro-batching speed-up (16 concurrent vs one at a time): ${(concurrent / batch1).toFixed(1)}x`);
console.log(`RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
