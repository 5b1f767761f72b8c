-- Retrieval speed: BM25 postings and an index for upload de-duplication.

-- BM25 postings: one row per (lexeme, chunk) of searchable chunks (ready, current versions), so a query
-- reads only its own terms' postings instead of every candidate chunk's whole tsvector (~2 s per SciFact
-- query before). Lexemes come from two fields: the chunk text (tf_text) and its document title plus
-- heading path (tf_meta), so every chunk of a document matches its title (BM25 over "title and text");
-- the search weighs tf_meta at query time. dl_text/dl_meta (their lexeme counts) are copied from chunks
-- so scoring never touches the chunks table. Maintained by updateLexicalStats in the publishing
-- transaction; no foreign key, because retiring and deleting remove a version's postings explicitly
-- (by version_id) before its chunks.
CREATE TABLE "chunk_terms" (
    "term" TEXT NOT NULL,
    "chunk_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "tf_text" INTEGER NOT NULL,
    "tf_meta" INTEGER NOT NULL,
    "dl_text" INTEGER NOT NULL,
    "dl_meta" INTEGER NOT NULL,
    -- Covering: a broad scope's BM25 reads each query term's postings from the index alone, in order,
    -- instead of one random heap page per posting (16k postings: 140 ms from the heap on 100k chunks).
    CONSTRAINT "chunk_terms_pkey" PRIMARY KEY ("term", "chunk_id")
      INCLUDE ("document_id", "version_id", "tf_text", "tf_meta", "dl_text", "dl_meta")
);
-- A small scope probes (version, term) pairs instead; retiring and deleting find a version's postings.
CREATE INDEX "chunk_terms_version_id_term_idx" ON "chunk_terms"("version_id", "term");
-- Lexemes of the title and heading path (the BM25 length of the meta field).
ALTER TABLE "chunks" ADD COLUMN "meta_length" INTEGER NOT NULL DEFAULT 0;

-- Postings are chunk content in another shape: the same read rule as chunks.
ALTER TABLE "chunk_terms" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "chunk_terms" FORCE ROW LEVEL SECURITY;
CREATE POLICY "chunk_terms_manage" ON "chunk_terms" FOR ALL
  USING (clearance_mode() = 'manage') WITH CHECK (clearance_mode() = 'manage');
GRANT SELECT, INSERT, UPDATE, DELETE ON "chunk_terms" TO clearance_app;

-- Upload de-duplication looks versions up by content hash (it was a sequential scan per upload).
CREATE INDEX "document_versions_sha256_idx" ON "document_versions"("sha256");

-- Backfill postings and statistics for what is already searchable (the same SQL as rebuildLexicalStats).
SELECT set_config('clearance.mode', 'manage', true);
UPDATE "chunks" c SET
  "lex_length" = COALESCE((SELECT SUM(COALESCE(array_length(u.positions, 1), 1)) FROM unnest(c."search") u), 0),
  "meta_length" = COALESCE((
    SELECT SUM(COALESCE(array_length(u.positions, 1), 1))
    FROM "documents" d, unnest(to_tsvector('english', concat_ws(' ', d."title", array_to_string(c."heading_path", ' ')))) u
    WHERE d."id" = c."document_id"), 0);
INSERT INTO "chunk_terms" ("term", "chunk_id", "document_id", "version_id", "tf_text", "tf_meta", "dl_text", "dl_meta")
SELECT t.term, c."id", c."document_id", c."version_id", SUM(t.tf_text)::int, SUM(t.tf_meta)::int, c."lex_length", c."meta_length"
FROM "chunks" c
JOIN "document_versions" v ON v."id" = c."version_id" AND v."status" = 'ready'
JOIN "documents" d ON d."current_version_id" = v."id" AND d."deleted_at" IS NULL
CROSS JOIN LATERAL (
  SELECT u.lexeme AS term, COALESCE(array_length(u.positions, 1), 1) AS tf_text, 0 AS tf_meta FROM unnest(c."search") u
  UNION ALL
  SELECT u.lexeme, 0, COALESCE(array_length(u.positions, 1), 1)
  FROM unnest(to_tsvector('english', concat_ws(' ', d."title", array_to_string(c."heading_path", ' ')))) u
) t
GROUP BY t.term, c."id";
DELETE FROM "term_stats";
INSERT INTO "term_stats" ("term", "df") SELECT "term", COUNT(*)::int FROM "chunk_terms" GROUP BY "term";
INSERT INTO "settings" ("key", "value", "updated_at")
SELECT 'bm25_stats', jsonb_build_object('chunks', COUNT(*), 'totalLength', COALESCE(SUM(c."lex_length"), 0),
  'metaLength', COALESCE(SUM(c."meta_length"), 0), 'documents', COUNT(DISTINCT c."version_id")), now()
FROM "chunks" c
JOIN "document_versions" v ON v."id" = c."version_id" AND v."status" = 'ready'
JOIN "documents" d ON d."current_version_id" = v."id" AND d."deleted_at" IS NULL
ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value", "updated_at" = now();
