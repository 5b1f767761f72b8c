// The search a LangChain user would build on the same PostgreSQL, for bench:retrieval to measure beside
// ours: PGVectorStore (@langchain/community) for the dense half, Postgres full-text ts_rank for the lexical
// half, fused by reciprocal rank (k=60) the way EnsembleRetriever fuses its retrievers.
//
// The SQL is PGVectorStore's own, reproduced rather than run through the package: @langchain/community
// drags in peers that conflict with our zod 4 (ENVIRONMENT.md), and through the package the bench would
// also time LangChain's Document objects, not the database. What is reproduced:
// - its table (id uuid, content text, metadata jsonb, embedding vector) with createHnswIndex's index
//   (HNSW, cosine, m 16, ef_construction 64); the roles that may read a chunk live in metadata.roles;
// - similaritySearchVectorWithScore's statement: `SELECT *, embedding <=> $1 AS "_distance" ... WHERE
//   <filter> ORDER BY "_distance" ASC LIMIT k`, with its `arrayContains` filter on the roles
//   (`metadata->'roles' ?| array[...]`) and pgvector's defaults (ef_search 40, iterative scans off);
// - the lexical half a user writes beside it: plainto_tsquery/ts_rank over to_tsvector('english', content)
//   with a GIN expression index and the same metadata filter.
// Both halves take k=10 and run concurrently, as EnsembleRetriever runs them.
import pg from 'pg';

const K = 10;
const RRF_K = 60;

/** Copies the bench's chunks into a PGVectorStore-shaped table with its indexes, unless already there. */
export async function buildBaseline(url: string, dimension: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = Date.now();
    const existing = await client.query(
      `SELECT to_regclass('langchain_pg_embedding') IS NOT NULL AS present`,
    );
    if (existing.rows[0]?.present) return;
    await client.query(`SELECT set_config('clearance.mode', 'manage', false)`);
    await client.query(
      `CREATE TABLE langchain_pg_embedding (id uuid PRIMARY KEY, content text, metadata jsonb, embedding vector(${dimension}))`,
    );
    await client.query(`
      INSERT INTO langchain_pg_embedding (id, content, metadata, embedding)
      SELECT c.id, c.text,
        jsonb_build_object('documentId', c.document_id, 'roles',
          (SELECT jsonb_agg(g.role_id::text) FROM document_grants g WHERE g.document_id = c.document_id)),
        ce.embedding::vector(${dimension})
      FROM chunks c JOIN chunk_embeddings ce ON ce.chunk_id = c.id`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await client.query(
      `CREATE INDEX ON langchain_pg_embedding USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)`,
    );
    await client.query(`CREATE INDEX ON langchain_pg_embedding USING gin (to_tsvector('english', content))`);
    await client.query('ANALYZE langchain_pg_embedding');
    console.error(`baseline table and indexes: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

export type Baseline = {
  /** Fused top-10 ids, and the dense half's own top-10 (for recall against exact search). */
  search(roleId: string, query: string, vector: number[]): Promise<{ ids: string[]; dense: string[] }>;
  close(): Promise<void>;
};

/** A pool of 8 connections running the baseline's two statements per search. */
export async function openBaseline(url: string): Promise<Baseline> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  // Dropping the throwaway database terminates connections: not an error of the measurement.
  pool.on('error', () => {});
  const [{ present } = { present: false }] = (
    await pool.query<{ present: boolean }>(
      `SELECT to_regclass('langchain_pg_embedding') IS NOT NULL AS present`,
    )
  ).rows;
  if (!present) throw new Error('no baseline table: rebuild the database without --skip-baseline');
  return {
    async search(roleId, query, vector) {
      const roles = [roleId];
      const [dense, lexical] = await Promise.all([
        pool.query<{ id: string }>(
          `SELECT *, embedding <=> $1 AS "_distance" FROM langchain_pg_embedding
           WHERE metadata->'roles' ?| $2::text[]
           ORDER BY "_distance" ASC LIMIT $3`,
          [`[${vector.join(',')}]`, roles, K],
        ),
        pool.query<{ id: string }>(
          `SELECT id, content, metadata, ts_rank(to_tsvector('english', content), plainto_tsquery('english', $1)) AS rank
           FROM langchain_pg_embedding
           WHERE to_tsvector('english', content) @@ plainto_tsquery('english', $1) AND metadata->'roles' ?| $2::text[]
           ORDER BY rank DESC LIMIT $3`,
          [query, roles, K],
        ),
      ]);
      const fused = new Map<string, number>();
      for (const rows of [dense.rows, lexical.rows]) {
        for (const [index, row] of rows.entries())
          fused.set(row.id, (fused.get(row.id) ?? 0) + 1 / (RRF_K + index + 1));
      }
      const ids = [...fused.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, K)
        .map(([id]) => id);
      return { ids, dense: dense.rows.map((row) => row.id) };
    },
    close: () => pool.end(),
  };
}
