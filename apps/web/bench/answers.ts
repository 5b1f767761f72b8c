// npm run eval:answers - answer quality on the demo organisation: asks each question of
// prisma/seed/documents/FACTS.json through the real chat path (scope, retrieval, configured generator,
// citation check) as a user of the fact's role, and as a user of another role, and prints per question
// whether the answer holds the fact and cites the right passage, and whether the other role was declined.
// An evaluation, not a test: it prints numbers. Needs the seeded demo database (`npm start` once).
// `-- --devset`: the development set instead (prisma/seed/documents/DEVSET.json; see bench/devset.ts).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AccessScope } from '@clearance/auth';
import { findRepoRoot, getDb } from '@clearance/db';
import { answerQuestion } from '../server/chat/answer-question.ts';
import type { ChatCitation } from '../server/chat/types.ts';
import { runDevset } from './devset.ts';
import { runSquadEval } from './squad.ts';

// --devset: the development set of questions phrased as people ask them (bench/devset.ts).
if (process.argv.includes('--devset')) process.exit(await runDevset(process.argv.slice(2)));

type Fact = { role: string; question: string; answerContains: string; passageContains: string };

const facts: Fact[] = JSON.parse(
  readFileSync(path.join(findRepoRoot(), 'prisma/seed/documents/FACTS.json'), 'utf8'),
);
const db = getDb();
const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string' },
    limit: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
  strict: false,
});
if (typeof args.dataset === 'string') {
  await runSquadEval(db, {
    datasetPath: path.resolve(process.env.INIT_CWD ?? process.cwd(), args.dataset),
    limit: typeof args.limit === 'string' ? Number(args.limit) : undefined,
    verbose: args.verbose === true,
  });
  await db.$disconnect();
  process.exit(0);
}
const roles = await db.role.findMany({ where: { name: { in: [...new Set(facts.map((f) => f.role))] } } });
if (roles.length === 0) {
  console.error('no demo roles: run `npm start` (or `npm run db:seed`) first');
  process.exit(2);
}

// One throwaway user per role, removed at the end with their conversations.
const scopes = new Map<string, AccessScope>();
for (const role of roles) {
  const user = await db.user.create({
    data: {
      email: `eval-answers-${randomUUID().slice(0, 8)}@example.invalid`,
      name: `eval ${role.name}`,
      roles: { create: { roleId: role.id } },
    },
  });
  scopes.set(role.name, { userId: user.id, roleIds: [role.id], isAdmin: false, via: 'session' });
}

async function ask(scope: AccessScope, message: string) {
  let content = '';
  let unanswered = false;
  let failed = false;
  let citations: ChatCitation[] = [];
  for await (const event of await answerQuestion({ db, scope, message })) {
    if (event.type === 'citations') citations = event.citations;
    if (event.type === 'done') ({ content, unanswered } = event);
    if (event.type === 'error') {
      content = `ERROR ${event.message}`;
      failed = true;
    }
  }
  return { content, unanswered, failed, citations };
}

let correct = 0;
let cited = 0;
let declined = 0;
try {
  for (const [index, fact] of facts.entries()) {
    const own = await ask(scopes.get(fact.role)!, fact.question);
    const holdsFact = own.content.includes(fact.answerContains);
    const citedChunks = await db.chunk.findMany({
      where: { id: { in: own.citations.map((c) => c.chunkId) } },
      select: { text: true },
    });
    const citesPassage = citedChunks.some((chunk) => chunk.text.includes(fact.passageContains));
    const otherRole = roles.find((role) => role.name !== fact.role)!.name;
    const other = await ask(scopes.get(otherRole)!, fact.question);
    const leaked = other.content.includes(fact.answerContains) && !other.unanswered;
    // Declined means told that nothing relevant is available: an error is not a decline.
    const otherDeclined = other.unanswered && !other.failed;
    correct += Number(holdsFact);
    cited += Number(citesPassage);
    declined += Number(otherDeclined);
    console.log(
      `${String(index + 1).padStart(2)} ${holdsFact ? 'ok  ' : 'MISS'} ${citesPassage ? 'cited' : 'UNCITED'} ${leaked ? 'LEAK' : otherDeclined ? 'declined' : 'NOT-DECLINED'}(${otherRole})  ${fact.question}\n     ${own.content.slice(0, 240)}`,
    );
    if (!otherDeclined) console.log(`     ${otherRole}: ${other.content.slice(0, 240)}`);
  }
} finally {
  await db.user.deleteMany({ where: { id: { in: [...scopes.values()].map((s) => s.userId) } } });
}
console.log(
  `\nanswers holding the fact: ${correct}/${facts.length}; citing its passage: ${cited}/${facts.length}; other role declined: ${declined}/${facts.length}`,
);
await db.$disconnect();
