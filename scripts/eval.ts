// npm run eval -- --dataset <BEIR dir> [--split train|test] [--out report.json] [--limit N] [--reuse]
//   [--database-url URL] [--config '{"k1":0.9}']...  Retrieval quality of searchChunks on a BEIR dataset.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDotEnv } from './load-env.ts';

const USAGE =
  'usage: npm run eval -- --dataset <BEIR dir> [--split train|test] [--out report.json] [--limit N] [--reuse] [--database-url URL] [--config JSON]...';

async function main() {
  loadDotEnv();
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      split: { type: 'string', default: 'test' },
      out: { type: 'string' },
      limit: { type: 'string' },
      reuse: { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      config: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.dataset) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const dataset = path.resolve(values.dataset);
  if (!existsSync(path.join(dataset, 'corpus.jsonl'))) throw new Error(`${dataset} has no corpus.jsonl`);
  const limit = values.limit ? Number(values.limit) : undefined;
  const configs = (values.config ?? ['{}']).map((text) => JSON.parse(text) as Record<string, unknown>);

  // Models stay where they are built; everything else goes to an isolated DATA_DIR.
  const originalDataDir = path.resolve(process.env.DATA_DIR ?? '.clearance');
  process.env.MODELS_DIR ??= path.join(originalDataDir, 'models');
  const reuseDir = path.join(
    tmpdir(),
    `clearance-eval-${path.basename(dataset)}${limit ? `-${limit}` : ''}-${process.env.CLEARANCE_EMBEDDER ?? 'default'}`,
  );
  const dataDir = values.reuse ? reuseDir : mkdtempSync(path.join(tmpdir(), 'clearance-eval-'));
  mkdirSync(dataDir, { recursive: true });
  process.env.DATA_DIR = dataDir;

  const { createDb } = await import('@clearance/db');
  const { startEmbeddedServer } = await import('@clearance/db/embedded');
  const { migrate } = await import('@clearance/db/migrate');
  const { loadEmbedder } = await import('@clearance/inference');
  const retrieval = await import('@clearance/retrieval');

  let url = values['database-url'];
  let stop = async () => {};
  if (!url) {
    const server = await startEmbeddedServer({ dataDir });
    url = server.url;
    stop = () => server.stop();
  }
  await migrate(url);
  const db = createDb(url, { max: 4 });
  try {
    const embedder = await loadEmbedder();
    // An external database keeps its own ingested corpus: its state is keyed by the URL.
    const external = values['database-url'];
    const marker = path.join(
      dataDir,
      external
        ? `eval-state-${createHash('sha256').update(external).digest('hex').slice(0, 12)}.json`
        : 'eval-state.json',
    );
    let state: { roleId: string; documents: [string, string[]][] };
    if (values.reuse && existsSync(marker)) {
      state = JSON.parse(readFileSync(marker, 'utf8'));
      console.error(`reusing ${dataDir} (${state.documents.length} documents)`);
    } else {
      const role = await db.role.create({ data: { name: `eval-${Date.now().toString(36)}` } });
      const drain = await findWorkerDrain(embedder);
      if (!drain) console.error('apps/worker drainQueue not found: ingesting with the in-process stand-in');
      const bars = {
        upload: retrieval.createProgressBar('upload', 0),
        ingest: retrieval.createProgressBar('ingest', 0),
      };
      const created = new Set<string>();
      const documents = await retrieval.ingestBeirCorpus(db, {
        dir: dataset,
        roleId: role.id,
        embedder,
        drain,
        limit,
        onProgress: (phase, done, total) => {
          if (!created.has(phase)) {
            created.add(phase);
            bars[phase] = retrieval.createProgressBar(phase, total);
          }
          bars[phase].update(done);
          if (done === total) bars[phase].finish();
        },
      });
      state = { roleId: role.id, documents: [...documents.entries()] };
      writeFileSync(marker, JSON.stringify(state));
    }
    const { queries, qrels } = retrieval.readBeirQueries(dataset, values.split ?? 'test');
    const scope = { userId: '00000000-0000-4000-8000-000000000000', roleIds: [state.roleId], isAdmin: false };
    const reports = [];
    for (const config of configs) {
      const bar = retrieval.createProgressBar('queries', queries.length);
      const report = await retrieval.evaluateQueries(db, {
        queries,
        qrels,
        scope,
        embedder,
        documents: new Map(state.documents),
        config,
        onProgress: (done) => bar.update(done),
      });
      bar.finish();
      reports.push({ override: config, report });
    }
    printTable(reports);
    const first = reports[0]?.report;
    if (values.out && first) {
      writeFileSync(values.out, `${JSON.stringify(first, null, 2)}\n`);
      console.error(`wrote ${values.out}`);
    }
  } finally {
    await db.$disconnect();
    await stop();
    if (!values.reuse) rmSync(dataDir, { recursive: true, force: true });
  }
}

type Drain = (db: import('@clearance/db').Db) => Promise<unknown>;

/** The worker pipeline's drainQueue, when apps/worker exports it. */
async function findWorkerDrain(embedder: unknown): Promise<Drain | undefined> {
  try {
    const worker = (await import('@clearance/worker')) as {
      drainQueue?: (db: import('@clearance/db').Db, options: { embedder: unknown }) => Promise<unknown>;
    };
    const drainQueue = worker.drainQueue;
    return drainQueue ? (db) => drainQueue(db, { embedder }) : undefined;
  } catch {
    return undefined;
  }
}

function printTable(rows: { override: Record<string, unknown>; report: Record<string, unknown> }[]) {
  const header = ['config', 'nDCG@10', 'R@10', 'R@100', 'MRR@10', 'p50 ms', 'p95 ms', 'queries'];
  const lines = rows.map(({ override, report }) => {
    const r = report as {
      'ndcg@10': number;
      'recall@10': number;
      'recall@100': number;
      'mrr@10': number;
      queries: number;
      latency_ms: { p50: number; p95: number };
    };
    return [
      JSON.stringify(override),
      r['ndcg@10'].toFixed(4),
      r['recall@10'].toFixed(4),
      r['recall@100'].toFixed(4),
      r['mrr@10'].toFixed(4),
      r.latency_ms.p50.toFixed(1),
      r.latency_ms.p95.toFixed(1),
      String(r.queries),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => (line[i] ?? '').length)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}

// Exit explicitly: onnxruntime's thread pool can keep an idle process alive after the report is out.
main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`error: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
