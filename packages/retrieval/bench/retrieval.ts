// npm run bench:retrieval [-- --chunks 100000 --postgres URL --skip-embedded --keep --database URL --json]
// Builds ~100k synthetic chunks (Zipf-distributed words, clustered 100-d vectors) in a throwaway database,
// then prints p50/p95 latency and recall@10 against exact search at 1%, 10% and 100% selectivity, and
// queries/s under 8 concurrent clients. Runs on the embedded database and, when a PostgreSQL URL is given
// (--postgres, or TEST_DATABASE_URL), on PostgreSQL too. A benchmark, not a test: it prints numbers.
// Beside it, on the same data and queries, the baseline a LangChain user would build (see baseline.ts).
// --keep leaves the built PostgreSQL database in place and prints its URL; --database URL measures such a
// database again without rebuilding it (for iterating on query plans). --json ends the output with one
// JSON line: {"postgres"|"embedded"|"baseline": {"1%"|"10%"|"100%": {p50, p95, recall}, qps8}}, our
// databases' entries also with build: {phase: seconds} (when built here) and sizes: {relation: MB}.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDb, type Db } from '@clearance/db';
import { startEmbeddedServer } from '@clearance/db/embedded';
import { migrate } from '@clearance/db/migrate';
import pg from 'pg';
import {
  createProgressBar,
  ensureVectorIndex,
  quantile,
  rebuildLexicalStats,
  runManaged,
  type SearchScope,
  searchChunks,
  vacuumSearchTables,
  vectorIndexName,
} from '../src/index.ts';
import { type Baseline, buildBaseline, openBaseline } from './baseline.ts';

const { values } = parseArgs({
  options: {
    chunks: { type: 'string', default: '100000' },
    postgres: { type: 'string' },
    'skip-embedded': { type: 'boolean', default: false },
    queries: { type: 'string', default: '40' },
    keep: { type: 'boolean', default: false },
    database: { type: 'string' },
    json: { type: 'boolean', default: false },
    'skip-baseline': { type: 'boolean', default: false },
  },
});
const CHUNKS = Number(values.chunks);
const PER_DOC = 10;
const DIM = 100;
const VOCAB = 20_000;
const QUERIES = Number(values.queries);
const EMBEDDER = 'glove-100d';

