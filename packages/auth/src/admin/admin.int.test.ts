import { createTestDb, uniqueSuffix } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, resolveScopeForUser } from '../access-scope.ts';
import { createApiKey, resolveApiKey } from '../api-keys.ts';
import { createTestDocument, createTestRole, createTestUser, scopeOf } from '../test-fixtures.ts';
import { withScope } from '../with-scope.ts';
import { setDocumentGrants } from './document-grants.ts';
import { createRole, deleteRole, describeRoleDeletionImpact, findRoles, renameRole } from './role-admin.ts';
import {
  bulkAssignRole,
  createUser,
  findUsers,
  resetPassword,
  setUserAdmin,
  setUserDisabled,
  setUserRoles,
} from './user-admin.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

async function createAdmin() {
  const admin = await createTestUser(db, { isAdmin: true });
  return scopeOf(admin);
}

describe('admin operations', () => {
  it('refuse non-admin actors, admins via API key, and anonymous callers', async () => {
    const role = await createTestRole(db);
    const member = await createTestUser(db);
    const employee = scopeOf(await createTestUser(db, { roleIds: [role.id] }), [role.id]);
    const adminViaKey = { ...(await createAdmin()), via: 'apikey' as const };
    const { document } = await createTestDocument(db, [role.id]);
    const attempts = (actor: typeof employee) => [
      createRole({ db, actor, name: `r-${uniqueSuffix()}` }),
      renameRole({ db, actor, roleId: role.id, name: `r-${uniqueSuffix()}` }),
      deleteRole({ db, actor, roleId: role.id }),
      describeRoleDeletionImpact({ db, actor, roleId: role.id }),
      findRoles({ db, actor }),
      createUser({ db, actor, email: `${uniqueSuffix()}@example.test` }),
      setUserDisabled({ db, actor, userId: member.id, disabled: true }),
      resetPassword({ db, actor, userId: member.id, password: 'a-new-password' }),
      setUserRoles({ db, actor, userId: member.id, roleIds: [role.id] }),
      setUserAdmin({ db, actor, userId: member.id, isAdmin: true }),
      bulkAssignRole({ db, actor, roleId: role.id, userIds: [member.id] }),
      setDocumentGrants({ db, actor, documentId: document.id, roleIds: [] }),
      findUsers({ db, actor }),
    ];
    for (const actor of [employee, adminViaKey]) {
      for (const attempt of attempts(actor)) await expect(attempt).rejects.toMatchObject({ status: 403 });
    }
    await expect(findRoles({ db, actor: undefined as never })).rejects.toMatchObject({ status: 401 });
    // Nothing changed.
    expect(await db.role.findUnique({ where: { id: role.id } })).not.toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).isAdmin).toBe(false);
  });

  it('a user can never change their own roles, admin flag or status', async () => {
    const role = await createTestRole(db);
    const admin = await createAdmin();
    await expect(
      setUserRoles({ db, actor: admin, userId: admin.userId, roleIds: [role.id] }),
    ).rejects.toMatchObject({
      code: 'forbidden:self',
    });
    await expect(
      bulkAssignRole({ db, actor: admin, roleId: role.id, userIds: [admin.userId] }),
    ).rejects.toMatchObject({
      code: 'forbidden:self',
    });
    await expect(
      setUserAdmin({ db, actor: admin, userId: admin.userId, isAdmin: false }),
    ).rejects.toMatchObject({
      code: 'forbidden:self',
    });
    await expect(
      setUserDisabled({ db, actor: admin, userId: admin.userId, disabled: true }),
    ).rejects.toMatchObject({
      code: 'forbidden:self',
    });
    expect((await resolveScopeForUser(db, admin.userId))?.roleIds).toEqual([]);
  });

  it('rejects unknown keys (mass assignment) instead of applying them', async () => {
    const admin = await createAdmin();
    const target = await createTestUser(db);
    const smuggled = { db, actor: admin, userId: target.id, roleIds: [], isAdmin: true } as never;
    await expect(setUserRoles(smuggled)).rejects.toMatchObject({ status: 400 });
    await expect(
      createRole({ db, actor: admin, name: `r-${uniqueSuffix()}`, id: crypto.randomUUID() } as never),
    ).rejects.toMatchObject({ status: 400 });
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).isAdmin).toBe(false);
  });

  it('manage users and roles with before/after audit events; changes apply on the next request', async () => {
    const admin = await createAdmin();
    const finance = await createRole({
      db,
      actor: admin,
      name: `finance-${uniqueSuffix()}`,
      description: 'Money',
    });
    await expect(createRole({ db, actor: admin, name: finance.name })).rejects.toMatchObject({ status: 409 });
    const user = await createUser({
      db,
      actor: admin,
      email: `Mixed-${uniqueSuffix()}@Example.test`,
      password: 'correct horse battery',
      roleIds: [finance.id],
    });
    expect(user.email).toBe(user.email.toLowerCase());
    const key = await createApiKey(db, { actor: admin, userId: user.id });
    expect((await resolveApiKey(db, key.key))?.roleIds).toEqual([finance.id]);

    await setUserRoles({ db, actor: admin, userId: user.id, roleIds: [] });
    expect((await resolveScopeForUser(db, user.id))?.roleIds).toEqual([]);
    expect((await resolveApiKey(db, key.key))?.roleIds).toEqual([]);
    const rolesEvent = await db.auditEvent.findFirstOrThrow({
      where: { action: 'user.roles', target: `user:${user.id}` },
      orderBy: { id: 'desc' },
    });
    expect(rolesEvent.actorId).toBe(admin.userId);
    expect(rolesEvent.data).toMatchObject({ before: [finance.name], after: [] });

    await setUserDisabled({ db, actor: admin, userId: user.id, disabled: true });
    expect(await resolveScopeForUser(db, user.id)).toBeNull();
    expect(await resolveApiKey(db, key.key)).toBeNull();
    await setUserDisabled({ db, actor: admin, userId: user.id, disabled: false });
    expect(await resolveScopeForUser(db, user.id)).not.toBeNull();

    await bulkAssignRole({ db, actor: admin, roleId: finance.id, userIds: [user.id] });
    await renameRole({ db, actor: admin, roleId: finance.id, name: `${finance.name}-renamed` });
    const listed = await findUsers({ db, actor: admin, query: user.email });
    expect(listed[0]?.roles.map((role) => role.name)).toEqual([`${finance.name}-renamed`]);
    const actions = (
      await db.auditEvent.findMany({ where: { actorId: admin.userId }, orderBy: { id: 'asc' } })
    ).map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'role.create',
        'user.create',
        'user.roles',
        'user.disable',
        'user.enable',
        'role.rename',
      ]),
    );
    const created = await db.auditEvent.findFirstOrThrow({
      where: { action: 'user.create', target: `user:${user.id}` },
    });
    expect(JSON.stringify(created.data)).not.toContain('correct horse');
  });

  it('sets document grants and describes what deleting a role takes away', async () => {
    const admin = await createAdmin();
    const finance = await createTestRole(db, 'finance');
    const audit = await createTestRole(db, 'audit');
    const onlyFinance = await createTestDocument(db, [finance.id]);
    const shared = await createTestDocument(db, [finance.id, audit.id]);
    const reader = await createTestUser(db, { roleIds: [finance.id, audit.id] });
    const impact = await describeRoleDeletionImpact({ db, actor: admin, roleId: finance.id });
    expect(impact.users).toEqual([{ id: reader.id, email: reader.email, documentsLost: 1 }]);
    expect(impact.documents).toEqual(
      expect.arrayContaining([
        { id: onlyFinance.document.id, title: onlyFinance.document.title, orphaned: true },
        { id: shared.document.id, title: shared.document.title, orphaned: false },
      ]),
    );

    await setDocumentGrants({ db, actor: admin, documentId: onlyFinance.document.id, roleIds: [audit.id] });
    const visible = await withScope(db, scopeOf(reader, [audit.id]), (tx) =>
      tx.document.findMany({ select: { id: true } }),
    );
    expect(visible.map((doc) => doc.id).sort()).toEqual([onlyFinance.document.id, shared.document.id].sort());
    const grantsEvent = await db.auditEvent.findFirstOrThrow({
      where: { action: 'document.grants', target: `document:${onlyFinance.document.id}` },
    });
    expect(grantsEvent.data).toMatchObject({ before: [finance.name], after: [audit.name] });

    await deleteRole({ db, actor: CLI_ACTOR, roleId: finance.id });
    expect(await db.role.findUnique({ where: { id: finance.id } })).toBeNull();
    const deleted = await db.auditEvent.findFirstOrThrow({
      where: { action: 'role.delete', target: `role:${finance.id}` },
    });
    expect(deleted.actorId).toBeNull();
    expect(deleted.data).toMatchObject({ via: 'cli', before: { name: finance.name, userIds: [reader.id] } });
  });
});
