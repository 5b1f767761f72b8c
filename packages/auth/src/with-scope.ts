import { type Db, type Prisma, type RowSecurityOptions, withRowSecurity } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { type AccessScope, isUuid } from './access-scope.ts';

/** The client a scoped callback receives: a Prisma interactive transaction. */
export type ScopedTx = Prisma.TransactionClient;

export type ScopeOptions = RowSecurityOptions;

function runAs<T>(
  db: Db,
  mode: 'read' | 'manage',
  roleIds: string[],
  fn: (tx: ScopedTx) => Promise<T>,
  options: ScopeOptions,
) {
  // Role ids come from the database, but a malformed one must fail loudly, not widen or empty the scope.
  for (const roleId of roleIds) {
    if (!isUuid(roleId)) throw new AppError('bad_request:scope', 'Invalid role id in scope.');
  }
  return withRowSecurity(db, { mode, roleIds }, fn, options);
}

/**
 * Runs `fn` in a transaction under row-level security for a reader: only documents granted to one of
 * the scope's roles (and not deleted), with their versions, chunks, embeddings and citations, are
 * visible. Every chat, search and /api/v1 read goes through this, on top of its own WHERE filters.
 */
export async function withScope<T>(
  db: Db,
  scope: AccessScope,
  fn: (tx: ScopedTx) => Promise<T>,
  options: ScopeOptions = {},
): Promise<T> {
  return runAs(db, 'read', scope.roleIds, fn, options);
}

/**
 * Runs `fn` in a transaction as the application role in manage mode (sees every document): admin
 * console, admin operations and worker paths. Callers check the permission first (`requireAdmin`).
 */
export async function withManage<T>(
  db: Db,
  fn: (tx: ScopedTx) => Promise<T>,
  options: ScopeOptions = {},
): Promise<T> {
  return runAs(db, 'manage', [], fn, options);
}
