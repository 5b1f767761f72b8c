import { readEmbeddedServerInfo } from './embedded-server.ts';
import { type DatabaseEnv, readDatabaseEnv } from './env.ts';

/**
 * The URL every process connects to: DATABASE_URL when set, else the embedded server that `npm start` (or
 * `npm run db:server`) runs for DATA_DIR.
 */
export function resolveDatabaseUrl(env: DatabaseEnv = readDatabaseEnv()): string {
  if (env.databaseUrl) return env.databaseUrl;
  const embedded = readEmbeddedServerInfo(env.dataDir);
  if (!embedded) {
    throw new Error(
      `No database: DATABASE_URL is unset and no embedded database is running for DATA_DIR=${env.dataDir}. Run \`npm start\` (or \`npm run db:server\`), or set DATABASE_URL.`,
    );
  }
  return embedded.url;
}

/** Whether the configured database is the embedded PGlite server (for /api/health and tuning). */
export function isEmbeddedDatabase(env: DatabaseEnv = readDatabaseEnv()): boolean {
  return !env.databaseUrl;
}
