// `npm run admin -- document add <files and folders...> --roles a,b [--title T] [--wait]`: the CLI path
// of uploads, many files in one process (folders recursively), with a progress bar and a summary.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type Db, getDb } from '@clearance/db';
import { isAppError } from '@clearance/errors';
import { loadEmbedder } from '@clearance/inference';
import { type BlobStore, createBlobStore, createDocumentUpload, getIngestEnv } from '@clearance/retrieval';
import { drainQueue } from '../drain-queue.ts';
import { collectFiles } from './collect-files.ts';
import { createProgressBar } from './progress-bar.ts';

// Files uploaded at once: the database work of an upload is one short transaction, so a few in flight
// keep it busy while others read and hash their files (54 small files: 2.4 s sequential, 1.5 s with 4).
const UPLOAD_CONCURRENCY = 4;

/** Resolves role names to ids; unknown names are an error naming them. */
async function findRoleIds(db: Db, names: string[]): Promise<string[]> {
  const roles = await db.role.findMany({ where: { name: { in: names } }, select: { id: true, name: true } });
  const missing = names.filter((name) => !roles.some((role) => role.name === name));
  if (missing.length > 0)
    throw new Error(`unknown role(s): ${missing.join(', ')} (create them with \`role create\`)`);
  return roles.map((role) => role.id);
}

async function hasLiveWorker(db: Db): Promise<boolean> {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM worker_heartbeats WHERE beat_at > now() - interval '15 seconds'`;
  return (rows[0]?.n ?? 0) > 0;
}

type Queued = { file: string; versionId: string };

/**
 * Waits until every version is ready or failed, with a progress bar; processes the queue in this process
 * when no worker is running. Returns the failures with their reasons.
 */
async function waitForVersions(
  db: Db,
  queued: Queued[],
  blobStore: BlobStore,
  out: (line: string) => void,
): Promise<{ file: string; reason: string }[]> {
  const bar = createProgressBar(queued.length, 'ingested');
  const ids = queued.map((item) => item.versionId);
  let lastLine = '';
  for (;;) {
    const versions = await db.documentVersion.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true, stage: true, progress: true, error: true, chunkCount: true },
    });
    const finished = versions.filter((v) => ['ready', 'failed', 'cancelled'].includes(v.status));
    bar.update(finished.length);
    if (queued.length === 1 && versions[0]) {
      // One file: the stage changes, as the single-file command always printed them.
      const line = `${versions[0].status} ${versions[0].stage} ${versions[0].progress}%`;
      if (line !== lastLine) out(line);
      lastLine = line;
    }
    if (finished.length === ids.length) {
      bar.done(finished.length);
      if (queued.length === 1 && versions[0]?.status === 'ready')
        out(`ready: ${versions[0].chunkCount} chunks`);
      return finished
        .filter((v) => v.status !== 'ready')
        .map((v) => ({
          file: queued.find((item) => item.versionId === v.id)?.file ?? v.id,
          reason: `${v.status}: ${v.error ?? 'no reason recorded'}`,
        }));
    }
    if (versions.some((v) => v.status === 'queued') && !(await hasLiveWorker(db))) {
      out('no worker is running: processing the queue in this process');
      await drainQueue(db, { embedder: await loadEmbedder(), blobStore });
      continue;
    }
    await sleep(500);
  }
}

/**
 * Uploads files and folders from disk as an admin would in the browser: one document per file, folders
 * recursively, unsupported or oversized files passed over with the reason. Prints one line per file and a
 * summary; with --wait, waits until everything is ingested. Fails (exit 1) when a file named on the
 * command line was not accepted or an ingestion failed; files found in folders may be passed over.
 */
export async function runDocumentAdd(
  args: string[],
  out: (line: string) => void = console.log,
): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      roles: { type: 'string' },
      title: { type: 'string' },
      wait: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0)
    throw new Error('usage: document add <files and folders...> --roles a,b [--title T] [--wait]');
  const roleNames = (values.roles ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (roleNames.length === 0)
    throw new Error('--roles is required: a document granted to no role is readable by nobody');
  const { uploadMaxBytes } = getIngestEnv();
  const collected = await collectFiles(positionals, uploadMaxBytes);
  const files = collected.filter((item) => 'bytes' in item);
  if (values.title && files.length > 1) throw new Error('--title applies to a single file');
  const skipped: { file: string; reason: string; named: boolean }[] = collected.flatMap((item) =>
    'skip' in item ? [{ file: item.path, reason: item.skip, named: positionals.includes(item.path) }] : [],
  );
  const db = getDb();
  const blobStore = createBlobStore(db);
  const started = performance.now();
  try {
    const roleIds = await findRoleIds(db, roleNames);
    const queued: Queued[] = [];
    let deduplicated = 0;
    let next = 0;
    const bar = createProgressBar(files.length, 'files');
    const worker = async () => {
      for (let i = next++; i < files.length; i = next++) {
        const file = files[i]!;
        try {
          const bytes = new Uint8Array(await readFile(file.path));
          const result = await createDocumentUpload(
            db,
            { actorId: null, bytes, filename: path.basename(file.path), title: values.title, roleIds },
            { blobStore },
          );
          if (result.deduplicated) {
            deduplicated++;
            out(
              `already ingested: document ${result.documentId} version ${result.versionId} (${result.status}); roles merged  ${file.path}`,
            );
          } else {
            out(
              `queued: document ${result.documentId} version ${result.versionId} (${result.mime}, job ${result.jobId})  ${file.path}`,
            );
          }
          queued.push({ file: file.path, versionId: result.versionId });
        } catch (error) {
          // Unsupported type, empty file: passed over with the reason; anything else stops the import.
          if (!isAppError(error)) throw error;
          skipped.push({ file: file.path, reason: error.message, named: 'named' in file && file.named });
        }
        bar.update(queued.length + skipped.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, files.length) }, worker));
    bar.done(files.length);
    for (const item of skipped) out(`skipped: ${item.file} (${item.reason})`);
    const seconds = (performance.now() - started) / 1000;
    out(
      `added ${queued.length - deduplicated} new, ${deduplicated} already ingested, ${skipped.length} skipped, in ${seconds.toFixed(1)} s (${(files.length / Math.max(seconds, 0.001)).toFixed(1)} files/s)`,
    );
    const failures =
      values.wait && queued.length > 0 ? await waitForVersions(db, queued, blobStore, out) : [];
    for (const failure of failures) out(`failed: ${failure.file} (${failure.reason})`);
    if (values.wait && queued.length > 0)
      out(`ingested ${queued.length - failures.length} of ${queued.length}`);
    const namedSkips = skipped.filter((item) => item.named);
    if (queued.length === 0 && skipped.length > 0)
      throw new Error(`nothing was added: ${skipped[0]!.reason}`);
    if (namedSkips.length > 0)
      throw new Error(`not added: ${namedSkips.map((item) => item.file).join(', ')}`);
    if (failures.length === 1 && queued.length === 1) throw new Error(`ingestion ${failures[0]!.reason}`);
    if (failures.length > 0) throw new Error(`${failures.length} file(s) failed to ingest`);
  } finally {
    await db.$disconnect();
  }
}
