-- Retrieval speed on broad scopes (bench:retrieval, 100k chunks on PostgreSQL).
--
-- 1. Impact-ordered postings. A broad scope's BM25 summed every posting of every query term: a term in
--    half the corpus is 50k postings, and a 4-term query took ~130 ms. Each term's postings are now read
--    best-first in the order of a query-independent impact (the BM25 tf saturation with k1 1.2, b 0.75 and
--    an average length of 100 lexemes: higher tf and shorter chunks first), and only the first few
--    thousand of them (SearchConfig.termPostings) are scored. Exact scores are still computed at query
--    time from tf and length; only which postings of a very common term get scored is approximate, and such
--    a term's idf is small. The index covers everything the scoring reads (an index-only scan: ~1 µs per
--    posting instead of a random heap page). The primary key no longer needs to cover the same columns.
CREATE FUNCTION clearance_posting_impact(tf_text integer, tf_meta integer, dl_text integer, dl_meta integer)
RETURNS real LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ((tf_text + tf_meta)::real / ((tf_text + tf_meta)::real + 0.3::real + 0.009::real * (dl_text + dl_meta)::real))::real
$$;
CREATE INDEX "chunk_terms_impact_idx" ON "chunk_terms" (
  "term", clearance_posting_impact("tf_text", "tf_meta", "dl_text", "dl_meta") DESC
) INCLUDE ("chunk_id", "document_id", "tf_text", "tf_meta", "dl_text", "dl_meta");
ALTER TABLE "chunk_terms" DROP CONSTRAINT "chunk_terms_pkey",
  ADD CONSTRAINT "chunk_terms_pkey" PRIMARY KEY ("term", "chunk_id");

-- 2. Read policies checked per row where a statement touches few rows. The policies of chunks, versions and
--    embeddings built the scope's whole readable-documents set once per statement (~5 ms for a 10k-document
--    scope, two or three times per search) even when the statement reads 30 rows (the passages fetched, the
--    neighbours an HNSW walk yields). They now ask whether the row's document is visible, and documents_read
--    (not deleted, granted to one of clearance.role_ids) decides, with two index probes per row: the same
--    rule as before. Postings keep the set: a broad BM25 reads thousands of them.
--    Embeddings carry their document, like chunks and postings, for the same per-row check.
ALTER TABLE "chunk_embeddings" ADD COLUMN "document_id" UUID;
UPDATE "chunk_embeddings" ce SET "document_id" = c."document_id" FROM "chunks" c WHERE c."id" = ce."chunk_id";
DELETE FROM "chunk_embeddings" WHERE "document_id" IS NULL;
ALTER TABLE "chunk_embeddings" ALTER COLUMN "document_id" SET NOT NULL;
DROP POLICY IF EXISTS "chunk_embeddings_read" ON "chunk_embeddings";
CREATE POLICY "chunk_embeddings_read" ON "chunk_embeddings" FOR SELECT USING (
  clearance_mode() = 'read' AND EXISTS (SELECT 1 FROM "documents" d WHERE d."id" = "chunk_embeddings"."document_id")
);
DROP POLICY IF EXISTS "chunks_read" ON "chunks";
CREATE POLICY "chunks_read" ON "chunks" FOR SELECT USING (
  clearance_mode() = 'read' AND EXISTS (SELECT 1 FROM "documents" d WHERE d."id" = "chunks"."document_id")
);
DROP POLICY IF EXISTS "document_versions_read" ON "document_versions";
CREATE POLICY "document_versions_read" ON "document_versions" FOR SELECT USING (
  clearance_mode() = 'read' AND EXISTS (SELECT 1 FROM "documents" d WHERE d."id" = "document_versions"."document_id")
);
-- Nothing uses the versions set any more.
DROP FUNCTION clearance_readable_version_ids();

-- 3. The readable-documents set (postings' policy) from the grants alone: an index-only range scan of the
--    roles' grants less the few deleted documents, instead of a documents probe per grant (10k: 4.5 -> 3 ms).
CREATE OR REPLACE FUNCTION clearance_readable_document_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT g."document_id" FROM "document_grants" g
  WHERE clearance_mode() = 'read' AND g."role_id" = ANY (clearance_role_ids())
    AND NOT EXISTS (SELECT 1 FROM "documents" d WHERE d."id" = g."document_id" AND d."deleted_at" IS NOT NULL)
$$;
DROP INDEX "document_grants_role_id_idx";
CREATE INDEX "document_grants_role_id_document_id_idx" ON "document_grants"("role_id", "document_id");
