export { checkDatabase, type DatabaseInfo, redactUrl } from './check-database.ts';
export { createDb, type Db, getDb, isDatabaseUnavailable, PREPARED, poolConfig } from './client.ts';
export { isEmbeddedDatabase, resolveDatabaseUrl } from './database-url.ts';
export { ConfigError, type DatabaseEnv, readDatabaseEnv } from './env.ts';
export * from './generated/prisma/client.ts';
export { type OpenDatabase, openDatabase } from './open-database.ts';
export { findRepoRoot } from './repo-root.ts';
export { secureDataDir } from './secure-data-dir.ts';
export { withAdvisoryLock } from './with-advisory-lock.ts';
export {
  type RawQueryClient,
  type RowSecurity,
  type RowSecurityOptions,
  withRowSecurity,
  withRowSecurityQueries,
} from './with-row-security.ts';
