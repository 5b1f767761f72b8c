import { AppError } from '@clearance/errors';
import { type Actor, isSystemActor } from './access-scope.ts';
import { readAuthEnv } from './env.ts';

/**
 * Throws forbidden unless the actor may administer. API keys carry their owner's data clearance only,
 * never admin: a leaked key must not be able to change who sees what.
 */
export function requireAdmin(actor: Actor | null | undefined): void {
  if (!actor) throw new AppError('unauthorized:admin');
  if (isSystemActor(actor)) return;
  if (!actor.isAdmin || actor.via !== 'session') throw new AppError('forbidden:admin');
}

/** Whether the actor may administer (same rule as requireAdmin). */
export function canAdminister(actor: Actor | null | undefined): boolean {
  return !!actor && (isSystemActor(actor) || (actor.isAdmin && actor.via === 'session'));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF check for state-changing route handlers and server actions: the request's Origin must be the
 * app's origin (from AUTH_URL, else the Host the request came to). `Origin: null` (sandboxed frames,
 * some redirects) is always refused. A request without Origin is refused when a browser sent it
 * (Sec-Fetch-Site present and not same-origin); non-browser clients (curl, API keys) send neither.
 */
export function assertSameOrigin(
  request: Pick<Request, 'method' | 'headers' | 'url'>,
  /** The app's URL; defaults to AUTH_URL. Pass null to judge by the Host header alone. */
  configuredOrigin?: string | null,
): void {
  const appOrigin = configuredOrigin === undefined ? readAuthEnv().authUrl : (configuredOrigin ?? undefined);
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const origin = request.headers.get('origin');
  const allowed = new Set<string>();
  if (appOrigin) allowed.add(new URL(appOrigin).origin);
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  if (!appOrigin && host) {
    const proto = request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '');
    allowed.add(`${proto}://${host}`);
  }
  if (!appOrigin && !host) allowed.add(new URL(request.url).origin);
  if (origin === null) {
    const site = request.headers.get('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') throw new AppError('forbidden:origin');
    return;
  }
  if (origin === 'null' || !allowed.has(origin)) {
    throw new AppError('forbidden:origin', 'Cross-site request refused.');
  }
}
