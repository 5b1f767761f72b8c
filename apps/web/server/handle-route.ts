import { AppError, assertSameOrigin, toErrorResponse } from '@clearance/auth';
import { isDatabaseUnavailable } from '@clearance/db';
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
    return await run(requestId);
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
      return toErrorResponse(offline, requestId);
    }
    return toErrorResponse(error, requestId);
  }
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
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new AppError('bad_request:body', `${where}${issue.message}`);
  }
  return parsed.data;
}
