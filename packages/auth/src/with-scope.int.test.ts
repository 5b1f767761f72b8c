import { createTestDb } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDocument, createTestRole, createTestUser, scopeOf } from './test-fixtures.ts';
import { withManage, withScope } from './with-scope.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

type Row = { id: string };

describe('row-level security', () => {
  it('an unfiltered SELECT on chunks returns only chunks of documents granted to the scope', async () => {
    const finance = await createTestRole(db, 'finance');
    const ops = await createTestRole(db, 'ops');
    const granted = await createTestDocument(db, [finance.id]);
    const other = await createTestDocument(db, [ops.id]);
    const ungranted = await createTestDocument(db, []);
    const user = await createTestUser(db, { roleIds: [finance.id] });

    const seen = await withScope(db, scopeOf(user, [finance.id]), async (tx) => ({
      // No WHERE: RLS alone decides (the tsvector column can't be deserialised, so no `*`).
      chunks: (await tx.$queryRaw<Row[]>`SELECT id, text, document_id FROM chunks`).map((row) => row.id),
      documents: (await tx.$queryRaw<Row[]>`SELECT * FROM documents`).map((row) => row.id),
      versions: (await tx.$queryRaw<Row[]>`SELECT * FROM document_versions`).map((row) => row.id),
      viaPrisma: (await tx.chunk.findMany({ select: { id: true } })).map((row) => row.id),
    }));
    expect(seen.chunks).toContain(granted.chunk.id);
    expect(seen.chunks).not.toContain(other.chunk.id);
    expect(seen.chunks).not.toContain(ungranted.chunk.id);
    expect(seen.documents).toContain(granted.document.id);
    expect(seen.documents).not.toContain(other.document.id);
    expect(seen.versions).toContain(granted.version.id);
    expect(seen.versions).not.toContain(other.version.id);
    expect(seen.viaPrisma).not.toContain(other.chunk.id);
  });

  it('a role without grants sees no chunks at all', async () => {
    const lonely = await createTestRole(db, 'lonely');
    await createTestDocument(db, [(await createTestRole(db)).id]);
    const user = await createTestUser(db, { roleIds: [lonely.id] });
    const rows = await withScope(
      db,
      scopeOf(user, [lonely.id]),
      (tx) => tx.$queryRaw<Row[]>`SELECT id, text FROM chunks`,
    );
    expect(rows).toEqual([]);
  });

  it('returns nothing as the app role when no scope is set', async () => {
    const role = await createTestRole(db);
    await createTestDocument(db, [role.id]);
    const rows = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL ROLE clearance_app`;
      return {
        chunks: await tx.$queryRaw<Row[]>`SELECT id FROM chunks`,
        documents: await tx.$queryRaw<Row[]>`SELECT id FROM documents`,
        embeddings: await tx.$queryRaw<Row[]>`SELECT chunk_id AS id FROM chunk_embeddings`,
      };
    });
    expect(rows).toEqual({ chunks: [], documents: [], embeddings: [] });
  });

  it('hides deleted documents in read mode and shows everything in manage mode', async () => {
    const role = await createTestRole(db);
    const live = await createTestDocument(db, [role.id]);
    const deleted = await createTestDocument(db, [role.id]);
    await db.document.update({ where: { id: deleted.document.id }, data: { deletedAt: new Date() } });
    const user = await createTestUser(db, { roleIds: [role.id] });
    const read = await withScope(db, scopeOf(user, [role.id]), (tx) =>
      tx.chunk.findMany({ select: { id: true } }),
    );
    expect(read.map((row) => row.id)).toContain(live.chunk.id);
    expect(read.map((row) => row.id)).not.toContain(deleted.chunk.id);
    const managed = await withManage(db, (tx) => tx.chunk.findMany({ select: { id: true } }));
    expect(managed.map((row) => row.id)).toEqual(expect.arrayContaining([live.chunk.id, deleted.chunk.id]));
  });

  it('keeps a deleted document hidden whatever its grants say, and shows it again once restored', async () => {
    // The read policies decide from the grants alone (migration live_grants): each grant's
    // document_deleted must follow the document, also for a grant given after the deletion and
    // whatever a writer puts in it.
    const role = await createTestRole(db);
    const late = await createTestRole(db);
    const { document, chunk, version } = await createTestDocument(db, [role.id]);
    await db.document.update({ where: { id: document.id }, data: { deletedAt: new Date() } });
    await db.documentGrant.create({
      data: { documentId: document.id, roleId: late.id, documentDeleted: false },
    });
    await db.documentGrant.updateMany({
      where: { documentId: document.id },
      data: { documentDeleted: false },
    });
    const user = await createTestUser(db, { roleIds: [role.id, late.id] });
    const visible = () =>
      withScope(db, scopeOf(user, [role.id, late.id]), async (tx) => ({
        chunks: (await tx.$queryRaw<Row[]>`SELECT id FROM chunks WHERE document_id = ${document.id}::uuid`)
          .length,
        versions: (await tx.$queryRaw<Row[]>`SELECT id FROM document_versions WHERE id = ${version.id}::uuid`)
          .length,
        postings: (
          await tx.$queryRaw<Row[]>`SELECT chunk_id AS id FROM chunk_terms WHERE chunk_id = ${chunk.id}::uuid`
        ).length,
      }));
    expect(await visible()).toEqual({ chunks: 0, versions: 0, postings: 0 });
    await db.document.update({ where: { id: document.id }, data: { deletedAt: null } });
    const restored = await visible();
    expect(restored.chunks).toBeGreaterThan(0);
    expect(restored.versions).toBe(1);
  });

  it('refuses writes to documents in read mode', async () => {
    const role = await createTestRole(db);
    const { document } = await createTestDocument(db, [role.id]);
    const user = await createTestUser(db, { roleIds: [role.id] });
    const updated = await withScope(
      db,
      scopeOf(user, [role.id]),
      (tx) => tx.$executeRaw`UPDATE documents SET title = 'pwned' WHERE id = ${document.id}::uuid`,
    );
    expect(updated).toBe(0);
  });

  it('rejects a malformed role id instead of building SQL from it', async () => {
    const user = await createTestUser(db);
    await expect(
      withScope(db, { ...scopeOf(user), roleIds: ["x'}; DROP TABLE chunks; --"] }, async () => 1),
    ).rejects.toThrow(/Invalid role id/);
  });
});