function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const random = seeded(1234);
// Synthetic words: pronounceable, distinct, no digits (so the english parser keeps them as words).
const syllables = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'ze',
  'pa',
  'qui',
  'dor',
  'fen',
  'gal',
  'hus',
];
const words = Array.from({ length: VOCAB }, (_, i) => {
  let w = '';
  let n = i + 1;
  while (n > 0) {
    w += syllables[n % syllables.length];
    n = Math.floor(n / syllables.length);
  }
  return `${w}x`;
});
// Zipf(1.0) sampler by inverse CDF over precomputed cumulative weights.
const cumulative: number[] = [];
words.reduce((sum, _, i) => {
  cumulative.push(sum + 1 / (i + 1));
  return sum + 1 / (i + 1);
}, 0);
function sampleWord(): string {
  const target = random() * (cumulative[cumulative.length - 1] ?? 1);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return words[lo] ?? 'x';
}
const centroids = Array.from({ length: 200 }, () => Array.from({ length: DIM }, () => random() - 0.5));
function sampleVector(next = random): number[] {
  const c = centroids[Math.floor(next() * centroids.length)] ?? [];
  const v = c.map((x) => x + (next() - 0.5) * 0.6);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** Seconds per build phase, in the order they ran. */
type Phases = Record<string, number>;
type Setup = { roles: { r1: string; r10: string; r100: string }; phases?: Phases };

async function build(url: string, withBaseline: boolean): Promise<Setup> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const client = await pool.connect();
  const roleIds = { r1: randomUUID(), r10: randomUUID(), r100: randomUUID() };
  await client.query(`SELECT set_config('clearance.mode', 'manage', false)`);
  for (const [name, id] of Object.entries(roleIds)) {
    await client.query('INSERT INTO roles (id, name) VALUES ($1, $2)', [
      id,
      `bench-${name}-${id.slice(0, 6)}`,
    ]);
  }
  const docs = Math.ceil(CHUNKS / PER_DOC);
  const phases: Phases = {};
  let t = Date.now();
  const lap = (phase: string) => {
    phases[phase] = Number(((Date.now() - t) / 1000).toFixed(1));
    console.error(`${phase}: ${phases[phase]} s`);
    t = Date.now();
  };
  const bar = createProgressBar('insert', docs);
  await client.query(
    `INSERT INTO blobs (sha256, mime, bytes) VALUES ('bench', 'text/plain', 0) ON CONFLICT DO NOTHING`,
  );
  const BATCH = 100;
  for (let start = 0; start < docs; start += BATCH) {
    const docRows: unknown[] = [];
    const chunkRows: unknown[] = [];
    const vectorRows: unknown[] = [];
    const grantRows: unknown[] = [];
    for (let d = start; d < Math.min(docs, start + BATCH); d++) {
      const documentId = randomUUID();
      const versionId = randomUUID();
      docRows.push([documentId, versionId, `Bench document ${d}`]);
      grantRows.push([documentId, roleIds.r100]);
      if (d % 10 === 0) grantRows.push([documentId, roleIds.r10]);
      if (d % 100 === 0) grantRows.push([documentId, roleIds.r1]);
      for (let o = 0; o < PER_DOC; o++) {
        const chunkId = randomUUID();
        const text = Array.from({ length: 60 }, sampleWord).join(' ');
        chunkRows.push([chunkId, versionId, documentId, o, text]);
        vectorRows.push([chunkId, versionId, documentId, `[${sampleVector().join(',')}]`]);
      }
    }
    await client.query('BEGIN');
    await client.query(`SELECT set_config('clearance.mode', 'manage', true)`);
    await client.query(
      `INSERT INTO documents (id, title) SELECT x->>0, x->>2 FROM json_array_elements($1::json) x`.replace(
        'x->>0',
        '(x->>0)::uuid',
      ),
      [JSON.stringify(docRows)],
    );
    await client.query(
      `INSERT INTO document_versions (id, document_id, number, sha256, mime, bytes, status, stage, progress, chunk_count, embedder_id)
       SELECT (x->>1)::uuid, (x->>0)::uuid, 1, 'bench', 'text/plain', 0, 'ready', 'ready', 100, ${PER_DOC}, '${EMBEDDER}'
       FROM json_array_elements($1::json) x`,
      [JSON.stringify(docRows)],
    );
    await client.query(
      `UPDATE documents d SET current_version_id = (x->>1)::uuid FROM json_array_elements($1::json) x WHERE d.id = (x->>0)::uuid`,
      [JSON.stringify(docRows)],
    );
    await client.query(
      `INSERT INTO document_grants (document_id, role_id) SELECT (x->>0)::uuid, (x->>1)::uuid FROM json_array_elements($1::json) x`,
      [JSON.stringify(grantRows)],
    );
    await client.query(
      `INSERT INTO chunks (id, version_id, document_id, ordinal, text, char_start, char_end, tokens)
       SELECT (x->>0)::uuid, (x->>1)::uuid, (x->>2)::uuid, (x->>3)::int, x->>4, 0, length(x->>4), 60
       FROM json_array_elements($1::json) x`,
      [JSON.stringify(chunkRows)],
    );
    await client.query(
      `INSERT INTO chunk_embeddings (chunk_id, embedder_id, version_id, document_id, embedding)
       SELECT (x->>0)::uuid, '${EMBEDDER}', (x->>1)::uuid, (x->>2)::uuid, (x->>3)::vector FROM json_array_elements($1::json) x`,
      [JSON.stringify(vectorRows)],
    );
    await client.query('COMMIT');
    bar.update(Math.min(docs, start + BATCH));
  }
  bar.finish();
  client.release();
  await pool.end();
  lap('insert');
  const db = createDb(url, { max: 2 });
  // 1M chunks take tens of minutes on 2 shared cores.
  await runManaged(db, (tx) => rebuildLexicalStats(tx), { timeout: 4 * 3600_000 });
  lap('BM25 statistics');
  await ensureVectorIndex(db, EMBEDDER, DIM);
  lap('HNSW index');
  if (withBaseline) {
    await buildBaseline(url, DIM);
    lap('baseline');
  }
  // What the worker does after a batch of publishes on the embedded database (autovacuum on a server).
  await vacuumSearchTables(db);
  await db.$executeRawUnsafe('ANALYZE');
  lap('VACUUM (ANALYZE)');
  await db.$executeRaw`
    INSERT INTO settings (key, value, updated_at) VALUES ('bench_roles', ${JSON.stringify(roleIds)}::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`;
  await db.$disconnect();
  return { roles: roleIds, phases };
}

/** On-disk size in MB of the database and of the search's largest relations (indexes included). */
async function readSizes(url: string): Promise<Record<string, number>> {
  const db = createDb(url, { max: 1 });
  const hnsw = vectorIndexName(EMBEDDER, DIM);
  const [row] = await db.$queryRaw<Record<string, bigint>[]>`
    SELECT pg_database_size(current_database()) AS database,
      pg_total_relation_size('chunks') AS chunks, pg_total_relation_size('chunk_terms') AS chunk_terms,
      pg_total_relation_size('chunk_embeddings') AS chunk_embeddings,
      pg_total_relation_size('document_words') AS document_words,
      COALESCE(pg_relation_size(to_regclass(${hnsw})), 0) AS hnsw_index`;
  await db.$disconnect();
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Math.round(Number(v) / 2 ** 20)]));
}

