import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { type AccessScope, resolveScopeForUser } from './access-scope.ts';
import { resolveApiKey } from './api-keys.ts';

/**
 * The one way a route turns a caller into a scope: an `Authorization: Bearer` API key when the request
 * carries one (/api/v1), else the signed-in session's user id (from `auth()`). Throws unauthorized (401)
 * when neither yields a live, enabled user. Roles and admin are read from the database on every call.
 */
export async function requireRequestScope(
  db: Db,
  caller: { authorization?: string | null; sessionUserId?: string | null },
): Promise<AccessScope> {
  // A request that presents a key is judged by the key alone: a bad key never falls back to a cookie.
  const scope = caller.authorization
    ? await resolveApiKey(db, caller.authorization)
    : caller.sessionUserId
      ? await resolveScopeForUser(db, caller.sessionUserId)
      : null;
  if (!scope) {
    throw new AppError(
      caller.authorization ? 'unauthorized:apikey' : 'unauthorized:session',
      caller.authorization ? 'Invalid or revoked API key.' : undefined,
    );
  }
  return scope;
}
