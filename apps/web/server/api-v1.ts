import { type AccessScope, AppError, hashApiKey, resolveApiKey } from '@clearance/auth';
import { type Db, getDb } from '@clearance/db';
import { handleRoute } from './handle-route.ts';
import { enforceRateLimit, LIMITS } from './rate-limits.ts';

export type ApiContext = { db: Db; scope: AccessScope; requestId: string; rateKey: string };

/**
 * Runs an /api/v1 handler for the caller of an `Authorization: Bearer <key>` header: 401 without a
 * live key (the owner's roles are read fresh), 429 past the key's request budget (`budget`, default the
 * general API budget; chat has its own, smaller one), errors as JSON.
 * Cookies are never consulted, so these routes need no CSRF check.
 */
export function handleApiRoute(
  request: Request,
  run: (context: ApiContext) => Promise<Response>,
  budget: { name: string; limit: number; windowSeconds: number } = { name: 'api', ...LIMITS.api },
) {
  return handleRoute(async (requestId) => {
    const db = getDb();
    const authorization = request.headers.get('authorization');
    const scope = await resolveApiKey(db, authorization);
    if (!scope || !authorization) {
      throw new AppError('unauthorized:apikey', 'A valid API key is required: Authorization: Bearer <key>.');
    }
    // Budgets are per key (its hash), so one leaked or runaway key cannot use up its owner's others.
    const rateKey = `${budget.name}:key:${hashApiKey(authorization.replace(/^Bearer\s+/i, '').trim()).slice(0, 24)}`;
    await enforceRateLimit(db, rateKey, budget);
    const response = await run({ db, scope, requestId, rateKey });
    response.headers.set('x-request-id', requestId);
    return response;
  });
}
