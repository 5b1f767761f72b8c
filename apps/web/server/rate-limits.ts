import { AppError, hitRateLimit } from '@clearance/auth';
import type { Db } from '@clearance/db';

/** Per-caller request budgets. Chat is the expensive path (retrieval + generation). */
export const LIMITS = {
  chat: { limit: 30, windowSeconds: 60 },
  api: { limit: 120, windowSeconds: 60 },
} as const;

/** Counts one request on `key` and throws 429 (with Retry-After) when over its budget. */
export async function enforceRateLimit(
  db: Db,
  key: string,
  budget: { limit: number; windowSeconds: number },
) {
  const result = await hitRateLimit(db, key, budget);
  if (!result.allowed) {
    throw new AppError(
      'rate_limited:api',
      `Rate limit exceeded: at most ${budget.limit} requests per ${budget.windowSeconds} s.`,
      {
        retryAfter: result.retryAfter,
      },
    );
  }
}