function fakeEmbedder(vector: number[]) {
  return { id: EMBEDDER, dimension: DIM, embed: async () => [Float32Array.from(vector)] };
}

const SCOPES = ['1%', '10%', '100%'] as const;
type ScopeName = (typeof SCOPES)[number];
type Query = { text: string; vector: number[] };
type Row = { p50: number; p95: number; recall: number };
type Measured = {
  label: string;
  key: string;
  scopes: Record<ScopeName, Row>;
  qps8: number;
  build?: Phases;
  sizes?: Record<string, number>;
};
/** Per scope, per query: the exact dense top-10, which both our search and the baseline are scored against. */
type Exact = Record<ScopeName, string[][]>;

/** The same queries for every database and the baseline: a fixed seed per use. */
function makeQueries(seed: number, count: number): Query[] {
  const next = seeded(seed);
  return Array.from({ length: count }, () => ({
    text: Array.from({ length: 4 }, () => words[Math.floor(next() * 2000)]).join(' '),
    vector: sampleVector(next),
  }));
}

function roleOf(setup: Setup, scope: ScopeName): string {
  return scope === '1%' ? setup.roles.r1 : scope === '10%' ? setup.roles.r10 : setup.roles.r100;
}

function summarise(latencies: number[], hits: number, total: number): Row {
  return { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), recall: total ? hits / total : 0 };
}

/** 8 clients issuing searches over the full scope for 10 s: queries per second. */
async function throughput(search: (query: Query) => Promise<unknown>): Promise<number> {
  const queries = makeQueries(99, 4000);
  let next = 0;
  const until = Date.now() + 10_000;
  let count = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < until) {
        await search(queries[next++ % queries.length] as Query);
        count++;
      }
    }),
  );
  return count / 10;
}

async function measure(label: string, key: string, url: string, setup: Setup, exact: Exact | null) {
  const db: Db = createDb(url, { max: 8 });
  const scopes = {} as Record<ScopeName, Row>;
  const found = {} as Exact;
  for (const name of SCOPES) {
    const scope: SearchScope = { userId: randomUUID(), roleIds: [roleOf(setup, name)], isAdmin: false };
    const latencies: number[] = [];
    let hits = 0;
    let total = 0;
    found[name] = [];
    for (const [q, query] of makeQueries(7, QUERIES).entries()) {
      const embedder = fakeEmbedder(query.vector);
      const started = performance.now();
      await searchChunks(db, { scope, query: query.text, k: 10, embedder });
      latencies.push(performance.now() - started);
      const approx = await searchChunks(db, {
        scope,
        query: query.text,
        k: 10,
        embedder,
        config: { fusion: 'dense', mmrLambda: 1 },
      });
      const truth =
        exact?.[name][q] ??
        (
          await searchChunks(db, {
            scope,
            query: query.text,
            k: 10,
            embedder,
            config: { fusion: 'dense', mmrLambda: 1, exactMaxChunks: 1e9 },
          })
        ).passages.map((p) => p.chunkId);
      found[name].push(truth);
      const got = new Set(approx.passages.map((p) => p.chunkId));
      hits += truth.filter((id) => got.has(id)).length;
      total += truth.length;
    }
    scopes[name] = summarise(latencies, hits, total);
  }
  const scope: SearchScope = { userId: randomUUID(), roleIds: [setup.roles.r100], isAdmin: false };
  const qps8 = await throughput((query) =>
    searchChunks(db, { scope, query: query.text, k: 10, embedder: fakeEmbedder(query.vector) }),
  );
  await db.$disconnect();
  return { measured: { label, key, scopes, qps8 } satisfies Measured, exact: found };
}

/** The LangChain baseline (baseline.ts) on the same database, queries and exact answers. */
async function measureBaseline(url: string, setup: Setup, exact: Exact): Promise<Measured> {
  const baseline: Baseline = await openBaseline(url);
  const scopes = {} as Record<ScopeName, Row>;
  for (const name of SCOPES) {
    const role = roleOf(setup, name);
    const latencies: number[] = [];
    let hits = 0;
    let total = 0;
    for (const [q, query] of makeQueries(7, QUERIES).entries()) {
      const started = performance.now();
      const { dense } = await baseline.search(role, query.text, query.vector);
      latencies.push(performance.now() - started);
      const truth = exact[name][q] ?? [];
      const got = new Set(dense);
      hits += truth.filter((id) => got.has(id)).length;
      total += truth.length;
    }
    scopes[name] = summarise(latencies, hits, total);
  }
  const qps8 = await throughput((query) => baseline.search(setup.roles.r100, query.text, query.vector));
  await baseline.close();
  return { label: 'LangChain baseline', key: 'baseline', scopes, qps8 };
}

