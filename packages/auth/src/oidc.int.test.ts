import { createTestDb, uniqueSuffix } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveScopeForUser } from './access-scope.ts';
import { mapGroupsToRoles, provisionOidcUser } from './oidc.ts';
import { createTestRole, createTestUser } from './test-fixtures.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

describe('mapGroupsToRoles', () => {
  const roleMap = { 'idp-finance': 'finance', 'idp-ops': 'operations', 'idp-ops-2': 'operations' };
  it('maps only listed groups, deduplicated and sorted', () => {
    expect(mapGroupsToRoles(['idp-ops', 'idp-finance', 'idp-ops-2', 'finance', 'other'], roleMap)).toEqual([
      'finance',
      'operations',
    ]);
  });
  it('accepts a string claim and ignores junk', () => {
    expect(mapGroupsToRoles('idp-finance, idp-ops', roleMap)).toEqual(['finance', 'operations']);
    expect(mapGroupsToRoles(undefined, roleMap)).toEqual([]);
    expect(mapGroupsToRoles([42, null, { a: 1 }], roleMap)).toEqual([]);
    expect(mapGroupsToRoles(['__proto__', 'constructor', 'toString'], roleMap)).toEqual([]);
  });
});

describe('provisionOidcUser', () => {
  const issuer = 'http://localhost:9999/oidc';

  it('creates the user on first sign-in and replaces roles from groups at every sign-in', async () => {
    const finance = await createTestRole(db, 'finance');
    const ops = await createTestRole(db, 'ops');
    const roleMap = {
      'g-finance': finance.name,
      'g-ops': ops.name,
      'g-missing': `missing-${uniqueSuffix()}`,
    };
    const subject = `sub-${uniqueSuffix()}`;
    const email = `SSO-${uniqueSuffix()}@Example.test`;
    const first = await provisionOidcUser(db, {
      issuer,
      subject,
      email,
      name: 'Sso User',
      groups: ['g-finance', 'g-missing'],
      roleMap,
    });
    expect(first).not.toBeNull();
    const user = await db.user.findUniqueOrThrow({ where: { id: first!.id } });
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      authOrigin: issuer,
      passwordHash: null,
      isAdmin: false,
    });
    expect((await resolveScopeForUser(db, user.id))?.roleIds).toEqual([finance.id]);

    const second = await provisionOidcUser(db, { issuer, subject, email, groups: ['g-ops'], roleMap });
    expect(second?.id).toBe(user.id);
    expect((await resolveScopeForUser(db, user.id))?.roleIds).toEqual([ops.id]);
    const change = await db.auditEvent.findFirstOrThrow({
      where: { action: 'user.roles', target: `user:${user.id}` },
      orderBy: { id: 'desc' },
    });
    expect(change.data).toMatchObject({ via: 'oidc', before: [finance.name], after: [ops.name] });

    await provisionOidcUser(db, { issuer, subject, email, groups: [], roleMap });
    expect((await resolveScopeForUser(db, user.id))?.roleIds).toEqual([]);
  });

  it('refuses disabled users and emails owned by a password account unless the IdP verified the email', async () => {
    const existing = await createTestUser(db);
    expect(
      await provisionOidcUser(db, {
        issuer,
        subject: `s-${uniqueSuffix()}`,
        email: existing.email,
        groups: [],
        roleMap: {},
      }),
    ).toBeNull();
    const linked = await provisionOidcUser(db, {
      issuer,
      subject: `s-${uniqueSuffix()}`,
      email: existing.email,
      emailVerified: true,
      groups: [],
      roleMap: {},
    });
    expect(linked?.id).toBe(existing.id);
    await db.user.update({ where: { id: existing.id }, data: { disabledAt: new Date() } });
    const subject = (await db.account.findFirstOrThrow({ where: { userId: existing.id } })).providerAccountId;
    expect(
      await provisionOidcUser(db, { issuer, subject, email: existing.email, groups: [], roleMap: {} }),
    ).toBeNull();
    expect(
      await provisionOidcUser(db, { issuer, subject: 'x', email: undefined, groups: [], roleMap: {} }),
    ).toBeNull();
  });
});
