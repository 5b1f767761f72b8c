import type { AccessScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { createTestDb, uniqueSuffix } from '@clearance/db/testing';
import { AppError } from '@clearance/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from './answer-question.ts';
import { findConversations } from './conversations.ts';
import { stopAnswer } from './stop-answer.ts';
import {
  createLexicalRetriever,
  createScriptedGenerator,
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

async function ask(scope: AccessScope, suffix: string, script: string[]) {
  const events: ChatEvent[] = [];
  const stream = await answerQuestion({
    db,
    scope,
    message: `What is the hotel limit for ${suffix} trips?`,
    generator: createScriptedGenerator(script),
    createRetriever: createLexicalRetriever,
  });
  for await (const event of stream) events.push(event);
  const meta = events.find((event) => event.type === 'meta');
  if (meta?.type !== 'meta') throw new Error('no meta');
  return meta;
}

describe('stopAnswer', () => {
  it('cuts the stored answer to what was shown, marks it stopped and keeps only the citations shown', async () => {
    const suffix = uniqueSuffix();
    const scope = await createUserWithRoles(db, suffix, ['finance']);
    await publishTestDocument(db, {
      title: `Travel ${suffix}`,
      chunks: [
        `Hotel stays for ${suffix} trips are reimbursed up to 180 EUR per night.`,
        `${suffix} hotel taxes.`,
      ],
      roleIds: scope.roleIds,
    });
    const meta = await ask(scope, suffix, ['Hotels: 180 EUR [1].', ' Taxes are extra [2].']);
    const shown = 'Hotels: 180 EUR [1].';
    expect(await stopAnswer(db, scope, { messageId: meta.messageId, shownChars: shown.length })).toEqual({
      content: shown,
    });
    const stored = await db.message.findUniqueOrThrow({ where: { id: meta.messageId } });
    expect(stored).toMatchObject({ content: shown, status: 'stopped' });
    const markers = await db.$queryRaw<{ marker: number }[]>`
      SELECT marker FROM citations WHERE message_id = ${meta.messageId}::uuid`;
    expect(markers.map((row) => row.marker)).toEqual([1]);

    // Someone else's answer can't be cut: it looks like one that does not exist.
    const other = await createUserWithRoles(db, suffix, ['finance']);
    await expect(stopAnswer(db, other, { messageId: meta.messageId, shownChars: 0 })).rejects.toBeInstanceOf(
      AppError,
    );
  });

  it('keeps conversations asked through an API key out of the list unless asked for', async () => {
    const suffix = uniqueSuffix();
    const scope = await createUserWithRoles(db, suffix, ['finance']);
    const viaSession = await ask(scope, suffix, ['Nothing.']);
    const viaApi = await ask({ ...scope, via: 'apikey' }, suffix, ['Nothing.']);
    const ids = (list: { id: string }[]) => list.map((entry) => entry.id);
    expect(ids(await findConversations(db, scope))).toEqual([viaSession.conversationId]);
    expect(ids(await findConversations(db, scope, { includeApi: true })).sort()).toEqual(
      [viaSession.conversationId, viaApi.conversationId].sort(),
    );
  });
});
