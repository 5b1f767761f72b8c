import { Auth } from '@auth/core';
import { createTestDb, uniqueSuffix } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthConfig } from './auth-config.ts';
import { parseTrustedProxies } from './client-address.ts';
import { hashPassword } from './passwords.ts';
import { authorizeCredentials } from './sign-in.ts';
import { createTestUser } from './test-fixtures.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

const PASSWORD = 'correct horse battery';
const limits = { perAccount: 3, perAccountAddress: 3, perAddress: 100, windowSeconds: 60 };

async function createPasswordUser() {
  return createTestUser(db, { passwordHash: await hashPassword(PASSWORD) });
}

function address() {
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${uniqueSuffix()}`;
}

describe('authorizeCredentials', () => {
  it('signs in with the right password, answers unknown emails and wrong passwords alike, and tells the owner of a disabled account why', async () => {
    const user = await createPasswordUser();
    const clientAddress = address();
    expect(
      await authorizeCredentials(
        db,
        { email: user.email.toUpperCase(), password: PASSWORD, clientAddress },
        limits,
      ),
    ).toEqual({
      id: user.id,
      email: user.email,
      name: null,
    });
    expect(
      await authorizeCredentials(
        db,
        { email: user.email, password: 'wrong password', clientAddress },
        limits,
      ),
    ).toBeNull();
    expect(
      await authorizeCredentials(
        db,
        { email: `nobody-${uniqueSuffix()}@example.test`, password: PASSWORD, clientAddress },
        limits,
      ),
    ).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    // The right password of a disabled account is told why; a wrong one still learns nothing.
    await expect(
      authorizeCredentials(db, { email: user.email, password: PASSWORD, clientAddress }, limits),
    ).rejects.toMatchObject({ code: 'forbidden:account_disabled' });

    const events = await db.auditEvent.findMany({
      where: { target: { in: [`user:${user.id}`, `email:${user.email}`] } },
    });
    expect(events.map((event) => event.action).sort()).toEqual([
      'auth.sign_in',
      'auth.sign_in_failed',
      'auth.sign_in_failed',
    ]);
    expect(JSON.stringify(events.map((event) => event.data))).not.toContain(PASSWORD);
  });

  it('rate-limits an account after repeated failures, even with the right password', async () => {
    const user = await createPasswordUser();
    for (let i = 0; i < limits.perAccount; i++) {
      expect(
        await authorizeCredentials(
          db,
          { email: user.email, password: 'guess', clientAddress: address() },
          limits,
        ),
      ).toBeNull();
    }
    const attempt = authorizeCredentials(
      db,
      { email: user.email, password: PASSWORD, clientAddress: address() },
      limits,
    );
    await expect(attempt).rejects.toMatchObject({ code: 'rate_limited:sign_in', status: 429 });
    const error = await attempt.catch((caught) => caught);
    expect(error.retryAfter).toBeGreaterThan(0);
    expect(error.toResponse().status).toBe(429);
  });

  it('keeps the owner signing in from a known address while guesses from elsewhere are refused', async () => {
    const user = await createPasswordUser();
    const home = address();
    expect(
      await authorizeCredentials(db, { email: user.email, password: PASSWORD, clientAddress: home }, limits),
    ).not.toBeNull();
    for (let i = 0; i < limits.perAccount + 2; i++) {
      await authorizeCredentials(
        db,
        { email: user.email, password: 'guess', clientAddress: address() },
        limits,
      ).catch(() => null);
    }
    await expect(
      authorizeCredentials(db, { email: user.email, password: PASSWORD, clientAddress: address() }, limits),
    ).rejects.toMatchObject({ status: 429 });
    expect(
      await authorizeCredentials(db, { email: user.email, password: PASSWORD, clientAddress: home }, limits),
    ).not.toBeNull();
  });

  it('audits failed sign-ins in aggregate, not one row per attempt', async () => {
    const user = await createPasswordUser();
    const clientAddress = address();
    const wide = { perAccount: 100, perAccountAddress: 100, perAddress: 100, windowSeconds: 60 };
    for (let i = 0; i < 20; i++) {
      await authorizeCredentials(db, { email: user.email, password: `guess-${i}`, clientAddress }, wide);
    }
    const rows = await db.auditEvent.findMany({
      where: { action: 'auth.sign_in_failed', target: `email:${user.email}` },
      orderBy: { id: 'asc' },
    });
    // Counts 1, 2, 4, 8, 16.
    expect(rows.map((row) => (row.data as { accountFailures: number }).accountFailures)).toEqual([
      1, 2, 4, 8, 16,
    ]);
  });

  it('rate-limits a client address spraying many accounts', async () => {
    const clientAddress = address();
    const tight = { perAccount: 100, perAccountAddress: 100, perAddress: 2, windowSeconds: 60 };
    for (let i = 0; i < 2; i++) {
      await authorizeCredentials(
        db,
        { email: `spray-${uniqueSuffix()}@example.test`, password: 'x', clientAddress },
        tight,
      );
    }
    const user = await createPasswordUser();
    await expect(
      authorizeCredentials(db, { email: user.email, password: PASSWORD, clientAddress }, tight),
    ).rejects.toMatchObject({
      status: 429,
    });
    expect(
      await authorizeCredentials(
        db,
        { email: user.email, password: PASSWORD, clientAddress: address() },
        tight,
      ),
    ).not.toBeNull();
  });

  it('rejects absurd input without hashing it', async () => {
    expect(
      await authorizeCredentials(db, { email: 'a@example.test', password: 'x'.repeat(5000) }, limits),
    ).toBeNull();
    expect(await authorizeCredentials(db, { email: 42, password: undefined }, limits)).toBeNull();
  });
});

// The whole Auth.js flow through @auth/core, as next-auth runs it, without Next.js.
describe('Auth.js credentials sign-in with server-side sessions', () => {
  const config = createAuthConfig({
    db,
    env: {
      secret: 'x'.repeat(40),
      authUrl: 'http://localhost:3000',
      secureCookies: false,
      oidc: undefined,
      trustedProxies: parseTrustedProxies('')!,
    },
    limits,
    // Expected failures are logged by Auth.js; keep the test output readable.
    overrides: { basePath: '/api/auth', logger: { error: () => {} } },
  });
  const base = 'http://localhost:3000/api/auth';

  function cookiesOf(response: Response, jar: Map<string, string>) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const value = pair!.slice(index + 1);
      if (value) jar.set(pair!.slice(0, index), value);
      else jar.delete(pair!.slice(0, index));
    }
    return jar;
  }
  const header = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

  async function csrf(jar: Map<string, string>) {
    const response = await Auth(new Request(`${base}/csrf`, { headers: { cookie: header(jar) } }), config);
    cookiesOf(response, jar);
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  }

  async function post(path: string, jar: Map<string, string>, fields: Record<string, string>) {
    const csrfToken = await csrf(jar);
    const response = await Auth(
      new Request(`${base}/${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: header(jar),
          'x-forwarded-for': address(),
        },
        body: new URLSearchParams({ ...fields, csrfToken }),
      }),
      config,
    );
    return { response, jar: cookiesOf(response, jar) };
  }

  async function session(jar: Map<string, string>) {
    const response = await Auth(new Request(`${base}/session`, { headers: { cookie: header(jar) } }), config);
    return ((await response.json()) as { user?: { id: string } } | null)?.user ?? null;
  }

  it('signs in, rotates the cookie, and kills a replayed cookie after sign-out', async () => {
    const user = await createPasswordUser();
    const { response, jar } = await post('callback/credentials', new Map(), {
      email: user.email,
      password: PASSWORD,
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).not.toContain('error');
    const cookie = jar.get('authjs.session-token');
    expect(cookie).toBeTruthy();
    expect((await session(jar))?.id).toBe(user.id);
    const rows = await db.session.count({ where: { userId: user.id } });
    expect(rows).toBe(1);

    // Signing in again issues a different session (and cookie).
    const again = await post('callback/credentials', new Map(), { email: user.email, password: PASSWORD });
    expect(again.jar.get('authjs.session-token')).not.toBe(cookie);

    const replay = new Map(jar);
    await post('signout', jar, {});
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    expect(await session(replay)).toBeNull();
    expect((await session(again.jar))?.id).toBe(user.id);
    expect(await db.auditEvent.count({ where: { action: 'auth.sign_out', actorId: user.id } })).toBe(1);
  });

  it('a disabled user loses the session on the next request', async () => {
    const user = await createPasswordUser();
    const { jar } = await post('callback/credentials', new Map(), { email: user.email, password: PASSWORD });
    expect((await session(jar))?.id).toBe(user.id);
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await session(jar)).toBeNull();
  });

  it('answers a wrong password with the generic error code and throttling with rate_limited', async () => {
    const user = await createPasswordUser();
    const wrong = await post('callback/credentials', new Map(), { email: user.email, password: 'nope' });
    expect(wrong.response.headers.get('location')).toContain('code=invalid_credentials');
    const unknown = await post('callback/credentials', new Map(), {
      email: `x-${uniqueSuffix()}@example.test`,
      password: 'nope',
    });
    expect(unknown.response.headers.get('location')).toContain('code=invalid_credentials');
    for (let i = 0; i < limits.perAccount; i++) {
      await post('callback/credentials', new Map(), { email: user.email, password: 'nope' });
    }
    const limited = await post('callback/credentials', new Map(), { email: user.email, password: PASSWORD });
    expect(limited.response.headers.get('location')).toContain('code=rate_limited');
    expect(limited.jar.get('authjs.session-token')).toBeUndefined();
  });
});
