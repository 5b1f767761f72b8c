import 'server-only';
import { type AccessScope, requireAdmin } from '@clearance/auth';
import { AppError } from '@clearance/errors';
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

type AdminHandler = (context: { scope: AccessScope; requestId: string }) => Promise<Response>;

/**
 * Runs an admin route handler: 401 without a session, 403 for non-admins (roles and the admin flag
 * are read from the database on this request), CSRF check for anything but GET/HEAD, and every error
 * turned into the standard JSON error response.
 */
export function handleAdminRoute(request: Request, run: AdminHandler): Promise<Response> {
  return handleRoute(async (requestId) => {
    const scope = await requireScope();
    requireAdmin(scope);
    checkSameOrigin(request);
    return await run({ scope, requestId });
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
