import type { Db } from '@clearance/db';
import { createTestDb, uniqueSuffix } from '@clearance/db/testing';
import { AppError } from '@clearance/errors';
import { ScopedRetriever } from '@clearance/retrieval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion, NOTHING_FOUND_TEXT } from './answer-question.ts';
import {
  deleteConversation,
  findConversations,
  findThreadMessages,
  getOwnConversation,
  renameConversation,
} from './conversations.ts';
import {
  createLexicalRetriever,
  createScriptedGenerator,
  createSilentGenerator,
  createUserWithRoles,
  publishTestDocument,
} from './test-fixtures.ts';
import type { ChatEvent } from './types.ts';

let db: Db;

beforeAll(() => {
  db = createTestDb();
});

afterAll(async () => {
  await db.$disconnect();
});

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const all: ChatEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

async function waitFor<T>(read: () => Promise<T | null | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A finance user's conversation about a per diem in their document, answered once with "First [1].". */
async function startAnsweredConversation() {
  const suffix = uniqueSuffix();
  const scope = await createUserWithRoles(db, suffix, ['finance']);
  const doc = await publishTestDocument(db, {
    title: `Per diem ${suffix}`,
    chunks: [`The ${suffix} per diem is 45 EUR.`],
    roleIds: scope.roleIds,
  });
  const question = `What is the ${suffix} per diem?`;
  const first = await collect(
    await answerQuestion({
      db,
      scope,
      message: question,
      generator: createScriptedGenerator(['First [1].']),
      createRetriever: createLexicalRetriever,
    }),
  );
  const meta = first.find((event) => event.type === 'meta');
  if (meta?.type !== 'meta') throw new Error('no meta');
  return { scope, doc, question, conversationId: meta.conversationId };
}

describe('answerQuestion', () => {
  it('streams an answer, removes markers of passages not retrieved, and stores citations with versions', async () => {
    const suffix = uniqueSuffix();
    const scope = await createUserWithRoles(db, suffix, ['finance']);
    const doc = await publishTestDocument(db, {
      title: `Travel policy ${suffix}`,
      chunks: [
        `Hotel stays for ${suffix} trips are reimbursed up to 180 EUR per night.`,
        'Unrelated cafeteria menu.',
      ],
      roleIds: scope.roleIds,
    });
    const generator = createScriptedGenerator([
      'Hotels are reimbursed up to 180 EUR [',
      '1]',
      ' per night [7].',
    ]);
    const events = await collect(
      await answerQuestion({
        db,
        scope,
        message: `What is the hotel limit for ${suffix} trips?`,
        generator,
        createRetriever: createLexicalRetriever,
      }),
    );
    const meta = events.find((event) => event.type === 'meta');
    const done = events.find((event) => event.type === 'done');
    const citations = events.find((event) => event.type === 'citations');
    expect(meta).toBeDefined();
    expect(done).toMatchObject({ status: 'complete', unanswered: false });
    const streamed = events.flatMap((event) => (event.type === 'delta' ? [event.text] : [])).join('');
    expect(streamed).toBe('Hotels are reimbursed up to 180 EUR [1] per night .');
    expect(citations?.type === 'citations' && citations.citations).toEqual([
      expect.objectContaining({ marker: 1, chunkId: doc.chunkIds[0], versionId: doc.versionId }),
    ]);
    if (meta?.type !== 'meta') throw new Error('no meta');
    const stored = await db.message.findUniqueOrThrow({ where: { id: meta.messageId } });
    expect(stored).toMatchObject({
      role: 'assistant',
      content: streamed,
      status: 'complete',
      standaloneQuery: `What is the hotel limit for ${suffix} trips?`,
      generatorId: 'scripted-test',
      unanswered: false,
    });
    expect(stored.ttftMs).not.toBeNull();
    expect(stored.latencyMs).not.toBeNull();
    // Saving the answer touches its conversation (the conversation list is ordered by it).
    const conversation = await db.conversation.findUniqueOrThrow({ where: { id: meta.conversationId } });
    expect(conversation.updatedAt.getTime()).toBeGreaterThan(conversation.createdAt.getTime());
    const rows = await db.$queryRaw<{ marker: number; chunk_id: string; version_id: string }[]>`
      SELECT marker, chunk_id::text, version_id::text FROM citations WHERE message_id = ${meta.messageId}::uuid`;
    expect(rows).toEqual([{ marker: 1, chunk_id: doc.chunkIds[0], version_id: doc.versionId }]);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: 'chat.question', actorId: scope.userId },
      orderBy: { id: 'desc' },
    });
    expect(audit.data).toMatchObject({
      roleIds: scope.roleIds,
      retrieved: expect.arrayContaining([
        { chunkId: doc.chunkIds[0], documentId: doc.documentId, versionId: doc.versionId },
      ]),
    });
    const answered = await db.auditEvent.findFirstOrThrow({
      where: { action: 'chat.answer', actorId: scope.userId, target: audit.target },
    });
    expect(answered.data).toMatchObject({
      cited: [{ chunkId: doc.chunkIds[0], versionId: doc.versionId }],
      status: 'complete',
    });
  });

  it('puts the question and what was retrieved on record before the first word of the answer is shown', async () => {
    const suffix = uniqueSuffix();
    const scope = await createUserWithRoles(db, suffix, ['finance']);
    await publishTestDocument(db, {
      title: `Mileage ${suffix}`,
      chunks: [`The ${suffix} mileage rate is 0.38 EUR per kilometre.`],
      roleIds: scope.roleIds,
    });
    let messageId = '';
    let recordedAtFirstWord: unknown;
    for await (const event of await answerQuestion({
      db,
      scope,
      message: `What is the ${suffix} mileage rate?`,
      // Slow enough that the answer is still being written when its first words arrive.
      generator: createScriptedGenerator(['The rate is 0.38 EUR [1].', ' It applies to every trip.'], 300),
      createRetriever: createLexicalRetriever,
    })) {
      if (event.type === 'meta') messageId = event.messageId;
      if (event.type === 'delta' && recordedAtFirstWord === undefined) {
        recordedAtFirstWord = await db.auditEvent.findFirst({
          where: { action: 'chat.question', target: `message:${messageId}` },
          include: { text: true },
        });
      }
    }
    expect(recordedAtFirstWord).toMatchObject({
      actorId: scope.userId,
      text: { text: `What is the ${suffix} mileage rate?` },
      data: { retrieved: [expect.objectContaining({ chunkId: expect.any(String) })] },
    });
  });

  it("says nothing was found instead of answering when no readable passage matches (another role's document)", async () => {
    const suffix = uniqueSuffix();
    const reader = await createUserWithRoles(db, suffix, ['operations']);
    const owner = await createUserWithRoles(db, suffix, ['hr']);
    await publishTestDocument(db, {
      title: `Salaries ${suffix}`,
      chunks: [`The ${suffix} salary band for engineers is secret.`],
      roleIds: owner.roleIds,
    });
    const events = await collect(
      await answerQuestion({
        db,
        scope: reader,
        message: `What is the ${suffix} salary band?`,
        generator: createScriptedGenerator(['leaked [1]']),
        createRetriever: createLexicalRetriever,
      }),
    );
    const done = events.find((event) => event.type === 'done');
    expect(done).toMatchObject({ unanswered: true, content: NOTHING_FOUND_TEXT });
    expect(events.find((event) => event.type === 'citations')).toEqual({ type: 'citations', citations: [] });
  });

  it('saves a consistent message when stopped mid-stream', async () => {
    const suffix = uniqueSuffix();
    const scope = await createUserWithRoles(db, suffix, ['finance']);
    await publishTestDocument(db, {
      title: `Expenses ${suffix}`,
      chunks: [`Receipts for ${suffix} expenses must be submitted within 30 days.`],
      roleIds: scope.roleIds,
    });
    const controller = new AbortController();
    const generator = createScriptedGenerator(
      ['Receipts ', 'are due ', 'within 30 days [1]', '.', ' More', ' text'],
      40,
    );
    const events = await answerQuestion({
      db,
      scope,
      message: `When are ${suffix} receipts due?`,
      signal: controller.signal,
      generator,
      createRetriever: createLexicalRetriever,
    });
    let messageId = '';
    let streamed = '';
    // The client reads two deltas, presses Stop and goes away without reading further.
    for await (const event of events) {
      if (event.type === 'meta') messageId = event.messageId;
      if (event.type === 'delta') streamed += event.text;
      if (streamed.includes('are due')) {
        controller.abort();
        break;
      }
    }
    const stored = await waitFor(() => db.message.findUnique({ where: { id: messageId } }));
    expect(stored.status).toBe('stopped');
    expect(stored.content.startsWith(streamed)).toBe(true);
    expect(stored.content.length).toBeLessThan('Receipts are due within 30 days [1]. More text'.length);
    const citations = await db.citation.count({ where: { messageId } });
    expect(citations).toBe(stored.content.includes('[1]') ? 1 : 0);
    const thread = await findThreadMessages(db, scope, stored.conversationId);
    expect(thread.map((message) => message.role)).toEqual(['user', 'assistant']);
  });

  it('stops promptly while a follow-up is being rewritten', async () => {
    const { scope, conversationId } = await startAnsweredConversation();
    // A language model that produces nothing until it is aborted: the follow-up's rewrite waits on it.
    const silent = createSilentGenerator();
    const controller = new AbortController();
    const events = await answerQuestion({
      db,
      scope,
      conversationId,
      message: 'And what about it abroad?',
      signal: controller.signal,
      generator: silent,
      createRetriever: createLexicalRetriever,
    });
    let stoppedAt = 0;
    let done: ChatEvent | undefined;
    for await (const event of events) {
      if (event.type === 'meta') {
        // Stop once the rewrite has started waiting on the model.
        await new Promise((resolve) => setTimeout(resolve, 200));
        controller.abort();
        stoppedAt = performance.now();
      }
      if (event.type === 'done') done = event;
    }
    // The rewrite's own timeout is 8 s: Stop must not wait for it.
    expect(performance.now() - stoppedAt).toBeLessThan(3_000);
    expect(done).toMatchObject({ type: 'done', status: 'stopped' });
  });

  it('regenerates by replacing the last answer', async () => {
    const { scope, question, conversationId } = await startAnsweredConversation();
    await collect(
      await answerQuestion({
        db,
        scope,
        conversationId,
        regenerate: true,
        generator: createScriptedGenerator(['Second [1].']),
        createRetriever: createLexicalRetriever,
      }),
    );
    const thread = await findThreadMessages(db, scope, conversationId);
    expect(thread.map((message) => [message.role, message.content])).toEqual([
      ['user', question],
      ['assistant', 'Second [1].'],
    ]);
    expect(thread[1]!.citations).toHaveLength(1);
  });

  it('keeps the previous answer when the regenerated one cannot be saved', async () => {
    const { scope, doc, question, conversationId } = await startAnsweredConversation();
    // The grant is revoked while the new answer is being written: row-level security then refuses its
    // citation, and the save fails.
    const events = await collect(
      await answerQuestion({
        db,
        scope,
        conversationId,
        regenerate: true,
        generator: createScriptedGenerator(['Second [1].']),
        createRetriever: (retrieverInput) =>
          new (class RevokingRetriever extends ScopedRetriever {
            override async _getRelevantDocuments(query: string) {
              const documents = await super._getRelevantDocuments(query);
              await db.documentGrant.deleteMany({ where: { documentId: doc.documentId } });
              return documents;
            }
          })({ ...retrieverInput, embedder: null }),
      }),
    );
    expect(events.at(-1)).toEqual({ type: 'error', message: 'The answer could not be saved.' });
    const stored = await db.message.findMany({
      where: { conversationId },
      orderBy: { createdAt: 'asc' },
      select: { role: true, content: true },
    });
    expect(stored).toEqual([
      { role: 'user', content: question },
      { role: 'assistant', content: 'First [1].' },
    ]);
  });
});

