import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
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
 * Runs PGlite with pgvector on `$dataDir/pg` and serves it over the Postgres wire protocol on 127.0.0.1, so
 * web, worker, Prisma, tests and psql connect to it like any server. Only one process may open a data
 * directory, so a second start against the same DATA_DIR fails with a clear message instead of corrupting it.
 */
export async function startEmbeddedServer(options: {
  dataDir: string;
  port?: number;
}): Promise<EmbeddedServer> {
  const { dataDir } = options;
  const running = readEmbeddedServerInfo(dataDir);
  if (running && running.pid !== process.pid) {
    throw new Error(
      `The embedded database in ${dataDir} is already served by process ${running.pid} on port ${running.port}; stop it or use another DATA_DIR.`,
    );
  }
  mkdirSync(path.join(dataDir, 'pg'), { recursive: true });
  const db = await PGlite.create({ dataDir: path.join(dataDir, 'pg'), extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const port = options.port ?? (await findFreePort());
  // Every connection shares PGlite's single backend; queries are serialised by the socket server.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 100 });
  serializeProtocolBatches(server);
  await server.start();
  const info: EmbeddedServerInfo = {
    port,
    pid: process.pid,
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(infoPath(dataDir), `${JSON.stringify(info, null, 2)}\n`);
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
    },
  };
}
