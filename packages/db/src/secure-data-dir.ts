import fs, { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * DATA_DIR holds the database, uploaded documents and generated secrets: readable by the service's user
 * only. Sets a 077 umask for everything this process creates from now on, and brings what exists to
 * 700 (directories) and 600 (files), without following symbolic links (a shared models folder linked in
 * keeps its own modes).
 */
export function secureDataDir(dataDir: string): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const visit = (entry: string) => {
    const stat = lstatSync(entry, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink()) return;
    if (stat.isDirectory()) {
      if ((stat.mode & 0o777) !== 0o700) chmodSync(entry, 0o700);
      for (const name of readdirSync(entry)) visit(path.join(entry, name));
    } else if (stat.isFile() && (stat.mode & 0o077) !== 0) {
      chmodSync(entry, stat.mode & 0o700);
    }
  };
  visit(dataDir);
}

const CONFINED_KEY = Symbol.for('clearance.db.confinedChmod');

/**
 * Keeps the embedded database's files private while it runs. PGlite's file system (Emscripten's NODEFS)
 * applies PostgreSQL's file modes with explicit chmod calls, 0666 for every relation file it creates,
 * which the umask does not touch: new tables and WAL segments would be readable by every local user
 * until the next start. Chmods of paths under `directory` in this process drop group and other bits.
 */
export function confineChmodUnder(directory: string): void {
  const root = `${path.resolve(directory)}${path.sep}`;
  const registry = globalThis as { [CONFINED_KEY]?: Set<string> };
  if (!registry[CONFINED_KEY]) {
    const roots = new Set<string>();
    registry[CONFINED_KEY] = roots;
    const original = fs.chmodSync;
    const confine = (target: fs.PathLike, mode: fs.Mode) => {
      const numeric = typeof mode === 'number' ? mode : Number.parseInt(mode, 8);
      const inside = [...roots].some((prefix) => path.resolve(String(target)).startsWith(prefix));
      return inside ? numeric & ~0o077 : mode;
    };
    fs.chmodSync = (target, mode) => original(target, confine(target, mode));
  }
  registry[CONFINED_KEY].add(root);
}