describe('conversation privacy', () => {
  it("answers 404 for another user's conversation, admins included, and deleting removes its messages", async () => {
    const suffix = uniqueSuffix();
    const owner = await createUserWithRoles(db, suffix, ['finance']);
    const admin = await createUserWithRoles(db, suffix, ['finance'], { isAdmin: true });
    const events = await collect(
      await answerQuestion({
        db,
        scope: owner,
        message: `Private question ${suffix}`,
        generator: createScriptedGenerator(['ok']),
        createRetriever: createLexicalRetriever,
      }),
    );
    const meta = events.find((event) => event.type === 'meta');
    if (meta?.type !== 'meta') throw new Error('no meta');
    const id = meta.conversationId;
    const notFound = { code: 'not_found:conversation' };
    await expect(getOwnConversation(db, admin, id)).rejects.toMatchObject(notFound);
    await expect(findThreadMessages(db, admin, id)).rejects.toMatchObject(notFound);
    await expect(renameConversation(db, admin, id, 'mine now')).rejects.toMatchObject(notFound);
    await expect(deleteConversation(db, admin, id)).rejects.toMatchObject(notFound);
    await expect(
      answerQuestion({
        db,
        scope: admin,
        conversationId: id,
        message: 'hi',
        createRetriever: createLexicalRetriever,
      }),
    ).rejects.toBeInstanceOf(AppError);
    await expect(getOwnConversation(db, admin, 'not-a-uuid')).rejects.toMatchObject(notFound);
    expect((await findConversations(db, admin)).map((entry) => entry.id)).not.toContain(id);
    expect(
      (await findConversations(db, owner, { search: `question ${suffix}` })).map((entry) => entry.id),
    ).toEqual([id]);

    await deleteConversation(db, owner, id);
    expect(await db.message.count({ where: { conversationId: id } })).toBe(0);
    await expect(getOwnConversation(db, owner, id)).rejects.toMatchObject(notFound);
  });
});
