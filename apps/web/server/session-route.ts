import 'server-only';
import type { AccessScope } from '@clearance/auth';
import { type Db, getDb } from '@clearance/db';
import { checkSameOrigin, handleRoute } from './handle-route.ts';
import { enforceRateLimit, type RateBudget } from './rate-limits.ts';
import { requireScope } from './request-scope.ts';

export type SessionContext = { db: Db; scope: AccessScope; requestId: string };

export type SessionRouteOptions = {
  /** A per-user request budget for this route (`name` keeps routes' counters apart). */
  rateLimit?: RateBudget & { name: string };
};

/**
 * Runs a session route handler (cookie-authenticated, called by the app's own pages) the one way every
 * such route must: same-origin check for anything but GET/HEAD/OPTIONS (CSRF), 401 without a live
 * session (roles and disabled state read from the database on this request), the route's per-user rate
 * limit, then the handler; errors become the standard JSON answer and every response is `no-store`.
 */
export function handleSessionRoute(
  request: Request,
  run: (context: SessionContext) => Promise<Response>,
  options: SessionRouteOptions = {},
): Promise<Response> {
  return handleRoute(async (requestId) => {
    checkSameOrigin(request);
    const scope = await requireScope();
    const db = getDb();
    if (options.rateLimit) {
      const { name, ...budget } = options.rateLimit;
      await enforceRateLimit(db, `${name}:user:${scope.userId}`, budget);
    }
    return run({ db, scope, requestId });
  });
}
