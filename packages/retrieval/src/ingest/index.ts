// Ingestion API shared by the web upload route, the admin CLI and the worker.
export { type BlobStore, createLocalBlobStore, hashBytes } from './blob-store.ts';
export {
  createDocumentUpload,
  type DocumentUploadInput,
  type DocumentUploadResult,
  INGEST_QUEUE,
  ZDocumentUploadInput,
} from './create-document-upload.ts';
export { getIngestEnv, type IngestEnv, parseIngestEnv } from './env.ts';
export { IngestError, type IngestErrorCode, isIngestError } from './ingest-error.ts';
export { checkContentLength, readStreamWithLimit } from './read-limited-stream.ts';
export { sanitizeFilename, titleFromFilename } from './sanitize-filename.ts';
export {
  ACCEPTED_TYPES_LABEL,
  DOCUMENT_TYPES,
  type DocumentKind,
  type DocumentType,
  findDocumentKind,
  sniffDocumentType,
} from './sniff-document-type.ts';
export { listZipEntries, type ZipEntry } from './zip-entries.ts';
