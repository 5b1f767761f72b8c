import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeOidcEnv, parseAuthEnv, parseRoleMap } from './env.ts';

describe('parseRoleMap', () => {
  it('reads pairs and JSON', () => {
    expect(parseRoleMap('idp-finance=finance, idp-ops=operations')).toEqual({
      'idp-finance': 'finance',
      'idp-ops': 'operations',
    });
    expect(parseRoleMap('{"cn=finance,ou=groups":"finance"}')).toEqual({ 'cn=finance,ou=groups': 'finance' });
    expect(parseRoleMap('')).toEqual({});
    expect(parseRoleMap('finance')).toBeNull();
    expect(parseRoleMap('{"a": 1}')).toBeNull();
  });
});

describe('parseAuthEnv', () => {
  it('generates and keeps a dev secret under DATA_DIR', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'clearance-auth-'));
    const first = parseAuthEnv({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    expect(parseAuthEnv({ DATA_DIR: dataDir }).secret).toBe(first.secret);
    expect(readFileSync(path.join(dataDir, 'auth-secret'), 'utf8').trim()).toBe(first.secret);
    expect(statSync(path.join(dataDir, 'auth-secret')).mode & 0o077).toBe(0);
  });

  it('fails with one line naming the variable and the fix', () => {
    const fail = (env: Record<string, string>) => {
      try {
        parseAuthEnv(env);
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(fail({ NODE_ENV: 'production' })).toMatch(/^AUTH_SECRET is required in production.*openssl/);
    expect(fail({ AUTH_SECRET: 'short' })).toMatch(/^AUTH_SECRET must be at least 32/);
    expect(fail({ AUTH_SECRET: 'x'.repeat(32), AUTH_URL: 'localhost:3000' })).toMatch(/^AUTH_URL must be/);
    expect(fail({ AUTH_SECRET: 'x'.repeat(32), OIDC_ROLE_MAP: 'oops' })).toMatch(
      /^OIDC_ROLE_MAP must look like/,
    );
    expect(fail({ AUTH_SECRET: 'x'.repeat(32), OIDC_ISSUER: 'https://idp.example' })).toMatch(
      /^OIDC_CLIENT_ID is required/,
    );
    for (const message of [fail({ NODE_ENV: 'production' }), fail({ AUTH_SECRET: 'short' })]) {
      expect(message).not.toContain('\n');
    }
  });

  it('reads OIDC settings and secure cookies from an https AUTH_URL', () => {
    const env = parseAuthEnv({
      AUTH_SECRET: 'x'.repeat(32),
      AUTH_URL: 'https://clearance.example.com',
      OIDC_ISSUER: 'https://idp.example/realms/acme',
      OIDC_CLIENT_ID: 'clearance',
      OIDC_ROLE_MAP: 'idp-finance=finance',
    });
    expect(env.secureCookies).toBe(true);
    expect(env.oidc).toEqual({
      issuer: 'https://idp.example/realms/acme',
      clientId: 'clearance',
      clientSecret: undefined,
      groupsClaim: 'groups',
      roleMap: { 'idp-finance': 'finance' },
    });
  });

  it('describes the env an SSO test needs, which parses back', () => {
    const described = describeOidcEnv({
      issuer: 'http://localhost:4400',
      clientId: 'clearance-e2e',
      clientSecret: 'secret',
      appUrl: 'http://localhost:3000/',
      roleMap: { 'idp-finance': 'finance' },
    });
    expect(described.redirectUri).toBe('http://localhost:3000/api/auth/callback/oidc');
    const env = parseAuthEnv({ AUTH_SECRET: 'x'.repeat(32), ...described.env });
    expect(env.oidc?.roleMap).toEqual({ 'idp-finance': 'finance' });
    expect(env.secureCookies).toBe(false);
  });
});
