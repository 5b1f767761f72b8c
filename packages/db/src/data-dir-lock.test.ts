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
