import { createTestDb, uniqueSuffix } from '@clearance/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  escapeCsvField,
  exportAudit,
  findAuditEvents,
  purgeExpiredAuditTexts,
  recordAudit,
} from './audit.ts';

const db = createTestDb();
afterAll(() => db.$disconnect());

async function collect(lines: AsyncIterable<string>) {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('audit trail', () => {
  it('cannot be updated, deleted or truncated, even by the owner connection', async () => {
    const target = `test:${uniqueSuffix()}`;
    await recordAudit(db, { actorId: null, action: 'role.create', target, data: { name: 'x' } });
    await expect(
      db.$executeRaw`UPDATE audit_events SET action = 'forged' WHERE target = ${target}`,
    ).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM audit_events WHERE target = ${target}`).rejects.toThrow(
      /append-only/,
    );
    // Refused by the trigger, or first by audit_texts' foreign key (TRUNCATE without CASCADE).
    await expect(db.$executeRaw`TRUNCATE audit_events`).rejects.toThrow(/append-only|foreign key/);
    const rows = await db.auditEvent.findMany({ where: { target } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.action).toBe('role.create');
  });

  it('the app role may insert and select but has no UPDATE or DELETE privilege', async () => {
    const target = `test:${uniqueSuffix()}`;
    const result = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL ROLE clearance_app`;
      await recordAudit(tx, { actorId: null, action: 'user.create', target });
      return tx.$queryRaw<{ update: boolean; delete: boolean; insert: boolean }[]>`
        SELECT has_table_privilege('audit_events', 'UPDATE') AS update,
               has_table_privilege('audit_events', 'DELETE') AS delete,
               has_table_privilege('audit_events', 'INSERT') AS insert`;
    });
    expect(result[0]).toEqual({ update: false, delete: false, insert: true });
    expect(await db.auditEvent.count({ where: { target } })).toBe(1);
  });

  it('finds events by document, including chat questions that retrieved it, with pagination', async () => {
    const documentId = crypto.randomUUID();
    const actorId = crypto.randomUUID();
    await recordAudit(db, { actorId, action: 'document.grants', target: `document:${documentId}` });
    for (let i = 0; i < 3; i++) {
      await recordAudit(db, {
        actorId,
        action: 'chat.question',
        target: `message:${i}`,
        data: { roleIds: [], retrieved: [{ chunkId: 'c', versionId: 'v', documentId }], cited: [] },
      });
    }
    await recordAudit(db, { actorId, action: 'chat.question', data: { retrieved: [] } });
    const first = await findAuditEvents(db, { documentId, limit: 3 });
    expect(first.events).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await findAuditEvents(db, { documentId, limit: 3, cursor: first.nextCursor! });
    expect(second.events.map((event) => event.action)).toEqual(['document.grants']);
    expect(second.nextCursor).toBeNull();
    expect((await findAuditEvents(db, { actorId, action: 'chat.question', limit: 10 })).events).toHaveLength(
      4,
    );
  });

  it('exports CSV with escaping and defused formulas, and JSON lines', async () => {
    const actorId = crypto.randomUUID();
    await recordAudit(db, {
      actorId,
      action: 'chat.question',
      target: '=HYPERLINK("http://evil")',
      data: { question: 'a, "b"\nc' },
    });
    const csv = await collect(exportAudit(db, { actorId }, 'csv'));
    expect(csv[0]).toBe('id,at,actor_id,action,target,data,text\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(`,"'=HYPERLINK(""http://evil"")",`);
    expect(csv[1]).toContain('"{""question"":""a, \\""b\\""\\nc""}"');
    const jsonl = await collect(exportAudit(db, { actorId }, 'jsonl'));
    expect(JSON.parse(jsonl[0]!)).toMatchObject({
      actorId,
      action: 'chat.question',
      data: { question: 'a, "b"\nc' },
    });
  });

  it('escapes CSV fields', () => {
    expect(escapeCsvField('plain')).toBe('plain');
    expect(escapeCsvField('a,b')).toBe('"a,b"');
    expect(escapeCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(escapeCsvField('+1')).toBe("'+1");
    expect(escapeCsvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(escapeCsvField('-2,3')).toBe(`"'-2,3"`);
  });
});

describe('recordChatQuestion and chatAnswerRecord', () => {
  it('record roles in force, retrieved and cited chunk versions, findable by document, never the text', async () => {
    const { chatAnswerRecord, recordChatQuestion } = await import('./audit.ts');
    const userId = crypto.randomUUID();
    const documentId = crypto.randomUUID();
    const messageId = crypto.randomUUID();
    const chunk = {
      chunkId: crypto.randomUUID(),
      versionId: crypto.randomUUID(),
      documentId,
      text: 'not stored',
    };
    const scope = { userId, roleIds: ['r1'], via: 'session' };
    await recordChatQuestion(db, { scope, messageId, retrieved: [chunk], question: 'When?' });
    await db.$executeRaw(
      chatAnswerRecord({ scope, messageId, cited: [chunk], unanswered: false, status: 'complete' }),
    );
    const { events } = await findAuditEvents(db, { documentId, limit: 5 });
    expect(events.map((event) => event.action).sort()).toEqual(['chat.answer', 'chat.question']);
    const question = events.find((event) => event.action === 'chat.question')!;
    const answer = events.find((event) => event.action === 'chat.answer')!;
    expect(question.data).toMatchObject({
      roleIds: ['r1'],
      retrieved: [{ documentId, chunkId: chunk.chunkId }],
    });
    expect(question.text).toBe('When?');
    expect(answer.data).toMatchObject({
      cited: [{ documentId, chunkId: chunk.chunkId }],
      status: 'complete',
    });
    expect(answer.target).toBe(question.target);
    expect(JSON.stringify(events.map((event) => event.data))).not.toContain('not stored');
  });
});

describe('audit texts', () => {
  it('keep a question beside its row until retention ends; nothing else can remove or edit it', async () => {
    const actorId = crypto.randomUUID();
    await recordAudit(db, { actorId, action: 'search.query', text: `young ${uniqueSuffix()}` });
    await recordAudit(db, { actorId, action: 'search.query', text: 'old question' });
    const [old, young] = (await findAuditEvents(db, { actorId })).events;
    expect(young?.text).toMatch(/^young/);
    await expect(db.auditText.deleteMany({ where: { eventId: BigInt(young!.id) } })).rejects.toThrow(
      /append-only/,
    );
    await expect(
      db.auditText.update({ where: { eventId: BigInt(old!.id) }, data: { text: 'edited' } }),
    ).rejects.toThrow(/append-only/);
    // Age one text past retention (as the owner, with the trigger off, like an operator's backdating
    // in a test only), then let the purge take it.
    await db.$transaction([
      db.$executeRaw`ALTER TABLE audit_texts DISABLE TRIGGER audit_texts_append_only`,
      db.$executeRaw`UPDATE audit_texts SET at = now() - interval '400 days' WHERE event_id = ${BigInt(old!.id)}`,
      db.$executeRaw`ALTER TABLE audit_texts ENABLE TRIGGER audit_texts_append_only`,
    ]);
    expect(await purgeExpiredAuditTexts(db, 365)).toBeGreaterThanOrEqual(1);
    const after = (await findAuditEvents(db, { actorId })).events;
    expect(after.map((event) => event.text)).toEqual([null, young!.text]);
  });
});
