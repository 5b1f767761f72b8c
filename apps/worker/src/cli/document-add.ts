// `npm run admin -- document add <file> --roles a,b [--title T] [--wait]`: the CLI path of an upload.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type Db, getDb } from '@clearance/db';
import { loadEmbedder } from '@clearance/inference';
import { createDocumentUpload, getIngestEnv, IngestError, runManaged } from '@clearance/retrieval';
import { drainQueue } from '../drain-queue.ts';

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

/** Waits for the version to finish, printing stage changes; processes the queue itself if no worker runs. */
async function waitForVersion(db: Db, versionId: string, out: (line: string) => void): Promise<void> {
  let last = '';
  for (;;) {
    const version = await runManaged(db, (tx) =>
      tx.documentVersion.findUnique({
        where: { id: versionId },
        select: { status: true, stage: true, progress: true, error: true, chunkCount: true },
      }),
    );
    if (!version) throw new Error('the version disappeared');
    const line = `${version.status} ${version.stage} ${version.progress}%`;
    if (line !== last) out(line);
    last = line;
    if (version.status === 'ready') return out(`ready: ${version.chunkCount} chunks`);
    if (version.status === 'failed' || version.status === 'cancelled') {
      throw new Error(`ingestion ${version.status}: ${version.error ?? 'no reason recorded'}`);
    }
    if (version.status === 'queued' && !(await hasLiveWorker(db))) {
      out('no worker is running: processing the queue in this process');
      await drainQueue(db, { embedder: await loadEmbedder() });
      continue;
    }
    await sleep(500);
  }
}

/** Uploads a file from disk as an admin would in the browser; prints the document and version ids. */
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
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new Error('usage: document add <file> --roles a,b [--title T] [--wait]');
  const roleNames = (values.roles ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (roleNames.length === 0)
    throw new Error('--roles is required: a document granted to no role is readable by nobody');
  const { uploadMaxBytes } = getIngestEnv();
  const size = (await stat(file)).size;
  if (size > uploadMaxBytes)
    throw new IngestError(
      'payload_too_large:upload',
      `${file} is larger than UPLOAD_MAX_BYTES (${uploadMaxBytes} bytes).`,
    );
  const db = getDb();
  try {
    const roleIds = await findRoleIds(db, roleNames);
    const bytes = new Uint8Array(await readFile(file));
    const result = await createDocumentUpload(db, {
      actorId: null,
      bytes,
      filename: path.basename(file),
      title: values.title,
      roleIds,
    });
    out(
      result.deduplicated
        ? `already ingested: document ${result.documentId} version ${result.versionId} (${result.status}); roles merged`
        : `queued: document ${result.documentId} version ${result.versionId} (${result.mime}, job ${result.jobId})`,
    );
    if (values.wait) await waitForVersion(db, result.versionId, out);
  } finally {
    await db.$disconnect();
  }
}
