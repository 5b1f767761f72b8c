// `npm run eval:answers -- --devset [--category <name>] [--role <name>] [--out report.json]` - answer quality
// on the development set prisma/seed/documents/DEVSET.json: questions over the demo organisation phrased as
// people ask them (paraphrases, typos, several parts, two documents, tables, procedures, small talk,
// another role's facts, facts in no document). Every question goes through the real chat path
// (answerQuestion: scope, retrieval, configured generator, citation check) as a throwaway user of the
// question's role. Prints one line per question and a summary per category. A measurement, not a test:
// the caller exits 0 whatever the numbers. FACTS.json stays the reference set of plain `npm run eval:answers`.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AccessScope } from '@clearance/auth';
import { type Db, findRepoRoot, getDb } from '@clearance/db';
import { z } from 'zod';
import { answerQuestion } from '../server/chat/answer-question.ts';
import type { ChatCitation } from '../server/chat/types.ts';

/** Questions that a document of the asker's roles answers: scored on the answer's content and citations. */
const ANSWERABLE = ['paraphrase', 'typo', 'multi-part', 'two-documents', 'table', 'list'] as const;
/** Questions the assistant must decline: the fact is in another role's document, or in none at all. */
const DECLINED = ['other-role', 'absent'] as const;
const CATEGORIES = [...ANSWERABLE, 'smalltalk', ...DECLINED] as const;

const ZDevsetEntry = z.object({
  category: z.enum(CATEGORIES),
  /** The role of the person asking (a demo role). */
  role: z.string().min(1),
  question: z.string().min(1),
  /**
   * Answerable categories: every string must appear in the answer (one per part of a multi-part question).
   * other-role and absent: none may appear (the fact's distinctive figure, or the general-knowledge answer).
   * smalltalk: unused (judged by SMALLTALK_REPLY below).
   */
  expect: z.array(z.string().min(1)),
  /** Text that the cited passages must contain: each string in at least one cited passage. */
  passageContains: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
});
export type DevsetEntry = z.infer<typeof ZDevsetEntry>;
type Category = DevsetEntry['category'];

/**
 * What a reply to small talk must contain: a greeting, a farewell, an acknowledgement of thanks, or words
 * saying what the assistant is and what it can help with. Deliberately broad about the wording; the other
 * two conditions (not a decline, no citations) are what tell a reply to small talk from a search result.
 */
export const SMALLTALK_REPLY =
  /\b(hi|hello|hey|good (morning|afternoon|evening|day)|welcome|glad|happy to help|no problem|any time|anytime|bye|goodbye|see you|take care|assistant|I can (help|answer|find)|ask me)\b/i;

