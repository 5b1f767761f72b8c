import 'server-only';
import { hitRateLimit } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';

export type RateBudget = { limit: number; windowSeconds: number };

/**
 * Per-caller request budgets. Chat is the expensive path (retrieval + generation); a conversation is a
 * row per request, so creating them has a budget of its own (a person starts a few an hour, not 30 a
 * minute); API keys are minted rarely.
 */
export const LIMITS = {
  chat: { limit: 30, windowSeconds: 60 },
  api: { limit: 120, windowSeconds: 60 },
  conversationCreate: { limit: 20, windowSeconds: 60 },
  apiKeyCreate: { limit: 10, windowSeconds: 60 },
} as const satisfies Record<string, RateBudget>;

/** Counts one request on `key` and throws 429 (with Retry-After) when over its budget. */
export async function enforceRateLimit(db: Db, key: string, budget: RateBudget) {
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
