import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { z } from 'zod';
import { type Actor, getActorId, getActorVia } from '../access-scope.ts';
import { recordAudit } from '../audit.ts';
import { requireAdmin } from '../permissions.ts';
import { withManage } from '../with-scope.ts';
import { isUniqueViolation, parseAdminInput, ZRoleName } from './admin-input.ts';

type Op<T> = T & { db: Db; actor: Actor };

export type RoleSummary = {
  id: string;
  name: string;
  description: string | null;
  userCount: number;
  documentCount: number;
};

export const ZCreateRoleInput = z.strictObject({
  name: ZRoleName,
  description: z.string().trim().max(500).optional(),
});
export type CreateRoleInput = z.input<typeof ZCreateRoleInput>;

/** Creates a data role (admin only). Role names are unique. */
export async function createRole({ db, actor, ...input }: Op<CreateRoleInput>) {
  requireAdmin(actor);
  const { name, description } = parseAdminInput(ZCreateRoleInput, input, 'role');
  try {
    return await withManage(db, async (tx) => {
      const role = await tx.role.create({ data: { name, description: description ?? null } });
      await recordAudit(tx, {
        actorId: getActorId(actor),
        action: 'role.create',
        target: `role:${role.id}`,
        data: { via: getActorVia(actor), after: { name, description: role.description } },
      });
      return { id: role.id, name: role.name, description: role.description };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict:role', `A role named "${name}" already exists.`);
    throw error;
  }
}

/** Renames a role (admin only). Grants and members follow the id, so access does not change. */
export async function renameRole({ db, actor, ...input }: Op<{ roleId: string; name: string }>) {
  requireAdmin(actor);
  const { roleId, name } = parseAdminInput(
    z.strictObject({ roleId: z.uuid(), name: ZRoleName }),
    input,
    'role',
  );
  try {
    await withManage(db, async (tx) => {
      const role = await tx.role.findUnique({ where: { id: roleId } });
      if (!role) throw new AppError('not_found:role');
      if (role.name === name) return;
      await tx.role.update({ where: { id: roleId }, data: { name } });
      await recordAudit(tx, {
        actorId: getActorId(actor),
        action: 'role.rename',
        target: `role:${roleId}`,
        data: { via: getActorVia(actor), before: { name: role.name }, after: { name } },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('conflict:role', `A role named "${name}" already exists.`);
    throw error;
  }
}

export type RoleDeletionImpact = {
  role: { id: string; name: string };
  /** Users who hold the role, with how many documents each can no longer read. */
  users: { id: string; email: string; documentsLost: number }[];
  /** Documents granted to this role; `orphaned` ones are granted to no other role and become unreadable. */
  documents: { id: string; title: string; orphaned: boolean }[];
};

/** What deleting a role would take away, to show before confirming (admin only). */
export async function describeRoleDeletionImpact({
  db,
  actor,
  ...input
}: Op<{ roleId: string }>): Promise<RoleDeletionImpact> {
  requireAdmin(actor);
  const { roleId } = parseAdminInput(z.strictObject({ roleId: z.uuid() }), input, 'role');
  return withManage(db, async (tx) => {
    const role = await tx.role.findUnique({ where: { id: roleId }, select: { id: true, name: true } });
    if (!role) throw new AppError('not_found:role');
    const users = await tx.$queryRaw<{ id: string; email: string; documents_lost: number }[]>`
      SELECT u.id, u.email, (
        SELECT count(*)::int FROM document_grants g
        JOIN documents d ON d.id = g.document_id AND d.deleted_at IS NULL
        WHERE g.role_id = ${roleId}::uuid
          AND NOT EXISTS (
            SELECT 1 FROM document_grants other JOIN user_roles ur ON ur.role_id = other.role_id
            WHERE other.document_id = g.document_id AND other.role_id <> ${roleId}::uuid AND ur.user_id = u.id)
      ) AS documents_lost
      FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role_id = ${roleId}::uuid
      ORDER BY u.email`;
    const documents = await tx.$queryRaw<{ id: string; title: string; orphaned: boolean }[]>`
      SELECT d.id, d.title, NOT EXISTS (
        SELECT 1 FROM document_grants other WHERE other.document_id = d.id AND other.role_id <> ${roleId}::uuid
      ) AS orphaned
      FROM documents d JOIN document_grants g ON g.document_id = d.id AND g.role_id = ${roleId}::uuid
      WHERE d.deleted_at IS NULL ORDER BY d.title`;
    return {
      role,
      users: users.map((user) => ({ id: user.id, email: user.email, documentsLost: user.documents_lost })),
      documents,
    };
  });
}

/** Deletes a role with its memberships and grants (admin only); the audit event keeps what was lost. */
export async function deleteRole({ db, actor, ...input }: Op<{ roleId: string }>) {
  requireAdmin(actor);
  const { roleId } = parseAdminInput(z.strictObject({ roleId: z.uuid() }), input, 'role');
  await withManage(db, async (tx) => {
    const role = await tx.role.findUnique({
      where: { id: roleId },
      select: {
        name: true,
        description: true,
        users: { select: { userId: true } },
        grants: { select: { documentId: true } },
      },
    });
    if (!role) throw new AppError('not_found:role');
    await tx.role.delete({ where: { id: roleId } });
    await recordAudit(tx, {
      actorId: getActorId(actor),
      action: 'role.delete',
      target: `role:${roleId}`,
      data: {
        via: getActorVia(actor),
        before: {
          name: role.name,
          description: role.description,
          userIds: role.users.map((row) => row.userId),
          documentIds: role.grants.map((row) => row.documentId),
        },
      },
    });
  });
}

/** Every role with its member and document counts (admin only). */
export async function findRoles({ db, actor }: Op<Record<never, never>>): Promise<RoleSummary[]> {
  requireAdmin(actor);
  const roles = await db.role.findMany({
    orderBy: { name: 'asc' },
    select: { id: true, name: true, description: true, _count: { select: { users: true, grants: true } } },
  });
  return roles.map(({ _count, ...role }) => ({
    ...role,
    userCount: _count.users,
    documentCount: _count.grants,
  }));
}

/** Role ids for role names, or not_found naming the unknown ones (CLI and forms that take names). */
export async function resolveRoleNames(db: Db, names: string[]): Promise<string[]> {
  const wanted = [...new Set(names.map((name) => name.trim()).filter(Boolean))];
  const roles = await db.role.findMany({ where: { name: { in: wanted } }, select: { id: true, name: true } });
  const missing = wanted.filter((name) => !roles.some((role) => role.name === name));
  if (missing.length) throw new AppError('not_found:role', `Unknown role(s): ${missing.join(', ')}.`);
  return roles.map((role) => role.id);
}
