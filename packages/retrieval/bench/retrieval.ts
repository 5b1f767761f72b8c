// npm run bench:retrieval [-- --chunks 100000 --postgres URL --skip-embedded --keep --database URL]
// Builds ~100k synthetic chunks (Zipf-distributed words, clustered 100-d vectors) in a throwaway database,
// then prints p50/p95 latency and recall@10 against exact search at 1%, 10% and 100% selectivity, and
// queries/s under 8 concurrent clients. Runs on the embedded database and, when a PostgreSQL URL is given
// (--postgres, or TEST_DATABASE_URL), on PostgreSQL too. A benchmark, not a test: it prints numbers.
// --keep leaves the built PostgreSQL database in place and prints its URL; --database URL measures such a
// database again without rebuilding it (for iterating on query plans).
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
} from '../src/index.ts';

const { values } = parseArgs({
  options: {
    chunks: { type: 'string', default: '100000' },
    postgres: { type: 'string' },
    'skip-embedded': { type: 'boolean', default: false },
    queries: { type: 'string', default: '40' },
    keep: { type: 'boolean', default: false },
    database: { type: 'string' },
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
function sampleVector(): number[] {
  const c = centroids[Math.floor(random() * centroids.length)] ?? [];
  const v = c.map((x) => x + (random() - 0.5) * 0.6);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

type Setup = { roles: { r1: string; r10: string; r100: string } };

async function build(url: string): Promise<Setup> {
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
  const db = createDb(url, { max: 2 });
  let t = Date.now();
  await runManaged(db, (tx) => rebuildLexicalStats(tx), { timeout: 600_000 });
  console.error(`BM25 statistics: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  t = Date.now();
  await ensureVectorIndex(db, EMBEDDER, DIM);
  console.error(`HNSW index: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  await db.$executeRawUnsafe('ANALYZE');
  await db.$executeRaw`
    INSERT INTO settings (key, value, updated_at) VALUES ('bench_roles', ${JSON.stringify(roleIds)}::jsonb, now())
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`;
  await db.$disconnect();
  return { roles: roleIds };
}

function fakeEmbedder(vector: () => number[]) {
  return { id: EMBEDDER, dimension: DIM, embed: async () => [Float32Array.from(vector())] };
}

async function measure(label: string, url: string, setup: Setup) {
  const db: Db = createDb(url, { max: 8 });
  const rows: string[][] = [];
  for (const [name, role] of [
    ['1%', setup.roles.r1],
    ['10%', setup.roles.r10],
    ['100%', setup.roles.r100],
  ] as const) {
    const scope: SearchScope = { userId: randomUUID(), roleIds: [role], isAdmin: false };
    const latencies: number[] = [];
    let hits = 0;
    let total = 0;
    for (let q = 0; q < QUERIES; q++) {
      const query = Array.from({ length: 4 }, () => words[Math.floor(random() * 2000)]).join(' ');
      const vector = sampleVector();
      const embedder = fakeEmbedder(() => vector);
      const started = performance.now();
      await searchChunks(db, { scope, query, k: 10, embedder });
      latencies.push(performance.now() - started);
      const approx = await searchChunks(db, {
        scope,
        query,
        k: 10,
        embedder,
        config: { fusion: 'dense', mmrLambda: 1 },
      });
      const exact = await searchChunks(db, {
        scope,
        query,
        k: 10,
        embedder,
        config: { fusion: 'dense', mmrLambda: 1, exactMaxChunks: 1e9 },
      });
      const got = new Set(approx.passages.map((p) => p.chunkId));
      hits += exact.passages.filter((p) => got.has(p.chunkId)).length;
      total += exact.passages.length;
    }
    rows.push([
      label,
      name,
      quantile(latencies, 0.5).toFixed(1),
      quantile(latencies, 0.95).toFixed(1),
      (total ? hits / total : 0).toFixed(3),
    ]);
  }
  // Throughput: 8 clients issuing hybrid top-10 searches over the full scope for a fixed time.
  const scope: SearchScope = { userId: randomUUID(), roleIds: [setup.roles.r100], isAdmin: false };
  const until = Date.now() + 10_000;
  let count = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < until) {
        const query = Array.from({ length: 4 }, () => words[Math.floor(random() * 2000)]).join(' ');
        const vector = sampleVector();
        await searchChunks(db, { scope, query, k: 10, embedder: fakeEmbedder(() => vector) });
        count++;
      }
    }),
  );
  await db.$disconnect();
  return { rows, qps: count / 10 };
}

function print(results: { label: string; rows: string[][]; qps: number }[]) {
  console.log(`\nscoped top-10 hybrid search over ${CHUNKS} chunks (${DIM}-d), ${QUERIES} queries per row`);
  console.log('| database | allowed | p50 ms | p95 ms | dense recall@10 vs exact |');
  console.log('|---|---|---|---|---|');
  for (const r of results) for (const row of r.rows) console.log(`| ${row.join(' | ')} |`);
  console.log('\n| database | queries/s, 8 clients |');
  console.log('|---|---|');
  for (const r of results) console.log(`| ${r.label} | ${r.qps.toFixed(1)} |`);
}

async function main() {
  const results: { label: string; rows: string[][]; qps: number }[] = [];
  const postgres = values.postgres ?? process.env.TEST_DATABASE_URL;
  if (values.database) {
    const db = createDb(values.database, { max: 1 });
    const [row] = await db.$queryRaw<
      { value: Setup['roles'] }[]
    >`SELECT value FROM settings WHERE key = 'bench_roles'`;
    await db.$disconnect();
    if (!row) throw new Error(`${values.database} was not built by bench:retrieval --keep`);
    results.push({
      label: 'existing',
      ...(await measure('existing', values.database, { roles: row.value })),
    });
    print(results);
    return;
  }
  if (postgres) {
    const name = `clearance_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: postgres });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(postgres);
    url.pathname = `/${name}`;
    try {
      await migrate(url.toString());
      console.error(`PostgreSQL (${name}): building ${CHUNKS} chunks`);
      const setup = await build(url.toString());
      results.push({ label: 'PostgreSQL', ...(await measure('PostgreSQL', url.toString(), setup)) });
    } finally {
      if (values.keep) console.error(`kept ${url.toString()}`);
      else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  if (!values['skip-embedded']) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'clearance-bench-'));
    const server = await startEmbeddedServer({ dataDir });
    try {
      await migrate(server.url);
      console.error(`embedded PGlite: building ${CHUNKS} chunks`);
      const setup = await build(server.url);
      results.push({ label: 'embedded', ...(await measure('embedded', server.url, setup)) });
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  print(results);
}

main().catch((error: Error) => {
  console.error(`error: ${error.stack ?? error.message}`);
  process.exit(1);
});
