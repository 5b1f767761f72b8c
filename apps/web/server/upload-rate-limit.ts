import 'server-only';
import { hitRateLimit } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { z } from 'zod';

const ZUploadRateEnv = z.object({
  UPLOAD_RATE_LIMIT: z.coerce
    .number('must be a whole number of uploads per minute, e.g. UPLOAD_RATE_LIMIT=60')
    .int('must be a whole number of uploads per minute, e.g. UPLOAD_RATE_LIMIT=60')
    .min(1, 'must be at least 1 upload per minute')
    .default(60),
});

// One minute: long enough to absorb a drag-and-drop of a folder, short enough that a throttled admin
// waits seconds, not hours.
const UPLOAD_WINDOW_SECONDS = 60;

let cachedLimit: number | undefined;

/**
 * UPLOAD_RATE_LIMIT: uploads one admin may start per minute (default 60), parsed once. A bad value throws
 * one line naming the variable and the fix.
 */
export function readUploadRateLimit(source: Record<string, string | undefined> = process.env): number {
  if (cachedLimit !== undefined && source === process.env) return cachedLimit;
  const parsed = ZUploadRateEnv.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`UPLOAD_RATE_LIMIT ${issue.message}. Fix it in .env (see .env.example).`);
  }
  if (source === process.env) cachedLimit = parsed.data.UPLOAD_RATE_LIMIT;
  return parsed.data.UPLOAD_RATE_LIMIT;
}

/**
 * Counts one upload by `userId` and throws 429 (with Retry-After) once the admin is over the per-minute
 * budget. Called before the body is read, so a refused upload costs no parsing and stores nothing. Keyed
 * per admin: one admin's script hammering the endpoint never throttles another admin.
 */
export async function enforceUploadRateLimit(db: Db, userId: string): Promise<void> {
  const limit = readUploadRateLimit();
  const result = await hitRateLimit(db, `upload:admin:${userId}`, {
    limit,
    windowSeconds: UPLOAD_WINDOW_SECONDS,
  });
  if (!result.allowed) {
    throw new AppError(
      'rate_limited:upload',
      `Too many uploads: at most ${limit} per minute per admin. Try again in ${result.retryAfter} s.`,
      { retryAfter: result.retryAfter },
    );
  }
}
