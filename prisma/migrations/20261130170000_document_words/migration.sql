-- The words of each searchable document, as written (lower case, PostgreSQL's own parser through the
-- 'simple' configuration: no stemming, no stop list), with their counts. Spelling correction suggests only
-- words of documents the asker may read, so it reads this table through the asker's grants; BM25's stemmed
-- postings (chunk_terms) can't serve it ("internatonal" is four edits from the stem "intern").
CREATE TABLE "document_words" (
    "word" TEXT NOT NULL,
    "document_id" UUID NOT NULL,
    "tf" INTEGER NOT NULL,
    CONSTRAINT "document_words_pkey" PRIMARY KEY ("word", "document_id")
);
-- Candidates for a misspelt word are read by prefix and length (text_pattern_ops: LIKE 'i%' uses it
-- whatever the collation); removing a document finds its words.
CREATE INDEX "document_words_prefix_idx" ON "document_words" ("word" text_pattern_ops, "document_id");
CREATE INDEX "document_words_document_id_idx" ON "document_words" ("document_id");

-- Words are document content in another shape: the same read rule as chunk_terms.
ALTER TABLE "document_words" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "document_words" FORCE ROW LEVEL SECURITY;
CREATE POLICY "document_words_manage" ON "document_words" FOR ALL
  USING (clearance_mode() = 'manage') WITH CHECK (clearance_mode() = 'manage');
CREATE POLICY "document_words_read" ON "document_words" FOR SELECT USING (
  clearance_mode() = 'read' AND "document_id" IN (SELECT r FROM clearance_readable_document_ids() r)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON "document_words" TO clearance_app;

-- Backfill from what is already searchable (the same SQL as updateLexicalStats).
INSERT INTO "document_words" ("word", "document_id", "tf")
SELECT u.lexeme, c."document_id", SUM(COALESCE(array_length(u.positions, 1), 1))::int
FROM "chunks" c
JOIN "documents" d ON d."current_version_id" = c."version_id" AND d."deleted_at" IS NULL
JOIN "document_versions" v ON v."id" = c."version_id" AND v."status" = 'ready'
CROSS JOIN LATERAL unnest(to_tsvector('simple', c."text")) u
WHERE length(u.lexeme) >= 3 AND u.lexeme !~ '[0-9]'
GROUP BY u.lexeme, c."document_id";
