// Ingestion API shared by the web upload route, the admin CLI and the worker.
export {
  BlobNotFoundError,
  type BlobStore,
  type BlobStoreKind,
  hashBytes,
  hashFile,
  type LocalBlobFile,
} from './blob-store.ts';
export { type ChunkOptions, chunkDocument, type DocumentChunk } from './chunk-document.ts';
export { createBlobStore } from './create-blob-store.ts';
export {
  createDocumentUpload,
  type DocumentUploadInput,
  type DocumentUploadResult,
  INGEST_QUEUE,
  ZDocumentUploadInput,
} from './create-document-upload.ts';
export { getIngestEnv, type IngestEnv, parseIngestEnv, type S3Settings } from './env.ts';
export { createLocalBlobStore } from './local-blob-store.ts';
export {
  cancelVersion,
  deleteDocument,
  reindexDocument,
  retryVersion,
  type VersionAction,
} from './manage-versions.ts';
export {
  assembleText,
  cleanText,
  type ParsedBlock,
  type ParsedDocument,
  type PlacedBlock,
} from './parsed-document.ts';
export { BLOB_PART_BYTES, createPostgresBlobStore } from './postgres-blob-store.ts';
export { createPublishQueue, type PublishQueue } from './publish-queue.ts';
export {
  type PublishInput,
  type PublishResult,
  publishStagedVersion,
  publishStagedVersions,
  publishVersion,
  type StagedVersion,
  stageVersion,
  toVectorLiteral,
} from './publish-version.ts';
export { purgeUnsearchableChunks, purgeVersionChunks } from './purge-chunks.ts';
export { checkContentLength, readStreamWithLimit } from './read-limited-stream.ts';
export { runManaged } from './run-managed.ts';
export { createS3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.ts';
export { sanitizeFilename, titleFromFilename } from './sanitize-filename.ts';
export {
  ACCEPTED_TYPES_LABEL,
  DOCUMENT_TYPES,
  type DocumentKind,
  type DocumentType,
  findDocumentKind,
  sniffDocumentType,
} from './sniff-document-type.ts';
export { vacuumSearchTables } from './vacuum-search-tables.ts';
export { ensureVectorIndex, vectorIndexName } from './vector-index.ts';
export { listZipEntries, type ZipEntry } from './zip-entries.ts';
