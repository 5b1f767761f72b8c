import { createTestDb, uniqueSuffix } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { findConversations, findThreadMessages } from './conversations.ts';
import { citeFirstChunk, createUserWithRoles, publishTestDocument } from './test-fixtures.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

async function storeCitedAnswer(
  userId: string,
  doc: { documentId: string; versionId: string; chunkIds: string[] },
  content: string,
) {
  const conversation = await db.conversation.create({ data: { userId, title: 'Budget question' } });
  await db.message.create({
    data: { conversationId: conversation.id, role: 'user', content: 'What is it?' },
  });
  const answer = await db.message.create({
    data: { conversationId: conversation.id, role: 'assistant', content },
  });
  await citeFirstChunk(db, answer.id, doc);
  return { conversationId: conversation.id, answerId: answer.id };
}

describe('stored answers follow access', () => {
  it('hides an answer once its cited document is unreadable, in the thread and in search', async () => {
    const suffix = uniqueSuffix();
    const reader = await createUserWithRoles(db, suffix, ['finance']);
    const doc = await publishTestDocument(db, {
      title: `Budget ${suffix}`,
      chunks: [`The airship${suffix} budget is 4 million.`],
      roleIds: reader.roleIds,
    });
    const { conversationId, answerId } = await storeCitedAnswer(
      reader.userId,
      doc,
      `The airship${suffix} budget is 4 million [1].`,
    );
    // Control: while the role holds, the answer, its citation and the search match are there.
    const before = await findThreadMessages(db, reader, conversationId);
    expect(before.find((message) => message.id === answerId)).toMatchObject({
      content: expect.stringContaining('4 million'),
      citations: [{ documentId: doc.documentId }],
    });
    expect((await findConversations(db, reader, { search: `airship${suffix}` })).map((c) => c.id)).toEqual([
      conversationId,
    ]);

    const revoked = { ...reader, roleIds: [] };
    const after = await findThreadMessages(db, revoked, conversationId);
    expect(after.find((message) => message.id === answerId)).toMatchObject({
      content: '',
      citations: [],
      hidden: 'access_revoked',
    });
    expect(await findConversations(db, revoked, { search: `airship${suffix}` })).toEqual([]);

    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT set_config('clearance.mode', 'manage', true)`;
      await tx.document.update({ where: { id: doc.documentId }, data: { deletedAt: new Date() } });
    });
    const deleted = await findThreadMessages(db, reader, conversationId);
    expect(deleted.find((message) => message.id === answerId)?.hidden).toBe('document_deleted');
  });
});
