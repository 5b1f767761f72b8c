import { findAuditEvents, recordAudit } from '@clearance/auth';
import { createTestDb, uniqueSuffix } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  citeFirstChunk,
  createUserWithRoles,
  publishTestDocument,
} from '../../../server/chat/test-fixtures.ts';
import { findAuditPage } from './admin-audit.ts';
import { findAdminDocuments, getAdminDocument } from './admin-documents.ts';
import { getAdminOverview } from './admin-overview.ts';
import { previewAs } from './admin-see-as.ts';
import { getAdminSystem } from './admin-system.ts';
import { getAdminUsage } from './admin-usage.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

async function createAdmin(suffix: string) {
  // An admin holding no data role: admin is management, not clearance, yet the console sees everything.
  return createUserWithRoles(db, suffix, [], { isAdmin: true });
}

describe('admin console queries', () => {
  it('list every document with grants and filter by title, role and status; refuse non-admins', async () => {
    const suffix = uniqueSuffix();
    const admin = await createAdmin(suffix);
    const finance = await createUserWithRoles(db, suffix, ['finance']);
    const ops = await createUserWithRoles(db, suffix, ['operations']);
    const report = await publishTestDocument(db, {
      title: `Quarterly report ${suffix}`,
      chunks: [`Revenue ${suffix} grew nine percent.`],
      roleIds: finance.roleIds,
    });
    await publishTestDocument(db, {
      title: `Pump manual ${suffix}`,
      chunks: [`Torque ${suffix} is 40 Nm.`],
      roleIds: ops.roleIds,
    });
    const all = await findAdminDocuments(db, admin, { q: suffix });
    expect(all.map((row) => row.title).sort()).toEqual([
      `Pump manual ${suffix}`,
      `Quarterly report ${suffix}`,
    ]);
    const byRole = await findAdminDocuments(db, admin, { roleId: finance.roleIds[0] });
    expect(byRole.map((row) => row.id)).toEqual([report.documentId]);
    expect(byRole[0]).toMatchObject({ status: 'ready', chunkCount: 1, isSearchable: true });
    expect(byRole[0]?.roles.map((role) => role.id)).toEqual(finance.roleIds);
    expect(await findAdminDocuments(db, admin, { q: suffix, status: 'failed' })).toEqual([]);
    // LIKE wildcards in the search are literal.
    expect(await findAdminDocuments(db, admin, { q: `%${suffix}` })).toEqual([]);
    await expect(findAdminDocuments(db, finance, {})).rejects.toMatchObject({ status: 403 });

    // Admin is management, not clearance: structure without text, unless the admin holds a data role.
    const detail = await getAdminDocument(db, admin, report.documentId);
    expect(detail.versions).toHaveLength(1);
    expect(detail.canReadText).toBe(false);
    expect(detail.chunks[0]).toMatchObject({ ordinal: 0, text: null });
    const financeAdmin = { ...finance, isAdmin: true };
    const cleared = await getAdminDocument(db, financeAdmin, report.documentId);
    expect(cleared.chunks[0]?.text).toContain(`Revenue ${suffix}`);
    const reads = await findAuditEvents(db, { actorId: finance.userId, action: 'document.read' });
    expect(reads.events[0]?.data).toMatchObject({
      surface: 'admin.document',
      retrieved: [{ documentId: report.documentId }],
    });
    expect((await findAuditEvents(db, { actorId: admin.userId, action: 'document.read' })).events).toEqual(
      [],
    );
    await expect(getAdminDocument(db, admin, crypto.randomUUID())).rejects.toMatchObject({ status: 404 });
  });

  it('see-as shows what a role retrieves and what it cannot see, and is audited', async () => {
    const suffix = uniqueSuffix();
    const admin = await createAdmin(suffix);
    const finance = await createUserWithRoles(db, suffix, ['finance']);
    const hr = await createUserWithRoles(db, suffix, ['hr']);
    await publishTestDocument(db, {
      title: `Budget ${suffix}`,
      chunks: [`The zeppelin${suffix} budget is 4 million.`],
      roleIds: finance.roleIds,
    });
    const salaries = await publishTestDocument(db, {
      title: `Salaries ${suffix}`,
      chunks: [`The zeppelin${suffix} salary band is secret.`],
      roleIds: hr.roleIds,
    });
    const asFinance = await previewAs(
      db,
      admin,
      { question: `zeppelin${suffix}`, roleIds: finance.roleIds },
      { embedder: null },
    );
    expect(asFinance.passages.map((passage) => passage.title)).toEqual([`Budget ${suffix}`]);
    // The admin holds no data role: which passages, not their text.
    expect(asFinance.passages[0]?.text).toBeNull();
    expect(asFinance.hidden.map((doc) => doc.id)).toContain(salaries.documentId);
    expect(asFinance.hidden.find((doc) => doc.id === salaries.documentId)?.roles).toEqual([
      expect.stringContaining('hr-'),
    ]);

    const asUser = await previewAs(
      db,
      admin,
      { question: `zeppelin${suffix}`, userId: hr.userId },
      { embedder: null },
    );
    expect(asUser.passages.map((passage) => passage.title)).toEqual([`Salaries ${suffix}`]);
    expect(asUser.subject.kind).toBe('user');

    await db.user.update({ where: { id: hr.userId }, data: { disabledAt: new Date() } });
    const disabled = await previewAs(
      db,
      admin,
      { question: `zeppelin${suffix}`, userId: hr.userId },
      { embedder: null },
    );
    expect(disabled.passages).toEqual([]);

    const { events } = await findAuditEvents(db, { actorId: admin.userId, action: 'admin.see_as' });
    expect(events).toHaveLength(3);
    await expect(
      previewAs(db, admin, { question: 'x', roleIds: [], userId: hr.userId } as never, { embedder: null }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      previewAs(db, finance, { question: 'x', roleIds: finance.roleIds }, { embedder: null }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('audit pages show the passages a question retrieved and cited, filtered by actor email', async () => {
    const suffix = uniqueSuffix();
    const admin = await createAdmin(suffix);
    const asker = await createUserWithRoles(db, suffix, ['finance']);
    const doc = await publishTestDocument(db, {
      title: `Ledger ${suffix}`,
      chunks: [`Ledger ${suffix} closes on the fifth.`],
      roleIds: asker.roleIds,
    });
    const ref = { chunkId: doc.chunkIds[0], documentId: doc.documentId, versionId: doc.versionId };
    await recordAudit(db, {
      actorId: asker.userId,
      action: 'chat.question',
      target: 'conversation:x',
      data: {
        question: `When does ledger ${suffix} close?`,
        retrieved: [ref],
        cited: [{ ...ref, marker: 1 }],
      },
    });
    const user = await db.user.findUniqueOrThrow({ where: { id: asker.userId } });
    const page = await findAuditPage(db, admin, { actor: user.email.toUpperCase(), action: 'chat.question' });
    expect(page.events).toHaveLength(1);
    expect(page.events[0]).toMatchObject({
      actor: user.email,
      question: `When does ledger ${suffix} close?`,
      retrieved: [{ title: `Ledger ${suffix}`, text: null, hidden: 'not_cleared' }],
      cited: [{ marker: 1, title: `Ledger ${suffix}` }],
    });
    // An admin whose own roles read the ledger sees the passage, and that read is on the record.
    const clearedAdmin = { ...asker, isAdmin: true };
    const cleared = await findAuditPage(db, clearedAdmin, { actor: user.email, action: 'chat.question' });
    expect(cleared.events[0]?.retrieved?.[0]?.text).toBe(`Ledger ${suffix} closes on the fifth.`);
    const reads = await findAuditEvents(db, { actorId: asker.userId, action: 'document.read' });
    expect(reads.events[0]?.data).toMatchObject({ surface: 'admin.audit' });
    const byDocument = await findAuditPage(db, admin, { document: doc.documentId });
    expect(byDocument.events.map((event) => event.action)).toContain('chat.question');
    expect((await findAuditPage(db, admin, { actor: `nobody-${suffix}@example.test` })).events).toEqual([]);
  });

  it('usage counts questions, unanswered answers, thumbs-down comments and citations', async () => {
    const suffix = uniqueSuffix();
    const admin = await createAdmin(suffix);
    const asker = await createUserWithRoles(db, suffix, ['finance']);
    const doc = await publishTestDocument(db, {
      title: `Cited ${suffix}`,
      chunks: [`Cited ${suffix}.`],
      roleIds: asker.roleIds,
    });
    const before = await getAdminUsage(db, admin, 7);
    const conversation = await db.conversation.create({ data: { userId: asker.userId } });
    await db.message.create({
      data: { conversationId: conversation.id, role: 'user', content: `Q ${suffix}?` },
    });
    const answer = await db.message.create({
      data: {
        conversationId: conversation.id,
        role: 'assistant',
        content: `A ${suffix}`,
        latencyMs: 1200,
        unanswered: true,
      },
    });
    await citeFirstChunk(db, answer.id, doc);
    await db.feedback.create({
      data: { messageId: answer.id, userId: asker.userId, value: -1, comment: `Wrong ${suffix}` },
    });
    const after = await getAdminUsage(db, admin, 7);
    expect(after.daily).toHaveLength(8);
    expect(after.totals.questions).toBe(before.totals.questions + 1);
    expect(after.totals.thumbsDown).toBe(before.totals.thumbsDown + 1);
    expect(after.totals.p50Ms).not.toBeNull();
    expect(after.thumbsDown.find((item) => item.messageId === answer.id)).toMatchObject({
      question: `Q ${suffix}?`,
      comment: `Wrong ${suffix}`,
    });
    expect(after.topDocuments.map((row) => row.documentId)).toContain(doc.documentId);
  });

  it('overview and system pages read counts, queue and database facts', async () => {
    const suffix = uniqueSuffix();
    const admin = await createAdmin(suffix);
    const overview = await getAdminOverview(db, admin);
    expect(overview.counts.users).toBeGreaterThan(0);
    const system = await getAdminSystem(db, admin);
    expect(system.database.pgvector).toMatch(/^\d+\.\d+/);
    expect(system.database.sizeBytes).toBeGreaterThan(0);
    expect(typeof system.generator).toBe('string');
  });
});
