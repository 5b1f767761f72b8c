import 'server-only';
import { type AccessScope, resolveScopeForUser } from '@clearance/auth';
import { getDb } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { auth } from '../auth.ts';

/**
 * The signed-in caller's access scope, or null. The session only names the user: roles, admin flag and
 * disabled state are read from the database on every request, so a revoked role stops working at once.
 */
export async function getRequestScope(): Promise<AccessScope | null> {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  return resolveScopeForUser(getDb(), userId, 'session');
}

/** The caller's scope for a session route handler or server action; 401 when signed out or disabled. */
export async function requireScope(): Promise<AccessScope> {
  const scope = await getRequestScope();
  if (!scope) throw new AppError('unauthorized:session');
  return scope;
}

/**
 * For server components of signed-in pages: the scope, or a redirect to the sign-in page. Cached per
 * request so the layout and the page share one lookup.
 */
export const requirePageScope = cache(async (): Promise<AccessScope> => {
  const scope = await getRequestScope();
  if (!scope) redirect('/');
  return scope;
});

/** The signed-in user's display details (email, name, role names) for the shell. */
export const getViewer = cache(async (scope: AccessScope) => {
  const user = await getDb().user.findUnique({
    where: { id: scope.userId },
    select: { email: true, name: true, roles: { select: { role: { select: { name: true } } } } },
  });
  return {
    email: user?.email ?? '',
    name: user?.name ?? null,
    roles: (user?.roles ?? []).map((entry) => entry.role.name).sort(),
    isAdmin: scope.isAdmin,
  };
});
