import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { z } from 'zod';
import { type Actor, getActorId, getActorVia } from '../access-scope.ts';
import { recordAudit } from '../audit.ts';
import { requireAdmin } from '../permissions.ts';
import { withManage } from '../with-scope.ts';
import { parseAdminInput } from './admin-input.ts';

export const ZSetDocumentGrantsInput = z.strictObject({
  documentId: z.uuid(),
  roleIds: z.array(z.uuid()).max(200),
});
export type SetDocumentGrantsInput = z.input<typeof ZSetDocumentGrantsInput>;

/**
 * Replaces the roles a document is granted to (admin only). An empty list makes it readable by
 * nobody. Effective on the next query: search and RLS read grants live.
 */
export async function setDocumentGrants({
  db,
  actor,
  ...input
}: SetDocumentGrantsInput & { db: Db; actor: Actor }): Promise<string[]> {
  requireAdmin(actor);
  const { documentId, roleIds } = parseAdminInput(ZSetDocumentGrantsInput, input, 'document');
  return withManage(db, async (tx) => {
    const document = await tx.document.findUnique({
      where: { id: documentId },
      select: { id: true, deletedAt: true, grants: { select: { role: { select: { name: true } } } } },
    });
    if (!document || document.deletedAt) throw new AppError('not_found:document');
    const roles = await tx.role.findMany({
      where: { id: { in: roleIds } },
      select: { id: true, name: true },
    });
    if (roles.length !== new Set(roleIds).size) throw new AppError('not_found:role', 'Unknown role.');
    const before = document.grants.map((grant) => grant.role.name).sort();
    const after = roles.map((role) => role.name).sort();
    await tx.documentGrant.deleteMany({
      where: { documentId, roleId: { notIn: roles.map((role) => role.id) } },
    });
    await tx.documentGrant.createMany({
      data: roles.map((role) => ({ documentId, roleId: role.id })),
      skipDuplicates: true,
    });
    if (before.join('\n') !== after.join('\n')) {
      await recordAudit(tx, {
        actorId: getActorId(actor),
        action: 'document.grants',
        target: `document:${documentId}`,
        data: { via: getActorVia(actor), before, after },
      });
    }
    return after;
  });
}
