import type { Db, Prisma } from '@clearance/db';

/**
 * Runs `fn` in a transaction as the application role in manage mode, like @clearance/auth's withManage
 * (which retrieval cannot import: packages only import downwards). Ingestion sees and writes every
 * document; callers (admin routes, CLI, worker) have already checked the permission.
 */
export async function runManaged<T>(
  db: Db,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  options: { timeout?: number; maxWait?: number } = {},
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      // The governance migration FORCEs row-level security: without manage mode these tables look empty.
      await tx.$executeRaw`SET LOCAL ROLE clearance_app`;
      await tx.$queryRaw`SELECT set_config('clearance.mode', 'manage', true)`;
      return fn(tx);
    },
    { timeout: options.timeout ?? 10_000, maxWait: options.maxWait ?? 10_000 },
  );
}
