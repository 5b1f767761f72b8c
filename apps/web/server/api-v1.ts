import 'server-only';
import { type AccessScope, hashApiKey, resolveApiKey } from '@clearance/auth';
import { type Db, getDb } from '@clearance/db';
import { AppError } from '@clearance/errors';
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
    const token = authorization?.replace(/^Bearer\s+/i, '').trim() ?? '';
    // Budgets are per key (its hash), so one leaked or runaway key cannot use up its owner's others. The
    // hit is counted while the key is resolved (one round trip less); only key-shaped tokens are counted.
    const rateKey = `${budget.name}:key:${hashApiKey(token).slice(0, 24)}`;
    const [scope] = await Promise.all([
      resolveApiKey(db, authorization),
      token.startsWith('clr_') ? enforceRateLimit(db, rateKey, budget) : null,
    ]);
    if (!scope) {
      throw new AppError('unauthorized:apikey', 'A valid API key is required: Authorization: Bearer <key>.');
    }
    const response = await run({ db, scope, requestId, rateKey });
    response.headers.set('x-request-id', requestId);
    return response;
  });
}
