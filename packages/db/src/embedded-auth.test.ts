import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedServer, startEmbeddedServer } from './embedded-server.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'clearance-auth-'));
let server: EmbeddedServer;
beforeAll(async () => {
  server = await startEmbeddedServer({ dataDir: dir });
}, 60_000);
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('embedded database authentication', () => {
  it('admits the generated password only, on loopback', async () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    expect((await client.query('SELECT 41 + 1 AS n')).rows).toEqual([{ n: 42 }]);
    await client.end();

    // A local user who can reach the port but not read DATA_DIR: the old fixed password, or none.
    for (const password of ['postgres', '']) {
      const url = new URL(server.url);
      url.password = password;
      const intruder = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
      await expect(intruder.connect()).rejects.toThrow(/password authentication failed|password/);
      await intruder.end().catch(() => {});
    }
  });

  it('keeps the password in DATA_DIR, readable by the owner only, and out of what the lock tells', () => {
    const file = path.join(dir, 'pg-password');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(server.url).toContain(encodeURIComponent(readFileSync(file, 'utf8').trim()));
    expect(statSync(path.join(dir, 'pg.json')).mode & 0o777).toBe(0o600);
  });
});
