import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DocumentKind, ParsedDocument } from '@clearance/retrieval';
import { ParseError } from './parse-error.ts';

export type ParseLimits = {
  /** Wall-clock limit per document; the child is killed with SIGKILL after it (default 120 s). */
  timeoutMs: number;
  /** V8 heap limit of the child (default 1024 MB). */
  maxMemoryMb: number;
};

const CHILD = fileURLToPath(new URL('./parse-child.ts', import.meta.url));
// The child is TypeScript like the rest of the worker: load it through tsx's ESM loader.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
// Recycle the child now and then so one long run never accumulates a fragmented heap.
const MAX_DOCUMENTS_PER_CHILD = 500;

type Reply =
  | { id: number; ok: true; document: ParsedDocument }
  | { id: number; ok: false; message: string; permanent: boolean };

type Child = {
  process: ChildProcess;
  ready: Promise<void>;
  served: number;
  stderr: string;
  maxMemoryMb: number;
};

let current: Child | undefined;
let nextId = 1;
let queue: Promise<unknown> = Promise.resolve();

function startChild(maxMemoryMb: number): Child {
  const child = fork(CHILD, [], {
    execArgv: ['--import', TSX_LOADER, `--max-old-space-size=${maxMemoryMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const state: Child = { process: child, served: 0, stderr: '', maxMemoryMb, ready: Promise.resolve() };
  child.stderr?.on('data', (data: Buffer) => {
    state.stderr = (state.stderr + data.toString()).slice(-4000);
  });
  state.ready = new Promise((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) =>
      reject(
        new Error(
          `the parser process failed to start (exit ${code}): ${state.stderr.trim().split('\n').at(-1) ?? ''}`,
        ),
      ),
    );
  });
  state.ready.catch(() => {});
  // A parser child must never keep the worker alive on its own.
  child.unref();
  child.channel?.unref();
  return state;
}

function stopChild(child: Child): void {
  if (current === child) current = undefined;
  child.process.kill('SIGKILL');
}

/** Stops the parser child (worker shutdown, end of tests). */
export function stopParser(): void {
  if (current) stopChild(current);
}

/**
 * Parses a stored blob in a separate, long-lived Node process with a heap limit and a per-document
 * wall-clock timeout. A parser crash, an out-of-memory or a hang kills only that process (a new one
 * serves the next document) and fails this document with a reason. Permanent failures (encrypted,
 * damaged, zip bomb, timeout, out of memory) are ParseError and are not retried. Requests are served
 * one at a time per worker process.
 */
export function parseInChild(
  file: string,
  kind: DocumentKind,
  limits: ParseLimits,
  signal?: AbortSignal,
): Promise<ParsedDocument> {
  const run = queue.then(() => parseOne(file, kind, limits, signal));
  queue = run.catch(() => {});
  return run;
}

async function parseOne(
  file: string,
  kind: DocumentKind,
  limits: ParseLimits,
  signal?: AbortSignal,
): Promise<ParsedDocument> {
  if (signal?.aborted) throw signal.reason ?? new Error('parsing aborted');
  if (current && (current.served >= MAX_DOCUMENTS_PER_CHILD || current.maxMemoryMb !== limits.maxMemoryMb))
    stopChild(current);
  current ??= startChild(limits.maxMemoryMb);
  const child = current;
  child.served++;
  child.process.ref();
  child.process.channel?.ref();
  const id = nextId++;
  const started = Date.now();
  try {
    await withTimeout(child.ready, limits.timeoutMs);
    return await new Promise<ParsedDocument>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        child.process.off('message', onMessage);
        child.process.off('exit', onExit);
        fn();
      };
      const timer = setTimeout(
        () => {
          stopChild(child);
          finish(() =>
            reject(
              new ParseError(
                `Parsing took longer than ${Math.round(limits.timeoutMs / 1000)} s and was stopped.`,
              ),
            ),
          );
        },
        Math.max(1, limits.timeoutMs - (Date.now() - started)),
      );
      const onAbort = () => {
        stopChild(child);
        finish(() => reject(signal?.reason ?? new Error('parsing aborted')));
      };
      const onMessage = (reply: Reply) => {
        if (reply.id !== id) return;
        finish(() => {
          if (reply.ok) resolve(reply.document);
          else reject(reply.permanent ? new ParseError(reply.message) : new Error(reply.message));
        });
      };
      const onExit = (code: number | null, exitSignal: string | null) => {
        if (current === child) current = undefined;
        finish(() => {
          if (/heap out of memory|allocation failed/i.test(child.stderr)) {
            reject(
              new ParseError(`Parsing needed more than ${limits.maxMemoryMb} MB of memory and was stopped.`),
            );
          } else {
            reject(new Error(`the parser process exited unexpectedly (code ${code}, signal ${exitSignal})`));
          }
        });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      child.process.on('message', onMessage);
      child.process.on('exit', onExit);
      child.process.send({ id, file, kind });
    });
  } finally {
    child.process.unref();
    child.process.channel?.unref();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new ParseError(`Parsing took longer than ${Math.round(ms / 1000)} s and was stopped.`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
