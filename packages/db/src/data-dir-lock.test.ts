import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDataDirHolder, tryLockDataDir } from './data-dir-lock.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'clearance-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('data directory lock', () => {
  it('is exclusive and tells others who holds it', async () => {
    const lock = await tryLockDataDir(dir, { role: 'server', url: null });
    expect(lock).toBeDefined();
    expect(await tryLockDataDir(dir, { role: 'command', url: null })).toBeUndefined();
    lock!.update({ url: 'postgresql://127.0.0.1:1/x' });
    expect(await queryDataDirHolder(dir)).toEqual({
      pid: process.pid,
      role: 'server',
      url: 'postgresql://127.0.0.1:1/x',
    });
    await lock!.release();
    expect(await queryDataDirHolder(dir)).toBeUndefined();
    const again = await tryLockDataDir(dir, { role: 'command', url: null });
    expect(again).toBeDefined();
    await again!.release();
  });

  it('is released the moment its holder is SIGKILLed', async () => {
    const script = `import { tryLockDataDir } from ${JSON.stringify(path.join(import.meta.dirname, 'data-dir-lock.ts'))};
      const lock = await tryLockDataDir(${JSON.stringify(dir)}, { role: 'server', url: null });
      console.log(lock ? 'locked' : 'busy');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const first = await new Promise<string>((resolve) =>
      child.stdout.once('data', (d) => resolve(String(d))),
    );
    expect(first.trim()).toBe('locked');
    expect((await queryDataDirHolder(dir))?.pid).toBe(child.pid);
    expect(await tryLockDataDir(dir, { role: 'command', url: null })).toBeUndefined();
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const lock = await tryLockDataDir(dir, { role: 'command', url: null });
    expect(lock).toBeDefined();
    await lock!.release();
  }, 30_000);
});

describe('secureDataDir', () => {
  it('makes existing files 600 and folders 700, and new ones so too', async () => {
    const { chmodSync, mkdirSync, statSync, writeFileSync } = await import('node:fs');
    const { secureDataDir } = await import('./secure-data-dir.ts');
    const data = path.join(dir, 'secure');
    mkdirSync(path.join(data, 'blobs', 'ab'), { recursive: true, mode: 0o755 });
    writeFileSync(path.join(data, 'blobs', 'ab', 'file'), 'secret', { mode: 0o644 });
    chmodSync(path.join(data, 'blobs'), 0o755);
    const previous = process.umask();
    try {
      secureDataDir(data);
      expect(statSync(path.join(data, 'blobs')).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(data, 'blobs', 'ab', 'file')).mode & 0o777).toBe(0o600);
      writeFileSync(path.join(data, 'new'), 'x');
      expect(statSync(path.join(data, 'new')).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });
});

describe('openDatabase on a data directory another process holds', () => {
  it('refuses in one line naming the holder instead of opening it a second time', async () => {
    const { openDatabase } = await import('./open-database.ts');
    const data = path.join(dir, 'held');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(data, { recursive: true });
    // A CLI command that started the database for itself (it serves nobody else).
    const lock = await tryLockDataDir(data, { role: 'command', url: null });
    const previous = process.umask();
    try {
      await expect(
        openDatabase({ env: { databaseUrl: undefined, dataDir: data }, waitMs: 300 }),
      ).rejects.toThrow(
        new RegExp(
          `^The embedded database in .* is in use by process ${process.pid} \\(an operator command\\); stop it or use another DATA_DIR\\.$`,
        ),
      );
    } finally {
      process.umask(previous);
      await lock!.release();
    }
  });
});
