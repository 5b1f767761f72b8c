// Test-only helpers: rows inserted directly as the (superuser) test connection.
import { createHash } from 'node:crypto';
import type { Db } from '@clearance/db';
import { uniqueSuffix } from '@clearance/db/testing';
import type { AccessScope } from './access-scope.ts';

export async function createTestRole(db: Db, prefix = 'role') {
  return db.role.create({ data: { name: `${prefix}-${uniqueSuffix()}` } });
}

export async function createTestUser(
  db: Db,
  options: { roleIds?: string[]; isAdmin?: boolean; passwordHash?: string } = {},
) {
  return db.user.create({
    data: {
      email: `user-${uniqueSuffix()}@example.test`,
      isAdmin: options.isAdmin ?? false,
      passwordHash: options.passwordHash ?? null,
      roles: { create: (options.roleIds ?? []).map((roleId) => ({ roleId })) },
    },
  });
}

export function scopeOf(user: { id: string; isAdmin: boolean }, roleIds: string[] = []): AccessScope {
  return { userId: user.id, roleIds, isAdmin: user.isAdmin, via: 'session' };
}

/** A document with one ready version and one chunk, granted to `roleIds`. */
export async function createTestDocument(db: Db, roleIds: string[], text = `secret ${uniqueSuffix()}`) {
  const sha256 = createHash('sha256').update(text).digest('hex');
  await db.blob.upsert({
    where: { sha256 },
    create: { sha256, mime: 'text/plain', bytes: text.length },
    update: {},
  });
  const document = await db.document.create({
    data: { title: `doc-${uniqueSuffix()}`, grants: { create: roleIds.map((roleId) => ({ roleId })) } },
  });
  const version = await db.documentVersion.create({
    data: {
      documentId: document.id,
      number: 1,
      sha256,
      mime: 'text/plain',
      bytes: text.length,
      status: 'ready',
    },
  });
  await db.document.update({ where: { id: document.id }, data: { currentVersionId: version.id } });
  const chunk = await db.chunk.create({
    data: {
      versionId: version.id,
      documentId: document.id,
      ordinal: 0,
      text,
      charStart: 0,
      charEnd: text.length,
      tokens: 2,
    },
  });
  return { document, version, chunk };
}
