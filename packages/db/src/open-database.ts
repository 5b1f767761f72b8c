import { checkDatabase, type DatabaseInfo } from './check-database.ts';
import { readEmbeddedServerInfo, startEmbeddedServer } from './embedded-server.ts';
import { type DatabaseEnv, readDatabaseEnv } from './env.ts';
import { migrate } from './migrate.ts';

export type OpenDatabase = {
  url: string;
  kind: 'embedded' | 'external';
  info: DatabaseInfo;
  /** True when this process started the embedded server and must stop it. */
  owned: boolean;
  close(): Promise<void>;
};

/**
 * Makes the configured database reachable and migrated: DATABASE_URL when set (checked for reachability
 * and pgvector), else the embedded server for DATA_DIR, reusing one another process already serves or
 * starting it in this process. Used by `npm start` and by every CLI that needs a database.
 */
export async function openDatabase(
  options: { env?: DatabaseEnv; log?: (line: string) => void; migrate?: boolean } = {},
): Promise<OpenDatabase> {
  const env = options.env ?? readDatabaseEnv();
  const log = options.log ?? (() => {});
  let url: string;
  let close = async () => {};
  let owned = false;
  if (env.databaseUrl) {
    url = env.databaseUrl;
  } else {
    const running = readEmbeddedServerInfo(env.dataDir);
    if (running) {
      url = running.url;
    } else {
      const started = Date.now();
      const server = await startEmbeddedServer({ dataDir: env.dataDir });
      log(`embedded database started in ${Date.now() - started} ms (${env.dataDir}/pg, port ${server.port})`);
      url = server.url;
      close = () => server.stop();
      owned = true;
    }
  }
  try {
    const info = await checkDatabase(url);
    if (options.migrate !== false) {
      const result = await migrate(url, { log });
      if (result.applied.length === 0) log('database schema is up to date');
    }
    return { url, kind: env.databaseUrl ? 'external' : 'embedded', info, owned, close };
  } catch (error) {
    await close();
    throw error;
  }
}
