// Parser child process: a long-lived server that parses one blob per IPC request and answers over IPC.
// It runs with a V8 heap limit and the parent kills it on timeout, so a hostile file can exhaust only
// this process; the parent starts a fresh one for the next document. Serial: one request at a time.
import { readFile } from 'node:fs/promises';
import type { DocumentKind } from '@clearance/retrieval';
import { parseDocument } from './parse-document.ts';
import { ParseError } from './parse-error.ts';

type Request = { id: number; file: string; kind: DocumentKind };

if (!process.send) throw new Error('parse-child must be started with an IPC channel');

process.on('message', async (request: Request) => {
  try {
    const bytes = new Uint8Array(await readFile(request.file));
    const document = await parseDocument(bytes, request.kind);
    process.send!({ id: request.id, ok: true, document });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.send!({ id: request.id, ok: false, message, permanent: error instanceof ParseError });
  }
});
// The parent going away (worker killed) must not leave an orphan parser behind.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
