import { createHash } from 'node:crypto';
import { type Db, Prisma } from '@clearance/db';

const EMBEDDER_ID = /^[A-Za-z0-9._:/@+-]{1,200}$/;
// pgvector's HNSW limit for the `vector` type.
const MAX_HNSW_DIMENSION = 2000;
const ensured = new Set<string>();

/** The name of an embedder's HNSW index: a readable prefix plus a hash, always a valid identifier. */
export function vectorIndexName(embedderId: string, dimension: number): string {
  const slug = embedderId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  const hash = createHash('sha256').update(`${embedderId}|${dimension}`).digest('hex').slice(0, 8);
  return `chunk_embeddings_hnsw_${slug}_${hash}`;
}

/**
 * Creates (once) the partial HNSW index for one embedder: `((embedding::vector(D)) vector_cosine_ops)
 * WHERE embedder_id = '<id>'`. Vectors of different models never share an index, and queries that
 * filter on embedder_id and cast to vector(D) use it. DDL cannot take bind parameters, so the id and
 * dimension are validated strictly before they are written into the statement. Run it outside the
 * publishing transaction: building an index over existing rows can take seconds.
 */
export async function ensureVectorIndex(db: Db, embedderId: string, dimension: number): Promise<string> {
  if (!EMBEDDER_ID.test(embedderId))
    throw new Error(`invalid embedder id for an index: ${JSON.stringify(embedderId)}`);
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > MAX_HNSW_DIMENSION) {
    throw new Error(`invalid vector dimension ${dimension} (HNSW supports 1..${MAX_HNSW_DIMENSION})`);
  }
  const name = vectorIndexName(embedderId, dimension);
  if (ensured.has(name)) return name;
  const literal = `'${embedderId.replaceAll("'", "''")}'`;
  try {
    await db.$executeRaw`CREATE INDEX IF NOT EXISTS ${Prisma.raw(`"${name}"`)} ON chunk_embeddings
      USING hnsw ((embedding::vector(${Prisma.raw(String(dimension))})) vector_cosine_ops)
      WHERE embedder_id = ${Prisma.raw(literal)}`;
  } catch (error) {
    // Two workers racing on IF NOT EXISTS: the loser sees a duplicate; the index exists either way.
    const rows = await db.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = ${name}`;
    if ((rows[0]?.n ?? 0) === 0) throw error;
  }
  ensured.add(name);
  return name;
}
