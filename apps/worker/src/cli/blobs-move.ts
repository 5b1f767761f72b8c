// `npm run admin -- blobs move --to postgres|s3|local [--from local|postgres|s3]`: copies every uploaded
// file from one blob store to another, e.g. when a single host with local disk grows into several hosts
// on one PostgreSQL. Verified by digest; the source is left as it was (remove it once BLOB_STORE points
// at the target and ingestion works).
import { parseArgs } from 'node:util';
import { type Db, getDb } from '@clearance/db';
import {
  BlobNotFoundError,
  type BlobStore,
  type BlobStoreKind,
  createBlobStore,
  getIngestEnv,
} from '@clearance/retrieval';
import { createProgressBar } from './progress-bar.ts';

const KINDS = ['local', 'postgres', 's3'] as const;

function readKind(value: string | undefined, flag: string): BlobStoreKind {
  if (!KINDS.includes(value as BlobStoreKind)) throw new Error(`${flag} must be one of ${KINDS.join(', ')}`);
  return value as BlobStoreKind;
}

export type MoveSummary = { copied: number; present: number; missing: string[] };

/** Copies every blob the database knows of (table blobs) from `source` to `target`, streaming each through a file. */
export async function moveBlobs(
  db: Db,
  source: BlobStore,
  target: BlobStore,
  out: (line: string) => void = console.log,
): Promise<MoveSummary> {
  const from = source.kind;
  const to = target.kind;
  const rows = await db.blob.findMany({ select: { sha256: true }, orderBy: { sha256: 'asc' } });
  const summary: MoveSummary = { copied: 0, present: 0, missing: [] };
  const bar = createProgressBar(rows.length, 'blobs');
  for (const [i, { sha256 }] of rows.entries()) {
    if (await target.has(sha256)) {
      summary.present++;
    } else {
      try {
        const file = await source.toLocalFile(sha256);
        try {
          const stored = await target.putFile(file.path);
          if (stored !== sha256)
            throw new Error(`blob ${sha256} read back as ${stored}: the source is damaged`);
        } finally {
          await file.release();
        }
        summary.copied++;
      } catch (error) {
        if (!(error instanceof BlobNotFoundError)) throw error;
        summary.missing.push(sha256);
      }
    }
    bar.update(i + 1);
  }
  bar.done(rows.length);
  for (const sha256 of summary.missing) out(`missing in ${from}: ${sha256}`);
  out(
    `${from} -> ${to}: ${summary.copied} copied, ${summary.present} already there, ${summary.missing.length} missing`,
  );
  return summary;
}

export async function runBlobsMove(args: string[], out: (line: string) => void = console.log): Promise<void> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' } } });
  const to = readKind(values.to, '--to');
  const from = values.from ? readKind(values.from, '--from') : getIngestEnv().blobStore;
  if (from === to) throw new Error(`--from and --to are both ${to}`);
  const db = getDb();
  try {
    const summary = await moveBlobs(db, createBlobStore(db, from), createBlobStore(db, to), out);
    if (summary.missing.length > 0) throw new Error(`${summary.missing.length} blob(s) were not in ${from}`);
    out(`now set BLOB_STORE=${to} on every host`);
  } finally {
    await db.$disconnect();
  }
}