function print(results: Measured[]) {
  console.log(`\nscoped top-10 hybrid search over ${CHUNKS} chunks (${DIM}-d), ${QUERIES} queries per row`);
  console.log('| database | allowed | p50 ms | p95 ms | dense recall@10 vs exact |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    for (const name of SCOPES) {
      const row = r.scopes[name];
      console.log(
        `| ${r.label} | ${name} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.recall.toFixed(3)} |`,
      );
    }
  }
  console.log('\n| database | queries/s, 8 clients |');
  console.log('|---|---|');
  for (const r of results) console.log(`| ${r.label} | ${r.qps8.toFixed(1)} |`);
  for (const r of results.filter((m) => m.build || m.sizes)) {
    const list = (o: Record<string, number> | undefined, unit: string) =>
      Object.entries(o ?? {})
        .map(([k, v]) => `${k} ${v} ${unit}`)
        .join(', ');
    if (r.build) console.log(`\n${r.label} build: ${list(r.build, 's')}`);
    if (r.sizes) console.log(`${r.label} on disk: ${list(r.sizes, 'MB')}`);
  }
  if (values.json) {
    const round = (x: number, digits: number) => Number(x.toFixed(digits));
    const json = Object.fromEntries(
      results.map((r) => [
        r.key,
        {
          ...Object.fromEntries(
            SCOPES.map((name) => [
              name,
              {
                p50: round(r.scopes[name].p50, 2),
                p95: round(r.scopes[name].p95, 2),
                recall: round(r.scopes[name].recall, 3),
              },
            ]),
          ),
          qps8: round(r.qps8, 1),
          ...(r.build ? { build: r.build } : {}),
          ...(r.sizes ? { sizes: r.sizes } : {}),
        },
      ]),
    );
    console.log(JSON.stringify(json));
  }
}

/** Our search, then the baseline on the same database with the same queries and exact answers. */
async function measureBoth(label: string, key: string, url: string, setup: Setup, results: Measured[]) {
  const ours = await measure(label, key, url, setup, null);
  results.push({ ...ours.measured, build: setup.phases, sizes: await readSizes(url) });
  if (!values['skip-baseline'] && !results.some((r) => r.key === 'baseline')) {
    results.push(await measureBaseline(url, setup, ours.exact));
  }
}

async function main() {
  const results: Measured[] = [];
  // Throwaway databases are dropped after the results are printed: a failing drop loses no numbers.
  const cleanups: (() => Promise<void>)[] = [];
  try {
    await measureAll(results, cleanups);
    print(results);
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

async function measureAll(results: Measured[], cleanups: (() => Promise<void>)[]) {
  const postgres = values.postgres ?? process.env.TEST_DATABASE_URL;
  if (values.database) {
    const db = createDb(values.database, { max: 1 });
    const [row] = await db.$queryRaw<
      { value: Setup['roles'] }[]
    >`SELECT value FROM settings WHERE key = 'bench_roles'`;
    await db.$disconnect();
    if (!row) throw new Error(`${values.database} was not built by bench:retrieval --keep`);
    if (!values['skip-baseline']) await buildBaseline(values.database, DIM);
    await measureBoth('existing', 'postgres', values.database, { roles: row.value }, results);
    return;
  }
  if (postgres) {
    const name = `clearance_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: postgres });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    // pgvector builds HNSW in memory while the graph fits maintenance_work_mem (64 MB by default, ~100k
    // 100-d vectors); past it, each further vector is inserted on disk, as slowly as when publishing. An
    // operator loading a large corpus raises it; the bench does so for its own database only.
    await admin.query(`ALTER DATABASE ${name} SET maintenance_work_mem = '2GB'`);
    const url = new URL(postgres);
    url.pathname = `/${name}`;
    cleanups.push(async () => {
      if (values.keep) console.error(`kept ${url.toString()}`);
      else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });
    await migrate(url.toString());
    console.error(`PostgreSQL (${name}): building ${CHUNKS} chunks`);
    const setup = await build(url.toString(), !values['skip-baseline']);
    await measureBoth('PostgreSQL', 'postgres', url.toString(), setup, results);
  }
  if (!values['skip-embedded']) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'clearance-bench-'));
    const server = await startEmbeddedServer({ dataDir });
    try {
      await migrate(server.url);
      console.error(`embedded PGlite: building ${CHUNKS} chunks`);
      const setup = await build(server.url, !values['skip-baseline'] && !postgres);
      await measureBoth('embedded', 'embedded', server.url, setup, results);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

main().catch((error: Error) => {
  console.error(`error: ${error.stack ?? error.message}`);
  process.exit(1);
});
