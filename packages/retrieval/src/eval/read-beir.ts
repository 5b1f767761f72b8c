import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Qrels } from './metrics.ts';

export type BeirDocument = { id: string; title: string; text: string };
export type BeirQuery = { id: string; text: string };

/** Streams corpus.jsonl of a BEIR dataset (`_id`, `title`, `text`). */
export async function* readBeirCorpus(dir: string): AsyncGenerator<BeirDocument> {
  const lines = createInterface({
    input: createReadStream(path.join(dir, 'corpus.jsonl')),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { _id: string | number; title?: string; text?: string };
    yield { id: String(row._id), title: row.title ?? '', text: row.text ?? '' };
  }
}

/** The queries of `split` that have judgements, with their qrels (BEIR: qrels/<split>.tsv with a header). */
export function readBeirQueries(
  dir: string,
  split: string,
): { queries: BeirQuery[]; qrels: Map<string, Qrels> } {
  const qrelsPath = path.join(dir, 'qrels', `${split}.tsv`);
  if (!existsSync(qrelsPath)) throw new Error(`no qrels for split "${split}": ${qrelsPath}`);
  const qrels = new Map<string, Qrels>();
  for (const line of readFileSync(qrelsPath, 'utf8').split('\n')) {
    const [queryId, docId, score] = line.trim().split('\t');
    if (!queryId || !docId || score === undefined || Number.isNaN(Number(score))) continue;
    const judged = qrels.get(queryId) ?? new Map<string, number>();
    judged.set(docId, Number(score));
    qrels.set(queryId, judged);
  }
  const queries: BeirQuery[] = [];
  for (const line of readFileSync(path.join(dir, 'queries.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { _id: string | number; text: string };
    if (qrels.has(String(row._id))) queries.push({ id: String(row._id), text: row.text });
  }
  return { queries, qrels };
}
