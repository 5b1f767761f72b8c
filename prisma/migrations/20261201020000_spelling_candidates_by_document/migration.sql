-- Spelling candidates of a small scope are read from its own documents: per granted document, its words
-- with the misspelt word's first letter, one range of this index (tf included: no table row is read).
-- Reading them by prefix across the corpus and checking each row's document against the scope read every
-- document_words row with that letter: ~240k rows and 1-3 s per unknown word at 100k chunks, for a scope
-- of 100 documents (bench:retrieval). It still serves removals by document.
CREATE INDEX "document_words_document_id_word_idx" ON "document_words" ("document_id", "word" text_pattern_ops) INCLUDE ("tf");
DROP INDEX "document_words_document_id_idx";
