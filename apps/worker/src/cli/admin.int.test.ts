import { resolveApiKey, resolveScopeForUser } from '@clearance/auth';
import { createTestDb, uniqueSuffix } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runAdmin } from './admin.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdmin(
    argv,
    { db, out: (line) => out.push(line), readStdin: async () => 'from stdin pw 123\n' },
    (line) => err.push(line),
  );
  return { code, out, err: err.join('\n') };
}

describe('admin CLI', () => {
  it('bootstraps roles, users and an API key, audited as the system', async () => {
    const finance = `finance-${uniqueSuffix()}`;
    const ops = `ops-${uniqueSuffix()}`;
    const email = `cli-${uniqueSuffix()}@example.test`;
    expect((await run('role', 'create', finance, '--description', 'Money')).code).toBe(0);
    expect((await run('role', 'create', ops)).code).toBe(0);
    const created = await run(
      'user',
      'create',
      '--email',
      email,
      '--password',
      'a long password',
      '--roles',
      finance,
    );
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out[0]).toContain(`roles: ${finance}`);

    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.isAdmin).toBe(false);
    expect((await run('user', 'roles', '--email', email, '--set', `${finance},${ops}`)).out).toEqual([
      `Roles of ${email}: ${[finance, ops].sort().join(', ')}`,
    ]);
    expect((await resolveScopeForUser(db, user.id))?.roleIds).toHaveLength(2);

    const key = await run('apikey', 'create', '--email', email, '--name', 'ci');
    expect(key.code).toBe(0);
    const last = key.out.at(-1)!;
    expect(last).toMatch(/^clr_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/);
    expect((await resolveApiKey(db, last))?.userId).toBe(user.id);

    expect((await run('user', 'disable', '--email', email)).code).toBe(0);
    expect(await resolveApiKey(db, last)).toBeNull();
    expect((await run('user', 'enable', '--email', email)).code).toBe(0);
    expect(await resolveScopeForUser(db, user.id)).not.toBeNull();
    // The key died with the disable: enabling the account does not bring it back.
    expect(await resolveApiKey(db, last)).toBeNull();

    const events = await db.auditEvent.findMany({ where: { target: `user:${user.id}` } });
    expect(events.length).toBeGreaterThanOrEqual(4);
    for (const event of events) {
      expect(event.actorId).toBeNull();
      expect(event.data).toMatchObject({ via: 'cli' });
    }
  });

  it('lists and revokes API keys, with expiry', async () => {
    const email = `keys-${uniqueSuffix()}@example.test`;
    expect((await run('user', 'create', '--email', email, '--password', 'a long password')).code).toBe(0);
    const first = (await run('apikey', 'create', '--email', email, '--name', 'one')).out.at(-1)!;
    const second = await run('apikey', 'create', '--email', email, '--name', 'two', '--expires-days', '0');
    expect(second.out[0]).toContain('never expires');
    const listed = await run('apikey', 'list', '--email', email);
    expect(listed.out).toHaveLength(2);
    expect(listed.out.join('\n')).toMatch(/"one".*never used.*active, expires/);
    const id = listed.out.find((line) => line.includes('"one"'))!.split(/\s+/)[0]!;
    expect((await run('apikey', 'revoke', '--id', id)).code).toBe(0);
    expect(await resolveApiKey(db, first)).toBeNull();
    expect(await resolveApiKey(db, second.out.at(-1)!)).not.toBeNull();
    expect((await run('apikey', 'revoke', '--email', email, '--all')).out).toEqual([
      `Revoked 1 API key(s) of ${email}.`,
    ]);
    expect(await resolveApiKey(db, second.out.at(-1)!)).toBeNull();
    expect((await run('apikey', 'list')).code).toBe(0);
    expect((await run('apikey', 'create', '--email', email, '--expires-days', 'soon')).code).toBe(1);
  });

  it('creates an admin with a password from stdin', async () => {
    const email = `admin-${uniqueSuffix()}@example.test`;
    expect((await run('user', 'create', '--email', email, '--password-stdin', '--admin')).code).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).isAdmin).toBe(true);
  });

  it('fails with a clear message and exit code 1', async () => {
    const email = `x-${uniqueSuffix()}@example.test`;
    const unknownRole = await run(
      'user',
      'create',
      '--email',
      email,
      '--password',
      'a long password',
      '--roles',
      'nope-none',
    );
    expect(unknownRole).toMatchObject({ code: 1 });
    expect(unknownRole.err).toBe('error: Unknown role(s): nope-none.');
    expect(await db.user.findUnique({ where: { email } })).toBeNull();

    expect((await run('user', 'disable', '--email', 'ghost@example.test')).err).toBe(
      'error: No user with email ghost@example.test.',
    );
    const role = `dup-${uniqueSuffix()}`;
    await run('role', 'create', role);
    expect((await run('role', 'create', role)).err).toBe(`error: A role named "${role}" already exists.`);
    expect((await run('user', 'create', '--email', email, '--password', 'short')).err).toContain('password');
    const bad = await run('user', 'frobnicate');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('unknown user command');
    expect((await run('role', 'create', 'x', '--bogus')).code).toBe(1);
    expect((await run('user', 'create', '--password', 'a long password')).err).toContain(
      '--email is required',
    );
  });

  it('prints help', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out[0]).toContain('apikey create --email E');
  });
});

// What @clearance/db's test global setup provides (its declaration is outside this package's compilation).
declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: 'embedded' | 'postgres';
  }
}
