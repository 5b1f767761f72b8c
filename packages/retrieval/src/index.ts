export * from './ingest/index.ts';
