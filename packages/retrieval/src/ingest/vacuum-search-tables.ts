import type { Db } from '@clearance/db';

/**
 * The tables every search plans over: their row estimates steer the plans, and their visibility maps let
 * chunk_terms' postings be read index-only instead of probing the heap per posting.
 */
const SEARCH_TABLES = [
  'chunks',
  'chunk_terms',
  'chunk_embeddings',
  'document_words',
  'document_grants',
  'document_versions',
  'documents',
] as const;

/**
 * `VACUUM (ANALYZE)` of the search tables. The embedded database has no autovacuum: without this its
 * planner never learns how large a corpus grew and its index-only scans keep visiting the heap (see
 * runWorker's vacuumAfterChunks for when it runs). A server's autovacuum does the same on its own.
 * VACUUM can't run in a transaction: one statement per table on the client, so the embedded database's
 * single backend serves other connections between tables.
 */
export async function vacuumSearchTables(db: Db): Promise<void> {
  for (const table of SEARCH_TABLES) await db.$executeRawUnsafe(`VACUUM (ANALYZE) ${table}`);
}
