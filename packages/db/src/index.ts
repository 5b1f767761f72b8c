export { checkDatabase, type DatabaseInfo, redactUrl } from './check-database.ts';
export { createDb, type Db, getDb, isDatabaseUnavailable, poolConfig } from './client.ts';
export { isEmbeddedDatabase, resolveDatabaseUrl } from './database-url.ts';
export { ConfigError, type DatabaseEnv, readDatabaseEnv } from './env.ts';
export * from './generated/prisma/client.ts';
export { type OpenDatabase, openDatabase } from './open-database.ts';
export { findRepoRoot } from './repo-root.ts';
export { withAdvisoryLock } from './with-advisory-lock.ts';
export { type RowSecurity, type RowSecurityOptions, withRowSecurity } from './with-row-security.ts';
