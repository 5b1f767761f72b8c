import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** A file to import, or a path passed over with the reason. */
export type CollectedFile = { path: string; bytes: number; named: boolean } | { path: string; skip: string };

/**
 * Expands files and folders (recursively, in name order) into the files to import. Hidden entries
 * (.git, .DS_Store) and files over `maxBytes` are passed over with a reason; a folder reached twice
 * through symbolic links is read once. `named` marks files given on the command line themselves.
 */
export async function collectFiles(inputs: string[], maxBytes: number): Promise<CollectedFile[]> {
  const out: CollectedFile[] = [];
  const seenDirs = new Set<string>();
  const visit = async (file: string, named: boolean): Promise<void> => {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch (error) {
      out.push({
        path: file,
        skip: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : String(error),
      });
      return;
    }
    if (info.isDirectory()) {
      const real = await realpath(file);
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
      const entries = (await readdir(file)).sort();
      for (const entry of entries) {
        if (entry.startsWith('.')) {
          out.push({ path: path.join(file, entry), skip: 'hidden' });
          continue;
        }
        await visit(path.join(file, entry), false);
      }
      return;
    }
    if (!info.isFile()) return void out.push({ path: file, skip: 'not a regular file' });
    if (info.size > maxBytes)
      return void out.push({ path: file, skip: `larger than UPLOAD_MAX_BYTES (${maxBytes} bytes)` });
    out.push({ path: file, bytes: info.size, named });
  };
  for (const input of inputs) await visit(input, true);
  return out;
}
