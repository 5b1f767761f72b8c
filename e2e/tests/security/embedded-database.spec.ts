// The embedded database of the app under test (its DATA_DIR) is no open door for other local processes:
// PostgreSQL admits only the generated password, on loopback only; every file and folder the app keeps
// is its owner's alone; and a second process can never open the same database files. Each check has a
// control showing the legitimate path still works.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DATA_DIR, REPO_ROOT } from '../../fixtures/environment.ts';
import { expect, test } from '../../fixtures/test.ts';

/** The running embedded server's port, as the app publishes it for its own CLI. */
function embeddedPort(): number {
  const info = JSON.parse(readFileSync(path.join(DATA_DIR, 'pg.json'), 'utf8')) as { port: number };
  return info.port;
}

async function connects(host: string, password: string): Promise<true | string> {
  const client = new pg.Client({
    host,
    port: embeddedPort(),
    user: 'postgres',
    password,
    database: 'postgres',
    connectionTimeoutMillis: 5_000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads a test's fixtures from this pattern.
test('the embedded database admits only its generated password, and only on loopback', async ({}) => {
  const password = readFileSync(path.join(DATA_DIR, 'pg-password'), 'utf8').trim();
  // Control: the app's own credentials work.
  expect(await connects('127.0.0.1', password)).toBe(true);
  // PGlite's default password, an empty one and a near miss are refused.
  for (const guess of ['postgres', '', `${password}x`]) {
    expect(await connects('127.0.0.1', guess)).toMatch(/password|authentication/i);
  }
  // Another address of this machine does not reach the database at all.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal);
  test.skip(!external, 'this machine has no non-loopback IPv4 address to try');
  expect(await connects(external!.address, password)).not.toBe(true);
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads a test's fixtures from this pattern.
test('every file and folder of the data directory is readable by its owner only', async ({}) => {
  const open: string[] = [];
  let files = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink() || entry.isSocket()) continue;
      const mode = statSync(full).mode & 0o777;
      if (mode & 0o077) open.push(`${path.relative(DATA_DIR, full)} ${mode.toString(8)}`);
      if (entry.isDirectory()) walk(full);
      else files++;
    }
  };
  if (statSync(DATA_DIR).mode & 0o077) open.push(`. ${(statSync(DATA_DIR).mode & 0o777).toString(8)}`);
  walk(DATA_DIR);
  // Control: the walk saw the database, the password and the uploaded originals.
  expect(files).toBeGreaterThan(100);
  expect(readdirSync(DATA_DIR)).toEqual(expect.arrayContaining(['pg', 'pg-password', 'blobs']));
  expect(open).toEqual([]);
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads a test's fixtures from this pattern.
test('a second process cannot open the same database files: it refuses in one line naming the holder', async ({}) => {
  const second = spawn(process.execPath, ['--import', 'tsx', 'packages/db/src/cli/embedded-server.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  second.stdout.on('data', (data: Buffer) => {
    output += data.toString();
  });
  second.stderr.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      second.kill('SIGKILL');
      resolve(null);
    }, 60_000);
    second.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  expect(code, output).not.toBe(0);
  expect(code, output).not.toBeNull();
  expect(output).toMatch(/in use by process \d+/);
  // Control: the app that holds the lock still answers.
  expect(await connects('127.0.0.1', readFileSync(path.join(DATA_DIR, 'pg-password'), 'utf8').trim())).toBe(
    true,
  );
});
