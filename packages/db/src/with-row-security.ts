import type { Db } from './client.ts';
import { Prisma } from './generated/prisma/client.ts';

/** Who a transaction reads for: 'read' sees documents granted to `roleIds`; 'manage' sees everything. */
export type RowSecurity = { mode: 'read' | 'manage'; roleIds: readonly string[] };

export type RowSecurityOptions = {
  /** Milliseconds before the transaction is aborted (default 10 s). Keep it short on the embedded
   * database: an open transaction blocks every other connection. Never hold one while a model generates. */
  timeout?: number;
  /** Milliseconds to wait for a connection to start the transaction (default 10 s). */
  maxWait?: number;
  /**
   * More transaction-local settings (name to value), made in the same round trip as the scope, before
   * `fn`'s first statement is planned (e.g. jit off for statements the planner costs high but runs fast).
   */
  settings?: Readonly<Record<string, string>>;
};

/**
 * Runs `fn` in a transaction under the row-level-security policies of the governance migration: as the
 * application role (superusers and owners would bypass the policies) with the scope in transaction-local
 * settings. The one place those settings are written; auth's withScope/withManage and retrieval build on it.
 */
export function withRowSecurity<T>(
  db: Db,
  security: RowSecurity,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  options: RowSecurityOptions = {},
): Promise<T> {
  const roleArray = `{${security.roleIds.join(',')}}`;
  return db.$transaction(
    async (tx) => {
      // set_config(..., true) is SET LOCAL with bound parameters: the values can't inject SQL. Setting
      // 'role' is SET LOCAL ROLE (the same membership check), in the same round trip as the scope: a
      // search's statements are ~1 ms each, so every round trip saved counts (bench:retrieval).
      const settings = Object.entries(options.settings ?? {}).map(
        ([name, value]) => Prisma.sql`, set_config(${name}, ${value}, true)`,
      );
      await tx.$queryRaw`SELECT set_config('role', 'clearance_app', true), set_config('clearance.mode', ${security.mode}, true), set_config('clearance.role_ids', ${roleArray}, true)${settings.length > 0 ? Prisma.join(settings, '') : Prisma.empty}`;
      return fn(tx);
    },
    { timeout: options.timeout ?? 10_000, maxWait: options.maxWait ?? 10_000 },
  );
}
