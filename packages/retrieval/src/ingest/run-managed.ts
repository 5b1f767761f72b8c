import { type Db, type Prisma, type RowSecurityOptions, withRowSecurity } from '@clearance/db';

/**
 * Runs `fn` in a transaction in manage mode (sees every document): ingestion writes documents whatever
 * their grants. The governance migration FORCEs row-level security, so without it these tables look
 * empty. Callers (admin routes, CLI, worker) have already checked the permission.
 */
export function runManaged<T>(
  db: Db,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  options: RowSecurityOptions = {},
): Promise<T> {
  return withRowSecurity(db, { mode: 'manage', roleIds: [] }, fn, options);
}
