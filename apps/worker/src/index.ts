// @clearance/worker: in-process entry points for other commands (eval, bench, tests).
export { type DrainOptions, type DrainSummary, drainQueue } from './drain-queue.ts';
export { type IngestEmbedder, type IngestOutcome, ingestVersion } from './pipeline/ingest-version.ts';
export { parseDocument } from './pipeline/parse/parse-document.ts';
export { ParseError } from './pipeline/parse/parse-error.ts';
export { parseInChild, stopParser } from './pipeline/parse/parse-in-child.ts';
export { type ReembedProgress, reembedChunks } from './reembed-chunks.ts';
export { createWorkerId, runWorker, type WorkerOptions } from './run-worker.ts';
