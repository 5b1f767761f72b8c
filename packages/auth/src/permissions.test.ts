import { AppError } from '@clearance/errors';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';
import { assertSameOrigin, requireAdmin } from './permissions.ts';

const post = (headers: Record<string, string>, url = 'http://localhost:3000/api/admin/users') =>
  new Request(url, { method: 'POST', headers });

describe('assertSameOrigin', () => {
  const app = 'http://localhost:3000';
  it('accepts the app origin and safe methods', () => {
    expect(() => assertSameOrigin(post({ origin: app }), app)).not.toThrow();
    expect(() =>
      assertSameOrigin(new Request(`${app}/x`, { headers: { origin: 'https://evil.test' } }), app),
    ).not.toThrow();
  });
  it('refuses other origins and Origin: null', () => {
    expect(() => assertSameOrigin(post({ origin: 'https://evil.test' }), app)).toThrow(AppError);
    expect(() => assertSameOrigin(post({ origin: 'null' }), app)).toThrow(/Cross-site/);
    expect(() => assertSameOrigin(post({ origin: 'http://localhost:3001' }), app)).toThrow(AppError);
  });
  it('refuses a browser cross-site request without Origin, allows non-browser clients', () => {
    expect(() => assertSameOrigin(post({ 'sec-fetch-site': 'cross-site' }), app)).toThrow(AppError);
    expect(() => assertSameOrigin(post({ 'sec-fetch-site': 'same-origin' }), app)).not.toThrow();
    expect(() => assertSameOrigin(post({}), app)).not.toThrow();
  });
  it('falls back to the Host header without AUTH_URL', () => {
    expect(() =>
      assertSameOrigin(post({ host: 'docs.internal:8080', origin: 'http://docs.internal:8080' }), null),
    ).not.toThrow();
    expect(() =>
      assertSameOrigin(post({ host: 'docs.internal:8080', origin: 'http://evil.test' }), null),
    ).toThrow();
  });
});

describe('requireAdmin', () => {
  const scope = { userId: 'u', roleIds: [], isAdmin: true, via: 'session' as const };
  it('allows session admins and the CLI only', () => {
    expect(() => requireAdmin(scope)).not.toThrow();
    expect(() => requireAdmin({ system: 'cli' })).not.toThrow();
    expect(() => requireAdmin({ ...scope, isAdmin: false })).toThrow(
      expect.objectContaining({ status: 403 }),
    );
    expect(() => requireAdmin({ ...scope, via: 'apikey' })).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => requireAdmin(null)).toThrow(expect.objectContaining({ status: 401 }));
  });
});

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'wrong')).toBe(false);
    expect(await verifyPassword(null, 'anything')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
  });
});
