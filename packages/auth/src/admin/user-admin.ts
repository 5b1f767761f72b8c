import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { z } from 'zod';
import { type Actor, getActorId, getActorVia, isSystemActor } from '../access-scope.ts';
import { revokeUserApiKeys } from '../api-keys.ts';
import { recordAudit } from '../audit.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../passwords.ts';
import { requireAdmin } from '../permissions.ts';
import { endUserSessions } from '../sessions.ts';
import { type ScopedTx, withManage } from '../with-scope.ts';
import { isUniqueViolation, parseAdminInput, ZEmail } from './admin-input.ts';

type Op<T> = T & { db: Db; actor: Actor };

const ZPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024);

// Changing your own roles, admin flag or enabled state is refused: an admin can't grant themselves
// data clearance, and nobody locks out the last admin by accident.
function refuseSelf(actor: Actor, userId: string, what: string) {
  if (!isSystemActor(actor) && actor.userId === userId) {
    throw new AppError('forbidden:self', `You can't change your own ${what}; ask another admin.`);
  }
}

async function getUserOrThrow(tx: ScopedTx, userId: string) {
  const user = await tx.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      isAdmin: true,
      disabledAt: true,
      roles: { select: { role: { select: { name: true } } } },
    },
  });
  if (!user) throw new AppError('not_found:user');
  return user;
}

function roleNamesOf(user: { roles: { role: { name: string } }[] }) {
  return user.roles.map((row) => row.role.name).sort();
}

export const ZCreateUserInput = z.strictObject({
  email: ZEmail,
  name: z.string().trim().min(1).max(200).optional(),
  /** Omit for SSO-only users. */
  password: ZPassword.optional(),
  isAdmin: z.boolean().default(false),
  roleIds: z.array(z.uuid()).max(200).default([]),
});
export type CreateUserInput = z.input<typeof ZCreateUserInput>;

export type UserSummary = {
  id: string;
  email: string;
  name: string | null;
  isAdmin: boolean;
  disabledAt: Date | null;
  authOrigin: string;
  lastSignInAt: Date | null;
  roles: { id: string; name: string }[];
};

const USER_SUMMARY = {
  id: true,
  email: true,
  name: true,
  isAdmin: true,
  disabledAt: true,
  authOrigin: true,
  lastSignInAt: true,
  roles: { select: { role: { select: { id: true, name: true } } } },
} as const;

function toSummary(user: {
  id: string;
  email: string;
  name: string | null;
  isAdmin: boolean;
  disabledAt: Date | null;
  authOrigin: string;
  lastSignInAt: Date | null;
  roles: { role: { id: string; name: string } }[];
}): UserSummary {
  return { ...user, roles: user.roles.map((row) => row.role).sort((a, b) => a.name.localeCompare(b.name)) };
}

