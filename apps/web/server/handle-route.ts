import 'server-only';
import { assertSameOrigin } from '@clearance/auth';
import { isDatabaseUnavailable } from '@clearance/db';
import { AppError, toErrorResponse } from '@clearance/errors';
import type { z } from 'zod';
import { readWebEnv } from './env.ts';

/** A short id tying a response to the server log line of its error. */
export function createRequestId(): string {
  return crypto.randomUUID().slice(0, 8);
}

/** Seconds a caller should wait before retrying while the database is down (a restart takes a few). */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Runs a route handler body and turns anything thrown into the standard error response (AppErrors as
 * themselves, an unreachable database as 503 with Retry-After, anything else logged and answered with a
 * generic 500).
 */
export async function handleRoute(run: (requestId: string) => Promise<Response>): Promise<Response> {
  const requestId = createRequestId();
  try {
    return withNoStore(await run(requestId));
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      // Not a bug in the request: one log line (no stack) and an answer the caller can act on.
      const reason = error instanceof Error ? error.message.trim().split('\n').at(-1) : String(error);
      console.error(`[${requestId}] database unavailable: ${reason}`);
      const offline = new AppError(
        'offline:database',
        'The database is not reachable right now. Try again in a few seconds.',
        { cause: error, retryAfter: DATABASE_RETRY_AFTER_SECONDS },
      );
      return withNoStore(toErrorResponse(offline, requestId));
    }
    return withNoStore(toErrorResponse(error, requestId));
  }
}

/**
 * Route handlers answer one caller with that caller's data: no shared cache (a proxy, the browser's
 * back/forward cache) may keep it. A handler that sets its own Cache-Control keeps it.
 */
function withNoStore(response: Response): Response {
  try {
    if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
  } catch {
    // Immutable headers (Response.redirect): nothing per-user to protect in a redirect.
  }
  return response;
}

/** Whether a parsed JSON value holds a NUL character in any string (PostgreSQL text can't store one). */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object')
    return Object.entries(value).some(([key, item]) => key.includes('\0') || containsNul(item));
  return false;
}

/** CSRF check for state-changing session routes: the Origin must be this app. */
export function checkSameOrigin(request: Request): void {
  assertSameOrigin(request, readWebEnv().appUrl);
}

/** Reads a JSON body and validates it; 400 names the first problem (path and message). */
export async function parseJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new AppError('bad_request:body', 'The request body must be JSON.');
  }
  if (containsNul(body)) throw new AppError('bad_request:nul', 'The request contains a NUL byte.');
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new AppError('bad_request:body', `${where}${issue.message}`);
  }
  return parsed.data;
}
