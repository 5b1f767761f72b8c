import { hostname } from 'node:os';
import type { Db } from '@clearance/db';

/** Upserts this worker's row in worker_heartbeats (the admin console shows live workers from it). */
export async function writeHeartbeat(db: Db, workerId: string, info: Record<string, unknown>): Promise<void> {
  const json = JSON.stringify(info);
  await db.$executeRaw`
    INSERT INTO worker_heartbeats (id, hostname, pid, info) VALUES (${workerId}, ${hostname()}, ${process.pid}, ${json}::jsonb)
    ON CONFLICT (id) DO UPDATE SET beat_at = now(), info = EXCLUDED.info`;
}

/** Removes the row on clean shutdown, so the console does not show a stopped worker as stale. */
export async function removeHeartbeat(db: Db, workerId: string): Promise<void> {
  await db.$executeRaw`DELETE FROM worker_heartbeats WHERE id = ${workerId}`;
}
