// Compares glove-100d build settings on workplace paraphrase pairs: npx tsx bench/glove-weighting.ts
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosine, loadEmbedder } from '../src/embedder.ts';
import { buildGlove } from '../src/glove/build-glove.ts';

// Pairs (2i, 2i+1) are paraphrases; everything else is unrelated.
const SENTENCES = [
  'How many days of annual leave do I get?',
  'What is my yearly vacation allowance?',
  'Submit invoices to accounts payable within 30 days.',
  'Send supplier bills to the finance team within a month.',
  'The boiler needs servicing every twelve months.',
  'Schedule annual maintenance for the heating system.',
  'Hotel costs for business trips are reimbursed.',
  'Employees can claim accommodation expenses when travelling for work.',
  'Sick leave must be reported to your manager before 9am.',
  'Tell your supervisor in the morning if you are ill and cannot work.',
  'Expense claims need a receipt for every item over 25 euros.',
  'Attach receipts to reimbursement requests above 25 euros.',
  'The forklift must be inspected before each shift.',
  'Check the lift truck for faults at the start of every shift.',
  'Overdue invoices are escalated to the credit control team.',
  'Late payments from customers go to credit control.',
];

const variants = [
  { name: 'mean (no weights)', sifA: 0, removeCommon: false, vocabSize: 150_000 },
  { name: 'SIF a=1e-3', sifA: 1e-3, removeCommon: false, vocabSize: 150_000 },
  { name: 'SIF a=1e-4', sifA: 1e-4, removeCommon: false, vocabSize: 150_000 },
  { name: 'SIF a=1e-3 + common removed', sifA: 1e-3, removeCommon: true, vocabSize: 150_000 },
  { name: 'SIF a=1e-4 + common removed', sifA: 1e-4, removeCommon: true, vocabSize: 150_000 },
  { name: 'SIF a=1e-3 + common, 50k', sifA: 1e-3, removeCommon: true, vocabSize: 50_000 },
  { name: 'SIF a=1e-3 + common, 100k', sifA: 1e-3, removeCommon: true, vocabSize: 100_000 },
];

for (const v of variants) {
  const dir = join(tmpdir(), `clearance-glove-eval-${v.vocabSize}-${v.sifA}-${v.removeCommon}`);
  await buildGlove({ outDir: dir, ...v });
  const e = await loadEmbedder({ name: dir, device: 'cpu' });
  const vecs = await e.embed(SENTENCES, { kind: 'document' });
  let top1 = 0;
  let margin = 0;
  let pairSim = 0;
  let otherSim = 0;
  let others = 0;
  for (let i = 0; i < vecs.length; i++) {
    const pair = i ^ 1;
    const sims = vecs.map((w, j) => (j === i ? Number.NEGATIVE_INFINITY : cosine(vecs[i]!, w)));
    const bestOther = Math.max(...sims.filter((_, j) => j !== pair));
    if (sims[pair]! > bestOther) top1++;
    margin += sims[pair]! - bestOther;
    pairSim += sims[pair]!;
    sims.forEach((s, j) => {
      if (j !== i && j !== pair) {
        otherSim += s;
        others++;
      }
    });
  }
  const n = vecs.length;
  console.log(
    `${v.name.padEnd(32)} paraphrase-top1 ${top1}/${n}  mean margin ${(margin / n).toFixed(3)}  paraphrase cos ${(pairSim / n).toFixed(3)}  unrelated cos ${(otherSim / others).toFixed(3)}`,
  );
}