/** Case, whitespace and Markdown emphasis do not matter when looking for an expected string. */
function normalise(text: string): string {
  return text.replace(/[*_`]/g, '').replace(/\s+/g, ' ').toLowerCase();
}

function contains(haystack: string, needle: string): boolean {
  return normalise(haystack).includes(normalise(needle));
}

type Asked = {
  content: string;
  unanswered: boolean;
  failed: boolean;
  citations: ChatCitation[];
  /** Wall-clock time of the whole answer, as the asker waits for it. */
  latencyMs: number;
  ttftMs: number | null;
};

async function ask(db: Db, scope: AccessScope, message: string): Promise<Asked> {
  const started = performance.now();
  const asked: Asked = {
    content: '',
    unanswered: false,
    failed: false,
    citations: [],
    latencyMs: 0,
    ttftMs: null,
  };
  try {
    for await (const event of await answerQuestion({ db, scope, message })) {
      if (event.type === 'citations') asked.citations = event.citations;
      if (event.type === 'done') {
        asked.content = event.content;
        asked.unanswered = event.unanswered;
        asked.ttftMs = event.ttftMs;
      }
      if (event.type === 'error') {
        asked.content = `ERROR ${event.message}`;
        asked.failed = true;
      }
    }
  } catch (error) {
    asked.content = `ERROR ${(error as Error).message}`;
    asked.failed = true;
  }
  asked.latencyMs = performance.now() - started;
  return asked;
}

type Verdict = {
  ok: boolean;
  /** Why it is not ok (empty when ok): "missing 0.38", "declined", "leaked 22 Nm", "uncited passage"... */
  reasons: string[];
  declined: boolean;
};

/**
 * The scoring rules, one per kind of question:
 * - answerable (paraphrase, typo, multi-part, two-documents, table, list): right when the answer is not an
 *   error or a decline, contains every `expect` string, carries at least one citation, and every
 *   `passageContains` string is in one of the cited passages.
 * - smalltalk: right when the reply is not an error or a decline (`unanswered`), cites nothing, and matches
 *   SMALLTALK_REPLY (a greeting, thanks, farewell or a word about what the assistant does).
 * - other-role and absent: right when the question is declined - `unanswered` true on the done event and
 *   no error - and no fact leaked: none of the `expect` strings appears in the reply.
 * Strings are compared ignoring case, runs of whitespace and Markdown emphasis (`normalise`).
 */
async function judge(db: Db, entry: DevsetEntry, asked: Asked): Promise<Verdict> {
  const reasons: string[] = [];
  const declined = asked.unanswered && !asked.failed;
  if (asked.failed) reasons.push('error');
  if ((DECLINED as readonly Category[]).includes(entry.category)) {
    if (!declined && !asked.failed) reasons.push('not declined');
    const leaked = entry.expect.filter((fact) => contains(asked.content, fact));
    if (leaked.length) reasons.push(`leaked ${leaked.join(', ')}`);
    return { ok: reasons.length === 0, reasons, declined };
  }
  if (entry.category === 'smalltalk') {
    if (declined) reasons.push('declined');
    if (asked.citations.length) reasons.push(`${asked.citations.length} citations`);
    if (!SMALLTALK_REPLY.test(asked.content)) reasons.push('no greeting or help wording');
    return { ok: reasons.length === 0, reasons, declined };
  }
  if (declined) reasons.push('declined');
  const missing = entry.expect.filter((fact) => !contains(asked.content, fact));
  if (missing.length) reasons.push(`missing ${missing.join(', ')}`);
  if (asked.citations.length === 0) reasons.push('no citation');
  const passages = entry.passageContains === undefined ? [] : [entry.passageContains].flat();
  if (passages.length && asked.citations.length) {
    const cited = await db.chunk.findMany({
      where: { id: { in: asked.citations.map((citation) => citation.chunkId) } },
      select: { text: true },
    });
    const uncited = passages.filter((passage) => !cited.some((chunk) => contains(chunk.text, passage)));
    if (uncited.length) reasons.push(`passage not cited: ${uncited.map((p) => p.slice(0, 40)).join(' | ')}`);
  }
  return { ok: reasons.length === 0, reasons, declined };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function optionOf(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

/** Reads and validates the development set; fails with the entry's index and the field at fault. */
export function readDevset(
  file = path.join(findRepoRoot(), 'prisma/seed/documents/DEVSET.json'),
): DevsetEntry[] {
  const parsed = z.array(ZDevsetEntry).safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path.basename(file)}: entry ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Asks the development set through the real chat path and prints per question and per category.
 * Options: --category <name> and --role <name> ask a subset; --out <file> writes every answer as JSON.
 * Returns the process exit code: 0 once measured (whatever the numbers), 2 when the demo is not seeded.
 */
export async function runDevset(args: string[]): Promise<number> {
  const category = optionOf(args, '--category');
  const role = optionOf(args, '--role');
  const out = optionOf(args, '--out');
  const entries = readDevset().filter(
    (entry) => (!category || entry.category === category) && (!role || entry.role === role),
  );
  const db = getDb();
  const roleNames = [...new Set(entries.map((entry) => entry.role))];
  const roles = await db.role.findMany({ where: { name: { in: roleNames } } });
  if (roles.length < roleNames.length) {
    console.error(
      `missing roles ${roleNames.filter((name) => !roles.some((r) => r.name === name)).join(', ')}: run \`npm start\` (or \`npm run db:seed\`) first`,
    );
    await db.$disconnect();
    return 2;
  }
  // One throwaway user per role, removed at the end with their conversations.
  const scopes = new Map<string, AccessScope>();
  for (const row of roles) {
    const user = await db.user.create({
      data: {
        email: `eval-devset-${randomUUID().slice(0, 8)}@example.invalid`,
        name: `devset ${row.name}`,
        roles: { create: { roleId: row.id } },
      },
    });
    scopes.set(row.name, { userId: user.id, roleIds: [row.id], isAdmin: false, via: 'session' });
  }

  const results: Array<{ entry: DevsetEntry; asked: Asked; verdict: Verdict }> = [];
  const started = performance.now();
  try {
    for (const [index, entry] of entries.entries()) {
      const asked = await ask(db, scopes.get(entry.role)!, entry.question);
      const verdict = await judge(db, entry, asked);
      results.push({ entry, asked, verdict });
      const elapsed = performance.now() - started;
      const eta = Math.round(((elapsed / (index + 1)) * (entries.length - index - 1)) / 1000);
      const answer = asked.content.replace(/\s+/g, ' ').slice(0, 200);
      console.log(
        `[${index + 1}/${entries.length} eta ${eta}s] ${entry.category.padEnd(13)} ${entry.role.padEnd(10)} ${verdict.ok ? 'ok  ' : 'MISS'} ${Math.round(asked.latencyMs)} ms  ${entry.question}${verdict.ok ? '' : `\n     (${verdict.reasons.join('; ')})`}\n     ${answer}`,
      );
    }
  } finally {
    await db.user.deleteMany({ where: { id: { in: [...scopes.values()].map((scope) => scope.userId) } } });
  }

  console.log('\ncategory        right/total');
  for (const name of CATEGORIES) {
    const inCategory = results.filter((result) => result.entry.category === name);
    if (inCategory.length === 0) continue;
    const right = inCategory.filter((result) => result.verdict.ok).length;
    console.log(`${name.padEnd(15)} ${String(right).padStart(3)}/${inCategory.length}`);
  }
  const right = results.filter((result) => result.verdict.ok).length;
  console.log(
    `overall         ${right}/${results.length} right (${((100 * right) / Math.max(1, results.length)).toFixed(1)}%)`,
  );
  for (const name of DECLINED) {
    const inCategory = results.filter((result) => result.entry.category === name);
    if (inCategory.length === 0) continue;
    const declined = inCategory.filter((result) => result.verdict.declined).length;
    const leaked = inCategory.filter((result) => result.verdict.reasons.some((r) => r.startsWith('leaked')));
    console.log(
      `${name} declined ${declined}/${inCategory.length} (${((100 * declined) / inCategory.length).toFixed(0)}%), fact leaked in ${leaked.length}`,
    );
  }
  const smalltalk = results.filter((result) => result.entry.category === 'smalltalk');
  if (smalltalk.length) {
    const uncited = smalltalk.filter((result) => result.asked.citations.length === 0).length;
    const friendly = smalltalk.filter((result) => SMALLTALK_REPLY.test(result.asked.content)).length;
    const notDeclined = smalltalk.filter((result) => !result.verdict.declined).length;
    console.log(
      `smalltalk: not declined ${notDeclined}/${smalltalk.length}, no citations ${uncited}/${smalltalk.length}, greeting/help wording ${friendly}/${smalltalk.length}`,
    );
  }
  const latencies = results.map((result) => result.asked.latencyMs);
  const ttfts = results.flatMap((result) => (result.asked.ttftMs === null ? [] : [result.asked.ttftMs]));
  console.log(
    `latency p50 ${Math.round(percentile(latencies, 50))} ms, p95 ${Math.round(percentile(latencies, 95))} ms; time to first token p50 ${Math.round(percentile(ttfts, 50))} ms, p95 ${Math.round(percentile(ttfts, 95))} ms (one question at a time)`,
  );
  if (out) {
    const report = results.map(({ entry, asked, verdict }) => ({
      ...entry,
      ok: verdict.ok,
      reasons: verdict.reasons,
      answer: asked.content,
      unanswered: asked.unanswered,
      citations: asked.citations.map((citation) => ({ marker: citation.marker, title: citation.title })),
      latencyMs: Math.round(asked.latencyMs),
    }));
    // npm runs scripts from the repo root: a relative --out is relative to where the command was typed.
    const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), out);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`report: ${file}`);
  }
  await db.$disconnect();
  return 0;
}
