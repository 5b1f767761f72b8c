import { Prisma } from '@clearance/db';

// The scope of a search as SQL: which documents and versions a role set may read, and how a statement
// tests a row against them. Every statement of a search (analysis, statistics, rankings, fetch) checks
// its rows with these, beside row-level security.

/** What narrows a scope besides its roles (searchChunks' SearchFilters). */
export type ScopeFilters = { documentIds?: string[] };

/**
 * Documents granted to one of the roles (and in the filter) and not deleted: one range of the live grants'
 * partial index (a grant carries its document's deletion, migration live_grants). Broad-scope candidate
 * generation filters by this alone: postings and embeddings exist only for ready current versions
 * (publishing and retiring maintain them in one transaction), row-level security re-checks every row, and
 * the final fetch re-checks the full rule (allowedVersionsSql) for what is returned. A document granted
 * to several of the roles appears once per grant, which membership tests don't mind.
 */
export function grantedDocumentsSql(roleIds: string[], filters: ScopeFilters): Prisma.Sql {
  const documentFilter = filters.documentIds
    ? Prisma.sql`AND g.document_id = ANY(${filters.documentIds}::uuid[])`
    : Prisma.empty;
  return Prisma.sql`
    SELECT g.document_id FROM document_grants g
    WHERE g.role_id = ANY(${roleIds}::uuid[]) AND NOT g.document_deleted ${documentFilter}`;
}

/**
 * The scope's readable versions: ready (a document's only ready version is its current one: publishVersion
 * retires the previous in the same transaction) and of a readable document (grantedDocumentsSql), driven
 * by the grants (an index range, then one versions probe per granted document).
 */
export function allowedVersionsSql(roleIds: string[], filters: ScopeFilters): Prisma.Sql {
  return Prisma.sql`
    SELECT v.id AS version_id FROM (${grantedDocumentsSql(roleIds, filters)}) g
    JOIN document_versions v ON v.document_id = g.document_id AND v.status = 'ready'`;
}

/**
 * allowedVersionsSql as a set to drive a statement from: the roles' grants (an index range), then each
 * granted document's ready version (one probe each). Small-scope plans start here and probe their
 * postings and vectors per version. Written as a lateral subquery so that a prepared statement's generic
 * plan, which can't see how few documents the roles hold, keeps this order: as a plain join it read every
 * version of the corpus with a row-security check each (10,000 checks for a 100-document scope, 40 ms on
 * bench:retrieval's 100k chunks). Not for a per-row membership test (the outer row can't narrow it): use
 * allowedVersionsSql there.
 *
 * Each version once, also when several of the roles hold its document: statements join postings and
 * vectors to it, and a repeat would score a chunk twice. One role's grants are distinct already; with
 * several, a grant counts only when no lower role id of the scope holds the same document (one index
 * probe per grant). A DISTINCT made the generic plan read the whole grants primary key in document order
 * to de-duplicate (10,900 grants for a 100-document scope, 0.7 ms per set at 100k chunks).
 */
export function allowedVersionSetSql(roleIds: string[], filters: ScopeFilters): Prisma.Sql {
  const firstGrant =
    roleIds.length > 1
      ? Prisma.sql`AND NOT EXISTS (
          SELECT 1 FROM document_grants h
          WHERE h.document_id = g.document_id AND h.role_id = ANY(${roleIds}::uuid[]) AND h.role_id < g.role_id
            AND NOT h.document_deleted)`
      : Prisma.empty;
  // grantedDocumentsSql ends in its WHERE conditions: firstGrant is one more.
  return Prisma.sql`
    SELECT v.id AS version_id FROM (${grantedDocumentsSql(roleIds, filters)} ${firstGrant}) g
    CROSS JOIN LATERAL (
      SELECT v.id FROM document_versions v
      WHERE v.document_id = g.document_id AND v.status = 'ready' OFFSET 0) v`;
}

/**
 * `column IN (set)` as a hashed SubPlan: the set is built once per statement and probed per row whatever
 * the planner's statistics say. A bare IN is pulled up into a semi-join whose plan depends on row
 * estimates, and the embedded database has no autovacuum to collect them: on an unanalysed SciFact
 * corpus the semi-join rescanned the grants per posting (6 s per BM25 query, 8 s per k-NN) against
 * 0.2 s hashed. `IS TRUE` keeps the sublink out of the pull-up and reads NULL as "not in scope".
 */
export function inScopeSql(column: Prisma.Sql, set: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`((${column}) IN (${set})) IS TRUE`;
}

/**
 * The scope check for a handful of rows: a correlated probe of `allowed` (allowedVersionsSql) per row,
 * three index lookups each, instead of building the scope's whole version set. `IS TRUE` keeps the
 * EXISTS a per-row SubPlan rather than a semi-join the planner may drive from the scope's side
 * (130 fetched chunks on unanalysed SciFact: 840 ms as a semi-join, 46 ms as probes).
 */
export function isAllowedVersionSql(column: Prisma.Sql, allowed: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(EXISTS (SELECT 1 FROM (${allowed}) a WHERE a.version_id = ${column})) IS TRUE`;
}

/**
 * The scope check for one row at a time: one probe of `granted` (grantedDocumentsSql) for the row's
 * document, an index-only lookup of the live grants, where a hashed set would be built from every grant
 * of the scope first (4 ms for 10,000 on bench:retrieval). For statements that check few rows, or rows
 * row-level security has already narrowed. `IS TRUE` keeps the EXISTS a per-row SubPlan.
 */
export function isGrantedSql(documentColumn: Prisma.Sql, granted: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(EXISTS (SELECT 1 FROM (${granted}) g WHERE g.document_id = ${documentColumn})) IS TRUE`;
}