/** Creates a user (admin only). The password is hashed before the transaction opens. */
export async function createUser({ db, actor, ...input }: Op<CreateUserInput>): Promise<UserSummary> {
  requireAdmin(actor);
  const data = parseAdminInput(ZCreateUserInput, input, 'user');
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  try {
    return await withManage(db, async (tx) => {
      const roles = await tx.role.findMany({
        where: { id: { in: data.roleIds } },
        select: { id: true, name: true },
      });
      if (roles.length !== new Set(data.roleIds).size) throw new AppError('not_found:role', 'Unknown role.');
      const user = await tx.user.create({
        data: {
          email: data.email,
          name: data.name ?? null,
          passwordHash,
          isAdmin: data.isAdmin,
          roles: { create: roles.map((role) => ({ roleId: role.id })) },
        },
        select: USER_SUMMARY,
      });
      await recordAudit(tx, {
        actorId: getActorId(actor),
        action: 'user.create',
        target: `user:${user.id}`,
        data: {
          via: getActorVia(actor),
          after: {
            email: user.email,
            name: user.name,
            isAdmin: user.isAdmin,
            roles: roles.map((r) => r.name).sort(),
          },
        },
      });
      return toSummary(user);
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict:user', 'A user with that email already exists.');
    throw error;
  }
}

/** Disables or re-enables a user (admin only, never yourself). Disabling ends their sessions at once. */
export async function setUserDisabled({ db, actor, ...input }: Op<{ userId: string; disabled: boolean }>) {
  requireAdmin(actor);
  const { userId, disabled } = parseAdminInput(
    z.strictObject({ userId: z.uuid(), disabled: z.boolean() }),
    input,
    'user',
  );
  refuseSelf(actor, userId, 'account status');
  await withManage(db, async (tx) => {
    const user = await getUserOrThrow(tx, userId);
    if (!!user.disabledAt === disabled) return;
    const disabledAt = disabled ? new Date() : null;
    await tx.user.update({ where: { id: userId }, data: { disabledAt } });
    if (disabled) {
      await endUserSessions(tx, userId);
      // Enabling the account again must not bring its old keys back: they die with the disable.
      await revokeUserApiKeys(tx, { actor, userId, reason: 'user.disable' });
    }
    await recordAudit(tx, {
      actorId: getActorId(actor),
      action: disabled ? 'user.disable' : 'user.enable',
      target: `user:${userId}`,
      data: { via: getActorVia(actor), before: { disabledAt: user.disabledAt }, after: { disabledAt } },
    });
  });
}

/** Sets a new password (admin only) and ends the user's sessions. The password is never recorded. */
export async function resetPassword({ db, actor, ...input }: Op<{ userId: string; password: string }>) {
  requireAdmin(actor);
  const { userId, password } = parseAdminInput(
    z.strictObject({ userId: z.uuid(), password: ZPassword }),
    input,
    'user',
  );
  const passwordHash = await hashPassword(password);
  await withManage(db, async (tx) => {
    await getUserOrThrow(tx, userId);
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await endUserSessions(tx, userId);
    // A reset answers a suspected compromise: keys minted with the old password go with it.
    await revokeUserApiKeys(tx, { actor, userId, reason: 'user.password_reset' });
    await recordAudit(tx, {
      actorId: getActorId(actor),
      action: 'user.password_reset',
      target: `user:${userId}`,
      data: { via: getActorVia(actor) },
    });
  });
}

/** Replaces a user's roles (admin only, never your own). Takes effect on the user's next request. */
export async function setUserRoles({ db, actor, ...input }: Op<{ userId: string; roleIds: string[] }>) {
  requireAdmin(actor);
  const { userId, roleIds } = parseAdminInput(
    z.strictObject({ userId: z.uuid(), roleIds: z.array(z.uuid()).max(200) }),
    input,
    'user',
  );
  refuseSelf(actor, userId, 'roles');
  return withManage(db, async (tx) => {
    const user = await getUserOrThrow(tx, userId);
    const roles = await tx.role.findMany({
      where: { id: { in: roleIds } },
      select: { id: true, name: true },
    });
    if (roles.length !== new Set(roleIds).size) throw new AppError('not_found:role', 'Unknown role.');
    const before = roleNamesOf(user);
    const after = roles.map((role) => role.name).sort();
    await tx.userRole.deleteMany({ where: { userId, roleId: { notIn: roles.map((role) => role.id) } } });
    await tx.userRole.createMany({
      data: roles.map((role) => ({ userId, roleId: role.id })),
      skipDuplicates: true,
    });
    if (before.join('\n') !== after.join('\n')) {
      await recordAudit(tx, {
        actorId: getActorId(actor),
        action: 'user.roles',
        target: `user:${userId}`,
        data: { via: getActorVia(actor), before, after },
      });
    }
    return after;
  });
}

/** Grants or removes the admin permission (admin only, never your own). Admin is not data clearance. */
export async function setUserAdmin({ db, actor, ...input }: Op<{ userId: string; isAdmin: boolean }>) {
  requireAdmin(actor);
  const { userId, isAdmin } = parseAdminInput(
    z.strictObject({ userId: z.uuid(), isAdmin: z.boolean() }),
    input,
    'user',
  );
  refuseSelf(actor, userId, 'admin permission');
  await withManage(db, async (tx) => {
    const user = await getUserOrThrow(tx, userId);
    if (user.isAdmin === isAdmin) return;
    await tx.user.update({ where: { id: userId }, data: { isAdmin } });
    await recordAudit(tx, {
      actorId: getActorId(actor),
      action: 'user.admin',
      target: `user:${userId}`,
      data: { via: getActorVia(actor), before: { isAdmin: user.isAdmin }, after: { isAdmin } },
    });
  });
}

/** Adds one role to many users (admin only; the actor can't be among them). Returns how many gained it. */
export async function bulkAssignRole({ db, actor, ...input }: Op<{ roleId: string; userIds: string[] }>) {
  requireAdmin(actor);
  const { roleId, userIds } = parseAdminInput(
    z.strictObject({ roleId: z.uuid(), userIds: z.array(z.uuid()).min(1).max(1000) }),
    input,
    'user',
  );
  for (const userId of userIds) refuseSelf(actor, userId, 'roles');
  return withManage(db, async (tx) => {
    const role = await tx.role.findUnique({ where: { id: roleId }, select: { id: true, name: true } });
    if (!role) throw new AppError('not_found:role');
    const users = await tx.user.findMany({
      where: { id: { in: userIds } },
      select: { id: true, roles: { select: { role: { select: { name: true } } } } },
    });
    if (users.length !== new Set(userIds).size) throw new AppError('not_found:user');
    let added = 0;
    for (const user of users) {
      const before = roleNamesOf(user);
      if (before.includes(role.name)) continue;
      await tx.userRole.create({ data: { userId: user.id, roleId } });
      added += 1;
      await recordAudit(tx, {
        actorId: getActorId(actor),
        action: 'user.roles',
        target: `user:${user.id}`,
        data: { via: getActorVia(actor), before, after: [...before, role.name].sort(), bulk: true },
      });
    }
    return added;
  });
}

/** Users matching `query` (email or name, case-insensitive), newest first (admin only). */
export async function findUsers({
  db,
  actor,
  ...input
}: Op<{ query?: string; limit?: number; offset?: number }>): Promise<UserSummary[]> {
  requireAdmin(actor);
  const { query, limit, offset } = parseAdminInput(
    z.strictObject({
      query: z.string().trim().max(200).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).default(0),
    }),
    input,
    'user',
  );
  const users = await db.user.findMany({
    where: query
      ? {
          OR: [
            { email: { contains: query, mode: 'insensitive' } },
            { name: { contains: query, mode: 'insensitive' } },
          ],
        }
      : {},
    orderBy: { createdAt: 'desc' },
    take: limit,
    skip: offset,
    select: USER_SUMMARY,
  });
  return users.map(toSummary);
}

/** The id of the user with `email`, or not_found (for the CLI and admin forms that take emails). */
export async function getUserIdByEmail(db: Db, email: string): Promise<string> {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true },
  });
  if (!user) throw new AppError('not_found:user', `No user with email ${email}.`);
  return user.id;
}
