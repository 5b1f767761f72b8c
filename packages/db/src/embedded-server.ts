import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { type DataDirHolder, queryDataDirHolder, tryLockDataDir } from './data-dir-lock.ts';
import { loadOrCreateEmbeddedPassword, requirePassword } from './embedded-auth.ts';
import { confineChmodUnder } from './secure-data-dir.ts';
import { serializeProtocolBatches } from './serialize-protocol.ts';

/** What the embedded server records in DATA_DIR so other processes can find it. */
export type EmbeddedServerInfo = { port: number; pid: number; url: string; startedAt: string };

const INFO_FILE = 'pg.json';

function infoPath(dataDir: string) {
  return path.join(dataDir, INFO_FILE);
}

function isProcessAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running embedded server for DATA_DIR, or undefined when none is running. */
export function readEmbeddedServerInfo(dataDir: string): EmbeddedServerInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(infoPath(dataDir), 'utf8')) as EmbeddedServerInfo;
    return isProcessAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export type EmbeddedServer = EmbeddedServerInfo & { stop(): Promise<void> };

/**
 * The URL of the embedded server for `dataDir` on `port`, with the password from DATA_DIR/pg-password
 * (readable by the service's user only) unless `withPassword` is false.
 */
export function embeddedUrl(dataDir: string, port: number, withPassword = true): string {
  const password = withPassword ? encodeURIComponent(loadOrCreateEmbeddedPassword(dataDir)) : '***';
  return `postgresql://postgres:${password}@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/** Thrown when another live process holds the data directory; `holder` says who. */
export class DataDirBusyError extends Error {
  override name = 'DataDirBusyError';
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder | undefined,
  ) {
    super(
      holder
        ? `The embedded database in ${dataDir} is in use by process ${holder.pid}${holder.url ? ` (serving ${holder.url.replace(/\/\/[^@]*@/, '//')})` : holder.role === 'server' ? ' (starting)' : ' (an operator command)'}; stop it or use another DATA_DIR.`
        : `The embedded database in ${dataDir} is in use by another process; stop it or use another DATA_DIR.`,
    );
  }
}

/**
 * Runs PGlite with pgvector on `$dataDir/pg` and serves it over the Postgres wire protocol on 127.0.0.1, so
 * web, worker, Prisma, tests and psql connect to it like any server. The process first takes the data
 * directory's exclusive lock (see data-dir-lock.ts): a second start against the same DATA_DIR fails with
 * DataDirBusyError instead of corrupting it, and a crashed holder's lock is gone with it.
 */
export async function startEmbeddedServer(options: {
  dataDir: string;
  port?: number;
  /** 'server' (default) for long-lived servers other commands may share; 'command' for a CLI's own use. */
  role?: DataDirHolder['role'];
}): Promise<EmbeddedServer> {
  const { dataDir } = options;
  mkdirSync(path.join(dataDir, 'pg'), { recursive: true, mode: 0o700 });
  const lock = await tryLockDataDir(dataDir, { role: options.role ?? 'server', url: null });
  if (!lock) throw new DataDirBusyError(dataDir, await queryDataDirHolder(dataDir));
  try {
    // pg.json of a holder that died is stale: nobody may read its URL while this process starts.
    rmSync(infoPath(dataDir), { force: true });
    confineChmodUnder(path.join(dataDir, 'pg'));
    const db = await PGlite.create({ dataDir: path.join(dataDir, 'pg'), extensions: { vector } });
    await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
    const port = options.port ?? (await findFreePort());
    // Every connection shares PGlite's single backend; queries are serialised by the socket server.
    // Loopback only, and a password only the service's user can read: other local users reach the port.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 100 });
    serializeProtocolBatches(server);
    requirePassword(server, loadOrCreateEmbeddedPassword(dataDir));
    await server.start();
    const info: EmbeddedServerInfo = {
      port,
      pid: process.pid,
      url: embeddedUrl(dataDir, port),
      startedAt: new Date().toISOString(),
    };
    writeFileSync(infoPath(dataDir), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    // Any local user can ask the lock who holds it: the answer carries the port, never the password.
    lock.update({ url: embeddedUrl(dataDir, port, false) });
    let stopped = false;
    return {
      ...info,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        // Closing PGlite flushes its WAL to disk: skipping this is how an embedded data dir gets corrupted.
        await db.close();
        rmSync(infoPath(dataDir), { force: true });
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
