import type { Db, Prisma } from '@clearance/db';
import { type AccessScope, type Actor, isUuid } from './access-scope.ts';
import { AppError } from './app-error.ts';

/** The client a scoped callback receives: a Prisma interactive transaction. */
export type ScopedTx = Prisma.TransactionClient;

export type ScopeOptions = {
  /** Milliseconds before Prisma aborts the transaction (default 10 s). Keep it short on PGlite: an open
   * transaction blocks every other connection. Never hold one while a model generates. */
  timeout?: number;
};

async function runAs(
  db: Db,
  mode: 'read' | 'manage',
  roleIds: string[],
  fn: (tx: ScopedTx) => Promise<unknown>,
  options: ScopeOptions,
) {
  for (const roleId of roleIds) {
    if (!isUuid(roleId)) throw new AppError('bad_request:scope', 'Invalid role id in scope.');
  }
  const roleArray = `{${roleIds.join(',')}}`;
  return db.$transaction(
    async (tx) => {
      // Superusers and table owners without FORCE bypass RLS; the app role never does.
      await tx.$executeRaw`SET LOCAL ROLE clearance_app`;
      // set_config(..., true) is SET LOCAL with bound parameters: the values can't inject SQL.
      await tx.$queryRaw`SELECT set_config('clearance.mode', ${mode}, true), set_config('clearance.role_ids', ${roleArray}, true)`;
      return fn(tx);
    },
    { timeout: options.timeout ?? 10_000, maxWait: 10_000 },
  );
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
  return (await runAs(db, 'read', scope.roleIds, fn, options)) as T;
}

/**
 * Runs `fn` in a transaction as the application role in manage mode (sees every document): admin
 * console, admin operations and worker paths. Callers check the permission first (`requireAdmin`);
 * `actor` is taken so every manage path names who it runs for.
 */
export async function withManage<T>(
  db: Db,
  _actor: Actor | 'worker',
  fn: (tx: ScopedTx) => Promise<T>,
  options: ScopeOptions = {},
): Promise<T> {
  return (await runAs(db, 'manage', [], fn, options)) as T;
}
