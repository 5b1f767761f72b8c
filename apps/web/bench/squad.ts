// `npm run eval:answers -- --dataset <SQuAD v1.1 JSON> [--limit N]` - reading-comprehension answers:
// each paragraph becomes a plain-text document granted to a throwaway role (uploaded and ingested through
// the real pipeline: createDocumentUpload, then the worker's drainQueue), each question is asked through
// the real chat path by a throwaway user of that role, and the answers are scored with SQuAD's own
// normalisation. Everything it creates is deleted at the end (documents through deleteDocument, so the
// BM25 statistics are restored). An evaluation: it prints numbers and never fails on a score.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AccessScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { loadEmbedder } from '@clearance/inference';
import { createDocumentUpload, createProgressBar, deleteDocument, quantile } from '@clearance/retrieval';
import { drainQueue } from '@clearance/worker';
import { answerQuestion } from '../server/chat/answer-question.ts';

type SquadFile = {
  data: {
    title: string;
    paragraphs: { context: string; qas: { question: string; answers: { text: string }[] }[] }[];
  }[];
};

/** SQuAD v1.1's answer normalisation: lower case, no punctuation, no articles, single spaces. */
export function normalizeAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The answer as a reader sees it: citation markers ([2]) and Markdown emphasis are not words. */
function readableAnswer(content: string): string {
  return content.replace(/\s?\[\d+\]/g, '').replace(/\*\*|__/g, '');
}

function containsGold(answer: string, golds: string[]): boolean {
  const normal = ` ${normalizeAnswer(answer)} `;
  return golds.some((gold) => {
    const g = normalizeAnswer(gold);
    return g !== '' && normal.includes(` ${g} `);
  });
}

/** Prints the SQuAD report for `datasetPath`; returns when everything it created is removed again. */
export async function runSquadEval(
  db: Db,
  options: { datasetPath: string; limit?: number; verbose?: boolean },
) {
  const squad = JSON.parse(readFileSync(options.datasetPath, 'utf8')) as SquadFile;
  const role = await db.role.create({ data: { name: `eval-squad-${Date.now().toString(36)}` } });
  const user = await db.user.create({
    data: {
      email: `eval-squad-${randomUUID().slice(0, 8)}@example.invalid`,
      name: 'eval squad',
      roles: { create: { roleId: role.id } },
    },
  });
  const scope: AccessScope = { userId: user.id, roleIds: [role.id], isAdmin: false, via: 'session' };
  const documentIds: string[] = [];
  try {
    const paragraphs = squad.data.flatMap((article) =>
      article.paragraphs.map((paragraph) => ({ title: article.title.replace(/_/g, ' '), ...paragraph })),
    );
    const upload = createProgressBar('upload', paragraphs.length);
    for (const [index, paragraph] of paragraphs.entries()) {
      const result = await createDocumentUpload(db, {
        actorId: null,
        bytes: new TextEncoder().encode(paragraph.context),
        filename: `squad-${index + 1}.txt`,
        title: `${paragraph.title} (${index + 1})`,
        roleIds: [role.id],
      });
      documentIds.push(result.documentId);
      upload.update(index + 1);
    }
    upload.finish();
    await drainQueue(db, { embedder: await loadEmbedder() });

    const questions = paragraphs.flatMap((p) => p.qas).slice(0, options.limit);
    const bar = createProgressBar('questions', questions.length);
    let holds = 0;
    let holdsWithin300 = 0;
    let declined = 0;
    let failed = 0;
    const lengths: number[] = [];
    const latencies: number[] = [];
    for (const [index, qa] of questions.entries()) {
      const started = performance.now();
      let content = '';
      let unanswered = false;
      for await (const event of await answerQuestion({ db, scope, message: qa.question })) {
        if (event.type === 'done') ({ content, unanswered } = event);
        if (event.type === 'error') failed++;
      }
      latencies.push(performance.now() - started);
      const golds = qa.answers.map((a) => a.text);
      const readable = readableAnswer(content);
      const ok = !unanswered && containsGold(readable, golds);
      const ok300 = !unanswered && containsGold(readable.slice(0, 300), golds);
      holds += Number(ok);
      holdsWithin300 += Number(ok300);
      declined += Number(unanswered);
      if (!unanswered) lengths.push(readable.length);
      if (options.verbose) {
        console.log(
          `${ok300 ? 'ok ' : ok ? 'LONG' : unanswered ? 'DECL' : 'MISS'} ${qa.question}\n     gold: ${golds[0]}\n     ${readable.slice(0, 300)}`,
        );
      }
      bar.update(index + 1);
    }
    bar.finish();
    const n = questions.length || 1;
    const pct = (x: number) => `${((100 * x) / n).toFixed(1)}%`;
    lengths.sort((a, b) => a - b);
    latencies.sort((a, b) => a - b);
    console.log(`questions: ${questions.length} over ${paragraphs.length} paragraphs`);
    console.log(`answers containing a gold answer: ${holds} (${pct(holds)})`);
    console.log(`gold answer within 300 characters: ${holdsWithin300} (${pct(holdsWithin300)})`);
    console.log(`declined: ${declined} (${pct(declined)}); errors: ${failed}`);
    console.log(`median answer length: ${quantile(lengths, 0.5).toFixed(0)} characters`);
    console.log(
      `latency p50 ${quantile(latencies, 0.5).toFixed(0)} ms, p95 ${quantile(latencies, 0.95).toFixed(0)} ms`,
    );
  } finally {
    for (const documentId of documentIds) await deleteDocument(db, { actorId: null, documentId });
    await db.user.delete({ where: { id: user.id } });
    await db.role.delete({ where: { id: role.id } });
  }
}
