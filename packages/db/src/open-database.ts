import { setTimeout as sleep } from 'node:timers/promises';
import { checkDatabase, type DatabaseInfo } from './check-database.ts';
import type { DataDirHolder } from './data-dir-lock.ts';
import {
  DataDirBusyError,
  type EmbeddedServer,
  embeddedUrl,
  startEmbeddedServer,
} from './embedded-server.ts';
import { type DatabaseEnv, readDatabaseEnv } from './env.ts';
import { migrate } from './migrate.ts';
import { secureDataDir } from './secure-data-dir.ts';

export type OpenDatabase = {
  url: string;
  kind: 'embedded' | 'external';
  info: DatabaseInfo;
  /** True when this process started the embedded server and must stop it. */
  owned: boolean;
  close(): Promise<void>;
};

/**
 * Starts the embedded server for `dataDir` in this process when its lock is free; otherwise returns the
 * URL of the server that holds it (`npm start` or `npm run db:server`). Waits up to `waitMs` for a holder
 * that is still starting or is a CLI command serving only itself, then gives up with DataDirBusyError:
 * a data directory is never opened by two processes.
 */
async function startOrReuseEmbedded(
  dataDir: string,
  role: DataDirHolder['role'],
  waitMs: number,
  log: (line: string) => void,
): Promise<{ url: string; server?: EmbeddedServer }> {
  const deadline = Date.now() + waitMs;
  let waitingFor: number | undefined;
  for (;;) {
    try {
      const started = Date.now();
      const server = await startEmbeddedServer({ dataDir, role });
      log(`embedded database started in ${Date.now() - started} ms (${dataDir}/pg, port ${server.port})`);
      return { url: server.url, server };
    } catch (error) {
      if (!(error instanceof DataDirBusyError)) throw error;
      const holder = error.holder;
      if (holder?.role === 'server' && holder.url) {
        // The holder tells its port; the password comes from DATA_DIR, which only this user can read.
        return { url: embeddedUrl(dataDir, Number(new URL(holder.url).port)) };
      }
      if (Date.now() >= deadline) throw error;
      if (holder && waitingFor !== holder.pid) {
        waitingFor = holder.pid;
        log(
          `waiting for process ${holder.pid} to ${holder.role === 'server' ? 'finish starting' : 'release'} ${dataDir}`,
        );
      }
      await sleep(250);
    }
  }
}

/**
 * Makes the configured database reachable and migrated: DATABASE_URL when set (checked for reachability
 * and pgvector), else the embedded server for DATA_DIR, reusing the one `npm start` or `npm run db:server`
 * serves or starting it in this process when it can take the data directory's lock. Used by `npm start`
 * (role 'server': other commands may share it) and by every CLI that needs a database (role 'command').
 */
export async function openDatabase(
  options: {
    env?: DatabaseEnv;
    log?: (line: string) => void;
    migrate?: boolean;
    role?: DataDirHolder['role'];
    /** How long to wait for a data directory another process is starting or briefly using (default 30 s). */
    waitMs?: number;
  } = {},
): Promise<OpenDatabase> {
  const env = options.env ?? readDatabaseEnv();
  const log = options.log ?? (() => {});
  let url: string;
  let close = async () => {};
  let owned = false;
  secureDataDir(env.dataDir);
  if (env.databaseUrl) {
    url = env.databaseUrl;
  } else {
    const embedded = await startOrReuseEmbedded(
      env.dataDir,
      options.role ?? 'command',
      options.waitMs ?? 30_000,
      log,
    );
    url = embedded.url;
    const { server } = embedded;
    if (server) {
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
