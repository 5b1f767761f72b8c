import { createHash } from 'node:crypto';
import { realpathSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import path from 'node:path';

/** Who holds a data directory: its pid, whether it is a long-lived server, and its database URL once serving. */
export type DataDirHolder = {
  pid: number;
  /** 'server' for `npm start` and `npm run db:server`; 'command' for a CLI run that serves only itself. */
  role: 'server' | 'command';
  url: string | null;
};

/** The exclusive lock of an embedded data directory, held until release() or the holder's death. */
export type DataDirLock = {
  /** Updates what the holder tells processes that ask (e.g. the URL once the server listens). */
  update(holder: Partial<DataDirHolder>): void;
  release(): Promise<void>;
};

/**
 * The lock's address. On Linux a socket in the abstract namespace, named after the directory's real path:
 * the kernel frees it the instant its holder dies, however it dies (SIGKILL, OOM killer), and two
 * listeners can't both bind it. Elsewhere a socket file in the directory (a stale one is detected by
 * connecting to it).
 */
function lockAddress(dataDir: string): { path: string; isFile: boolean } {
  const real = realpathSync(dataDir);
  if (process.platform === 'linux') {
    const digest = createHash('sha256').update(real).digest('hex').slice(0, 40);
    return { path: `\0clearance-data-dir-${digest}`, isFile: false };
  }
  return { path: path.join(real, '.lock.sock'), isFile: true };
}

function listen(server: Server, address: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') resolve(false);
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ path: address });
  });
}

/** Asks the lock's holder who it is; undefined when nobody holds the lock. */
export function queryDataDirHolder(dataDir: string, timeoutMs = 2_000): Promise<DataDirHolder | undefined> {
  const address = lockAddress(dataDir);
  return new Promise((resolve) => {
    const socket = connect({ path: address.path });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(text) as DataDirHolder);
      } catch {
        resolve(undefined);
      }
    });
    socket.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

/**
 * Takes the exclusive lock of an embedded data directory, or returns undefined when a live process holds
 * it (ask it who it is with queryDataDirHolder). Only the holder may open the directory with PGlite: two
 * processes writing one PostgreSQL data directory corrupt it. The lock dies with its process, so a
 * SIGKILLed holder never blocks the next start.
 */
export async function tryLockDataDir(
  dataDir: string,
  holder: Omit<DataDirHolder, 'pid'>,
): Promise<DataDirLock | undefined> {
  const address = lockAddress(dataDir);
  let current: DataDirHolder = { ...holder, pid: process.pid };
  // Every connection is answered with who holds the lock, then closed.
  const server = createServer((socket) => socket.end(JSON.stringify(current)));
  server.unref();
  let taken = await listen(server, address.path);
  if (!taken && address.isFile && !(await queryDataDirHolder(dataDir))) {
    // A socket file left by a crashed holder: nobody answers on it.
    rmSync(address.path, { force: true });
    taken = await listen(server, address.path);
  }
  if (!taken) return undefined;
  return {
    update(change) {
      current = { ...current, ...change };
    },
    release: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
