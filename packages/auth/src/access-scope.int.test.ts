import { createTestDb } from '@clearance/db/testing';
import { AppError } from '@clearance/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, resolveScopeForUser } from './access-scope.ts';
import { createApiKey, resolveApiKey, revokeApiKey } from './api-keys.ts';
import { createTestRole, createTestUser, scopeOf } from './test-fixtures.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

describe('resolveScopeForUser', () => {
  it('reflects role revocation and disabling on the next call', async () => {
    const role = await createTestRole(db);
    const user = await createTestUser(db, { roleIds: [role.id] });
    expect(await resolveScopeForUser(db, user.id)).toEqual({
      userId: user.id,
      roleIds: [role.id],
      isAdmin: false,
      via: 'session',
    });
    await db.userRole.delete({ where: { userId_roleId: { userId: user.id, roleId: role.id } } });
    expect((await resolveScopeForUser(db, user.id))?.roleIds).toEqual([]);
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await resolveScopeForUser(db, user.id)).toBeNull();
  });

  it('returns null for unknown and malformed ids', async () => {
    expect(await resolveScopeForUser(db, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await resolveScopeForUser(db, "' OR 1=1 --")).toBeNull();
  });
});

describe('API keys', () => {
  it('resolve to the owner scope, follow role changes, and die with revocation or a disabled owner', async () => {
    const role = await createTestRole(db);
    const user = await createTestUser(db, { roleIds: [role.id] });
    const created = await createApiKey(db, { actor: scopeOf(user, [role.id]), userId: user.id, name: 'cli' });
    expect(created.key).toMatch(/^clr_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$/);
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.hash).not.toContain(created.key.slice(13));

    const scope = await resolveApiKey(db, `Bearer ${created.key}`);
    expect(scope).toEqual({ userId: user.id, roleIds: [role.id], isAdmin: false, via: 'apikey' });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).not.toBeNull();

    await db.userRole.deleteMany({ where: { userId: user.id } });
    expect((await resolveApiKey(db, created.key))?.roleIds).toEqual([]);

    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await resolveApiKey(db, created.key)).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { disabledAt: null } });
    expect(await resolveApiKey(db, created.key)).not.toBeNull();

    await revokeApiKey(db, { actor: scopeOf(user), keyId: created.id });
    expect(await resolveApiKey(db, created.key)).toBeNull();
  });

  it('rejects malformed and unknown keys', async () => {
    expect(await resolveApiKey(db, 'Bearer nope')).toBeNull();
    expect(await resolveApiKey(db, `clr_00000000_${'a'.repeat(32)}`)).toBeNull();
    expect(await resolveApiKey(db, undefined)).toBeNull();
  });

  it("another user's key by id is not_found, for revocation as for anything else", async () => {
    const owner = await createTestUser(db);
    const stranger = await createTestUser(db);
    const created = await createApiKey(db, { actor: CLI_ACTOR, userId: owner.id });
    const attempt = revokeApiKey(db, { actor: scopeOf(stranger), keyId: created.id });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'not_found:apikey', status: 404 });
    expect(await resolveApiKey(db, created.key)).not.toBeNull();
    await expect(createApiKey(db, { actor: scopeOf(stranger), userId: owner.id })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('a key cannot mint another key', async () => {
    const user = await createTestUser(db);
    await expect(
      createApiKey(db, { actor: { ...scopeOf(user), via: 'apikey' }, userId: user.id }),
    ).rejects.toMatchObject({ code: 'forbidden:apikey' });
  });
});
