import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
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
