-- Uploaded bytes in PostgreSQL, so every host of a multi-host deployment reads what any host stored.
-- A blob is split into parts of at most 1 MiB (each written in its own short transaction, so a 50 MB
-- upload never holds the database); blob_contents marks a blob complete only after all its parts exist,
-- so a crash mid-write leaves an incomplete blob that the next write of the same bytes completes.
CREATE TABLE "blob_parts" (
    "sha256" TEXT NOT NULL,
    "part" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    CONSTRAINT "blob_parts_pkey" PRIMARY KEY ("sha256", "part")
);

CREATE TABLE "blob_contents" (
    "sha256" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "parts" INTEGER NOT NULL,
    "stored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "blob_contents_pkey" PRIMARY KEY ("sha256")
);
