// npm run bench:chat [-- --url http://localhost:3000 --users 20 --questions 5 --email finance@northwind.example]
// Drives N concurrent simulated users through POST /api/v1/chat (stream: true) on a running server and
// prints time to first token and full-answer latency (p50/p95) and answers/s. Each simulated user gets
// its own API key (revoked at the end), so per-key rate limits don't throttle the run. A benchmark, not
// a test: it prints numbers.
import { parseArgs } from 'node:util';
import { CLI_ACTOR, createApiKey, revokeApiKey } from '@clearance/auth';
import { getDb } from '@clearance/db';

const { values } = parseArgs({
  options: {
    url: {
      type: 'string',
      default: process.env.AUTH_URL ?? `http://localhost:${process.env.PORT ?? '3000'}`,
    },
    users: { type: 'string', default: '20' },
    questions: { type: 'string', default: '5' },
    email: { type: 'string', multiple: true },
    warmup: { type: 'string', default: '2' },
  },
});

// Questions over the demo corpus of every role: each user asks in-scope and out-of-scope questions.
const QUESTIONS = [
  'What is the hotel cap per night in Paris?',
  'How many days do I have to submit an expense report?',
  'What were the Q3 revenue figures?',
  'Which class may I book for long-haul flights?',
  'How often must the landing gear be inspected?',
  'What is the torque procedure for the engine mount bolts?',
  'How many days of annual leave do employees get?',
  'What benefits are offered to new employees?',
  'What happens in the first week of onboarding?',
  'Who approves invoices above the threshold?',
];

type Sample = { ttftMs: number; totalMs: number; ok: boolean; unanswered: boolean };

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

async function askOnce(url: string, key: string, message: string): Promise<Sample> {
  const started = performance.now();
  let ttftMs = Number.NaN;
  let unanswered = false;
  const response = await fetch(`${url}/api/v1/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message, stream: true }),
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return { ttftMs, totalMs: performance.now() - started, ok: false, unanswered };
  }
  const decoder = new TextDecoder();
  let buffer = '';
  let ok = false;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const type = /^event: (\w+)/m.exec(block)?.[1];
      if (type === 'delta' && Number.isNaN(ttftMs)) ttftMs = performance.now() - started;
      if (type === 'done') {
        ok = true;
        unanswered = /"unanswered":true/.test(block);
      }
      boundary = buffer.indexOf('\n\n');
    }
  }
  return { ttftMs, totalMs: performance.now() - started, ok, unanswered };
}

function drawProgress(done: number, total: number, started: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const elapsed = (performance.now() - started) / 1000;
  const eta = done ? (elapsed / done) * (total - done) : 0;
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ${elapsed.toFixed(1)} s  ETA ${eta.toFixed(1)} s`,
  );
}

async function main() {
  const url = values.url.replace(/\/$/, '');
  const users = Math.max(1, Number(values.users));
  const perUser = Math.max(1, Number(values.questions));
  const emails = values.email?.length
    ? values.email
    : ['finance@northwind.example', 'operations@northwind.example', 'hr@northwind.example'];
  const health = await fetch(`${url}/api/health`).then(
    (response) => response.json() as Promise<{ generator?: string }>,
  );
  const db = getDb();
  const owners = await db.user.findMany({
    where: { email: { in: emails }, disabledAt: null },
    select: { id: true },
  });
  if (owners.length === 0) throw new Error(`none of ${emails.join(', ')} exists: run npm run db:seed first`);
  const keys = await Promise.all(
    Array.from({ length: users }, (_, index) =>
      createApiKey(db, {
        actor: CLI_ACTOR,
        userId: owners[index % owners.length]!.id,
        name: `bench-chat ${index}`,
      }),
    ),
  );
  try {
    // Warm-up: loads the models in the server so the first measured answers don't pay for it.
    for (let index = 0; index < Number(values.warmup); index += 1)
      await askOnce(url, keys[0]!.key, QUESTIONS[index]!);
    const total = users * perUser;
    const samples: Sample[] = [];
    const started = performance.now();
    drawProgress(0, total, started);
    await Promise.all(
      keys.map(async (key, user) => {
        for (let round = 0; round < perUser; round += 1) {
          samples.push(await askOnce(url, key.key, QUESTIONS[(user + round) % QUESTIONS.length]!));
          drawProgress(samples.length, total, started);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write('\n');
    const ok = samples.filter((sample) => sample.ok);
    const ttft = ok
      .map((sample) => sample.ttftMs)
      .filter((value) => !Number.isNaN(value))
      .sort((a, b) => a - b);
    const latency = ok.map((sample) => sample.totalMs).sort((a, b) => a - b);
    const rows: Array<[string, string]> = [
      ['server', url],
      ['generator', health.generator ?? 'unknown'],
      ['concurrent users', String(users)],
      [
        'answers',
        `${ok.length} ok, ${samples.length - ok.length} failed, ${ok.filter((s) => s.unanswered).length} "nothing found"`,
      ],
      [
        'time to first token p50 / p95',
        `${quantile(ttft, 0.5).toFixed(0)} ms / ${quantile(ttft, 0.95).toFixed(0)} ms`,
      ],
      [
        'full answer p50 / p95',
        `${quantile(latency, 0.5).toFixed(0)} ms / ${quantile(latency, 0.95).toFixed(0)} ms`,
      ],
      ['answers/s', (ok.length / seconds).toFixed(1)],
    ];
    for (const [name, value] of rows) console.log(`${name.padEnd(30)} ${value}`);
  } finally {
    await Promise.all(keys.map((key) => revokeApiKey(db, { actor: CLI_ACTOR, keyId: key.id })));
    await db.$disconnect();
  }
}

main().catch((error: Error) => {
  console.error(`bench:chat failed: ${error.message}`);
  process.exit(1);
});
