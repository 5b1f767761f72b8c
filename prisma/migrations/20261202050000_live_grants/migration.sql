-- The read rule (a document is readable iff it is not deleted and granted to one of the scope's roles)
-- answered from document_grants alone: each grant carries whether its document is deleted, kept by
-- triggers, so "what may these roles read" is one range of a partial index and "may they read this row"
-- one index-only probe (versions and chunks, read a few at a time) or one lookup in that range hashed
-- (vectors, postings and words).
--
-- Before, content tables checked a row through documents (a heap probe, then documents_read's grants
-- probe: ~4 us a row, ~940 rows for a 10% scope's graph walk, 1,000 for a 1% scope's exact k-NN on
-- bench:retrieval's 100k chunks), and postings and words through clearance_readable_document_ids(), a
-- SECURITY DEFINER function PostgreSQL can't inline, run whole into a tuplestore in every statement
-- (2.6 ms for 10,000 grants against 1.1 ms for the same index range read in the statement itself).
-- The rule is unchanged: documents_read and citations still read documents itself.

ALTER TABLE "document_grants" ADD COLUMN "document_deleted" BOOLEAN NOT NULL DEFAULT false;
UPDATE "document_grants" g SET "document_deleted" = true
FROM "documents" d WHERE d."id" = g."document_id" AND d."deleted_at" IS NOT NULL;

-- A grant's flag is always its document's state: computed on every write of a grant (whatever the
-- writer set), and rewritten on the grants when a document is deleted or restored. SECURITY DEFINER:
-- the writer's own policies may hide the document (read mode sees no deleted one).
CREATE FUNCTION clearance_grant_document_deleted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  NEW."document_deleted" := EXISTS (
    SELECT 1 FROM "documents" d WHERE d."id" = NEW."document_id" AND d."deleted_at" IS NOT NULL);
  RETURN NEW;
END
$$;
CREATE TRIGGER "document_grants_document_deleted" BEFORE INSERT OR UPDATE ON "document_grants"
  FOR EACH ROW EXECUTE FUNCTION clearance_grant_document_deleted();

CREATE FUNCTION clearance_document_deleted_to_grants() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE "document_grants" SET "document_deleted" = (NEW."deleted_at" IS NOT NULL)
  WHERE "document_id" = NEW."id";
  RETURN NULL;
END
$$;
CREATE TRIGGER "documents_deleted_to_grants" AFTER UPDATE ON "documents"
  FOR EACH ROW WHEN ((OLD."deleted_at" IS NULL) IS DISTINCT FROM (NEW."deleted_at" IS NULL))
  EXECUTE FUNCTION clearance_document_deleted_to_grants();

-- The scope's readable documents (sets: vectors, postings, words, search's grantedDocumentsSql) and one
-- row's check (versions, chunks), both index-only.
CREATE UNIQUE INDEX "document_grants_live_role_id_document_id_idx" ON "document_grants" ("role_id", "document_id")
  WHERE NOT "document_deleted";
CREATE UNIQUE INDEX "document_grants_live_document_id_role_id_idx" ON "document_grants" ("document_id", "role_id")
  WHERE NOT "document_deleted";

DROP POLICY "document_versions_read" ON "document_versions";
CREATE POLICY "document_versions_read" ON "document_versions" FOR SELECT USING (
  clearance_mode() = 'read' AND EXISTS (
    SELECT 1 FROM "document_grants" g
    WHERE g."document_id" = "document_versions"."document_id" AND g."role_id" = ANY (clearance_role_ids())
      AND NOT g."document_deleted")
);
DROP POLICY "chunks_read" ON "chunks";
CREATE POLICY "chunks_read" ON "chunks" FOR SELECT USING (
  clearance_mode() = 'read' AND EXISTS (
    SELECT 1 FROM "document_grants" g
    WHERE g."document_id" = "chunks"."document_id" AND g."role_id" = ANY (clearance_role_ids())
      AND NOT g."document_deleted")
);
-- Vectors, postings and words are read by the thousand (a small scope's exact k-NN reads all its
-- vectors, a broad one's graph walk ~1,000 candidates): the set, hashed once per statement. As a probe
-- per row, the 1% scope's ranking statement on bench:retrieval's 100k chunks took 16 ms, hashed 10 ms.
DROP POLICY "chunk_embeddings_read" ON "chunk_embeddings";
CREATE POLICY "chunk_embeddings_read" ON "chunk_embeddings" FOR SELECT USING (
  clearance_mode() = 'read' AND "document_id" IN (
    SELECT g."document_id" FROM "document_grants" g
    WHERE g."role_id" = ANY (clearance_role_ids()) AND NOT g."document_deleted")
);
DROP POLICY "chunk_terms_read" ON "chunk_terms";
CREATE POLICY "chunk_terms_read" ON "chunk_terms" FOR SELECT USING (
  clearance_mode() = 'read' AND "document_id" IN (
    SELECT g."document_id" FROM "document_grants" g
    WHERE g."role_id" = ANY (clearance_role_ids()) AND NOT g."document_deleted")
);
DROP POLICY "document_words_read" ON "document_words";
CREATE POLICY "document_words_read" ON "document_words" FOR SELECT USING (
  clearance_mode() = 'read' AND "document_id" IN (
    SELECT g."document_id" FROM "document_grants" g
    WHERE g."role_id" = ANY (clearance_role_ids()) AND NOT g."document_deleted")
);
DROP FUNCTION clearance_readable_document_ids();
