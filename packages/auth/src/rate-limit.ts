import type { Db } from '@clearance/db';

export type RateLimitResult = {
  allowed: boolean;
  count: number;
  limit: number;
  /** Seconds until the current window ends. */
  retryAfter: number;
};

/**
 * Counts one hit on `key` in a fixed window shared by every process (the rate_limits table) and says
 * whether it is within `limit`. One upsert: atomic under concurrency, no read-then-write race.
 */
export async function hitRateLimit(
  db: Pick<Db, '$queryRaw'>,
  key: string,
  { limit, windowSeconds }: { limit: number; windowSeconds: number },
): Promise<RateLimitResult> {
  const windowMs = windowSeconds * 1000;
  const now = Date.now();
  const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
  const rows = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO rate_limits (key, window_start, count) VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.window_start = EXCLUDED.window_start THEN rate_limits.count + 1 ELSE 1 END,
      window_start = EXCLUDED.window_start
    RETURNING count`;
  const count = Number(rows[0]?.count ?? 1);
  return {
    allowed: count <= limit,
    count,
    limit,
    retryAfter: Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now) / 1000)),
  };
}

/** Forgets the hits on `key` (e.g. an account's failures after a successful sign-in). */
export async function clearRateLimit(db: Pick<Db, '$executeRaw'>, key: string): Promise<void> {
  await db.$executeRaw`DELETE FROM rate_limits WHERE key = ${key}`;
}

/** Takes back one hit on `key`, e.g. a successful sign-in, so the per-address limit counts failures only. */
export async function releaseRateLimitHit(db: Pick<Db, '$executeRaw'>, key: string): Promise<void> {
  await db.$executeRaw`UPDATE rate_limits SET count = greatest(count - 1, 0) WHERE key = ${key}`;
}
