import { type AccessScope, AppError, isAppError, requireAdmin } from '@clearance/auth';
import { forbidden } from 'next/navigation';
import type { z } from 'zod';
import { checkSameOrigin, handleRoute } from '../../../server/handle-route.ts';
import { requirePageScope, requireScope } from '../../../server/request-scope.ts';

/**
 * For admin pages: the caller's scope when they are an admin. Anonymous visitors go to sign-in; signed-in
 * non-admins get the 403 page. Every page calls this itself (layouts don't re-run on client navigation).
 */
export async function requireAdminPage(): Promise<AccessScope> {
  const scope = await requirePageScope();
  if (!scope.isAdmin || scope.via !== 'session') forbidden();
  return scope;
}

// retrieval's IngestError carries the same `code`/`status` as AppError but is a separate class (retrieval
// can't import auth): convert it so the caller sees its message and status, not a generic 500.
function toAppError(error: unknown): unknown {
  if (isAppError(error)) return error;
  if (error instanceof Error && error.name === 'IngestError' && 'code' in error) {
    return new AppError(String(error.code) as `${'bad_request'}:${string}`, error.message);
  }
  return error;
}

type AdminHandler = (context: { scope: AccessScope; requestId: string }) => Promise<Response>;

/**
 * Runs an admin route handler: 401 without a session, 403 for non-admins (roles and the admin flag
 * are read from the database on this request), CSRF check for anything but GET/HEAD, and every error
 * turned into the standard JSON error response.
 */
export function handleAdminRoute(request: Request, run: AdminHandler): Promise<Response> {
  return handleRoute(async (requestId) => {
    try {
      const scope = await requireScope();
      requireAdmin(scope);
      checkSameOrigin(request);
      return await run({ scope, requestId });
    } catch (error) {
      throw toAppError(error);
    }
  });
}

/** Validates query-string parameters with a strict schema; 400 names the first problem. */
export function parseSearchParams<T extends z.ZodType>(url: string, schema: T): z.infer<T> {
  const params = Object.fromEntries(
    [...new URL(url).searchParams.entries()].filter(([, value]) => value !== ''),
  );
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new AppError('bad_request:query', `${where}${issue.message}`);
  }
  return parsed.data;
}
