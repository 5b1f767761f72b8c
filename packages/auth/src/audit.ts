import { type Db, Prisma } from '@clearance/db';
import { z } from 'zod';

/** The actions the trail records; data carries before/after for admin changes. */
export type AuditAction =
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  | 'auth.sign_out'
  | 'user.create'
  | 'user.disable'
  | 'user.enable'
  | 'user.password_reset'
  | 'user.roles'
  | 'user.admin'
  | 'role.create'
  | 'role.rename'
  | 'role.delete'
  | 'document.grants'
  | 'document.upload'
  | 'document.delete'
  | 'document.rename'
  | 'document.download'
  | 'apikey.create'
  | 'apikey.revoke'
  | 'apikey.revoke_all'
  | 'chat.question'
  | 'chat.answer'
  | 'document.read'
  | 'search.query'
  | 'admin.see_as';

export type AuditInput = {
  /** The user who acted; null for the system (CLI, worker) or an anonymous sign-in attempt. */
  actorId: string | null;
  action: AuditAction;
  /** `"<kind>:<id>"`, e.g. `"document:…"`, `"user:…"`. */
  target?: string | null;
  data?: Prisma.InputJsonValue;
  /**
   * Free text the event is about (a question, a search query, a reason): stored beside the row in
   * audit_texts, kept for the retention period (AUDIT_TEXT_RETENTION_DAYS), whatever happens to the
   * conversation it came from.
   */
  text?: string | null;
};

type AuditWriter = Pick<Db, '$executeRaw'>;

/**
 * Appends one event, with its text, in one statement (atomic without a transaction, one round trip:
 * chat writes it before the first word of an answer is shown). Pass the transaction that made the change
 * so the change and its record commit together. Never put passwords, tokens or API key secrets in `data`.
 */
export async function recordAudit(db: AuditWriter, input: AuditInput): Promise<void> {
  // PostgreSQL text can't hold NUL; inputs refuse it earlier, this keeps the audit write from failing.
  const text = input.text ? input.text.replaceAll('\0', '') : null;
  await db.$executeRaw`
    WITH event AS (${insertAuditEvent(input)} RETURNING id)
    INSERT INTO audit_texts (event_id, text) SELECT id, ${text} FROM event WHERE ${text}::text IS NOT NULL`;
}

/** The audit_events row of an event, as an INSERT statement (also usable as a data-modifying CTE). */
function insertAuditEvent(input: Omit<AuditInput, 'text'>): Prisma.Sql {
  const data = JSON.stringify(input.data ?? {});
  return Prisma.sql`INSERT INTO audit_events (actor_id, action, target, data)
    VALUES (${input.actorId}::uuid, ${input.action}, ${input.target ?? null}, ${data}::jsonb)`;
}

/** A passage a reader was shown: identified down to the version, never its text. */
export type ReadRef = { chunkId: string; documentId: string; versionId?: string | null };

/**
 * Records that `actor` was shown document text (search results, the viewer, an admin view, the audit
 * viewer's passages). Written before the response leaves: a read that can't be recorded isn't served.
 */
export async function recordRead(
  db: AuditWriter,
  input: {
    actor: { userId: string; roleIds: string[]; via: string };
    /** Where the text was shown, e.g. `api.search`, `viewer`, `admin.document`, `admin.audit`. */
    surface: string;
    passages: ReadRef[];
    target?: string | null;
    /** The query or question that produced the passages, or the reason given for the read. */
    text?: string | null;
    data?: Record<string, Prisma.InputJsonValue | null>;
  },
): Promise<void> {
  if (input.passages.length === 0 && !input.text) return;
  await recordAudit(db, {
    actorId: input.actor.userId,
    action: input.surface === 'api.search' ? 'search.query' : 'document.read',
    target: input.target ?? null,
    text: input.text ?? null,
    data: {
      via: input.actor.via,
      surface: input.surface,
      roleIds: input.actor.roleIds,
      // Same key as chat questions, so the audit viewer's document filter finds every read.
      retrieved: input.passages.map(({ chunkId, documentId, versionId }) => ({
        chunkId,
        documentId,
        versionId: versionId ?? null,
      })),
      ...input.data,
    },
  });
}

/**
 * Deletes audit texts older than `retentionDays` (the rows themselves stay). The table's trigger
 * refuses any other delete, so this is the only way a recorded question leaves the trail.
 */
export async function purgeExpiredAuditTexts(db: Db, retentionDays: number): Promise<number> {
  const days = Math.max(1, Math.floor(retentionDays));
  const [, deleted] = await db.$transaction([
    db.$executeRaw`SELECT set_config('clearance.audit_text_retention_days', ${String(days)}, true)`,
    db.$executeRaw`DELETE FROM audit_texts WHERE at < now() - make_interval(days => ${days}::int)`,
  ]);
  return deleted;
}

export const ZAuditFilter = z.strictObject({
  actorId: z.uuid().optional(),
  action: z.string().min(1).max(100).optional(),
  documentId: z.uuid().optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type AuditFilter = z.infer<typeof ZAuditFilter>;

export type AuditEventRow = {
  id: string;
  at: Date;
  actorId: string | null;
  action: string;
  target: string | null;
  data: unknown;
  /** The question, query or reason recorded with the event, while within retention. */
  text: string | null;
};

type RawAuditRow = {
  id: bigint;
  at: Date;
  actor_id: string | null;
  action: string;
  target: string | null;
  data: unknown;
  text: string | null;
};

function whereClause(filter: AuditFilter, extra: Prisma.Sql[] = []) {
  const conditions: Prisma.Sql[] = [...extra];
  if (filter.actorId) conditions.push(Prisma.sql`actor_id = ${filter.actorId}::uuid`);
  if (filter.action) conditions.push(Prisma.sql`action = ${filter.action}`);
  if (filter.from) conditions.push(Prisma.sql`at >= ${filter.from}`);
  if (filter.to) conditions.push(Prisma.sql`at < ${filter.to}`);
  if (filter.documentId) {
    // A document appears as the target of admin events and inside chat events' retrieved/cited lists.
    const id = filter.documentId;
    conditions.push(Prisma.sql`(target = ${`document:${id}`}
      OR data @> ${JSON.stringify({ retrieved: [{ documentId: id }] })}::jsonb
      OR data @> ${JSON.stringify({ cited: [{ documentId: id }] })}::jsonb)`);
  }
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
}

function toRow(row: RawAuditRow): AuditEventRow {
  return {
    id: row.id.toString(),
    at: row.at,
    actorId: row.actor_id,
    action: row.action,
    target: row.target,
    data: row.data,
    text: row.text ?? null,
  };
}

function parseCursor(cursor: string | undefined): bigint | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,19}$/.test(cursor)) throw new Error('Invalid audit cursor');
  return BigInt(cursor);
}

/**
 * One page of audit events, newest first. `nextCursor` is passed back as `cursor` for the next page
 * (null at the end).
 */
export async function findAuditEvents(
  db: Pick<Db, '$queryRaw'>,
  query: AuditFilter & { cursor?: string; limit?: number },
): Promise<{ events: AuditEventRow[]; nextCursor: string | null }> {
  const { cursor, limit: requested, ...rest } = query;
  const filter = ZAuditFilter.parse(rest);
  const limit = Math.min(Math.max(requested ?? 50, 1), 500);
  const beforeId = parseCursor(cursor);
  const rows = await db.$queryRaw<RawAuditRow[]>`
    SELECT id, at, actor_id, action, target, data,
      (SELECT t.text FROM audit_texts t WHERE t.event_id = audit_events.id) AS text FROM audit_events
    ${whereClause(filter, beforeId === undefined ? [] : [Prisma.sql`id < ${beforeId}`])}
    ORDER BY id DESC LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit).map(toRow);
  return { events: page, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

const CSV_COLUMNS = ['id', 'at', 'actor_id', 'action', 'target', 'data', 'text'] as const;

/**
 * One CSV field: quoted when needed, and defused when a spreadsheet would read it as a formula
 * (=, +, -, @, tab, CR at the start): audit data contains user-typed text such as chat questions.
 */
export function escapeCsvField(value: string): string {
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}

/**
 * Streams the events matching `filter`, oldest first, as lines (each ending in "\n"): CSV with a
 * header row, or JSON lines. Reads in batches so an export of millions of rows stays small in memory.
 */
export async function* exportAudit(
  db: Pick<Db, '$queryRaw'>,
  filter: AuditFilter,
  format: 'csv' | 'jsonl',
): AsyncIterable<string> {
  const parsed = ZAuditFilter.parse(filter);
  if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\n`;
  let afterId = 0n;
  for (;;) {
    const rows = await db.$queryRaw<RawAuditRow[]>`
      SELECT id, at, actor_id, action, target, data,
      (SELECT t.text FROM audit_texts t WHERE t.event_id = audit_events.id) AS text FROM audit_events
      ${whereClause(parsed, [Prisma.sql`id > ${afterId}`])}
      ORDER BY id ASC LIMIT 1000`;
    for (const raw of rows) {
      const row = toRow(raw);
      if (format === 'jsonl') {
        yield `${JSON.stringify({ ...row, at: row.at.toISOString() })}\n`;
      } else {
        const fields = [row.id, row.at.toISOString(), row.actorId ?? '', row.action, row.target ?? ''];
        fields.push(JSON.stringify(row.data), row.text ?? '');
        yield `${fields.map(escapeCsvField).join(',')}\n`;
      }
    }
    if (rows.length < 1000) return;
    afterId = rows.at(-1)!.id;
  }
}

/** A retrieved or cited passage, identified down to the document version it came from. */
export type AuditedChunk = { chunkId: string; versionId: string; documentId: string };

type AuditScope = { userId: string; roleIds: string[]; via: string };
const pickChunk = ({ chunkId, versionId, documentId }: AuditedChunk) => ({ chunkId, versionId, documentId });

/**
 * Records one question for the trail that proves who saw what: the roles in force at that moment and
 * exactly which chunks (and versions) were retrieved. Written before the first word of the answer is
 * shown: an answer whose question could not be recorded is never shown.
 */
export async function recordChatQuestion(
  db: AuditWriter,
  input: {
    scope: AuditScope;
    /** The answer's message id (it is stored once the answer is complete). */
    messageId: string;
    conversationId?: string | null;
    retrieved: AuditedChunk[];
    /** The question as asked: kept with the row for the retention period, past the conversation's deletion. */
    question?: string | null;
  },
): Promise<void> {
  await recordAudit(db, {
    actorId: input.scope.userId,
    action: 'chat.question',
    target: `message:${input.messageId}`,
    text: input.question ?? null,
    data: {
      via: input.scope.via,
      roleIds: input.scope.roleIds,
      conversationId: input.conversationId ?? null,
      retrieved: input.retrieved.map(pickChunk),
    },
  });
}

export type ChatAnswerRecordInput = {
  scope: AuditScope;
  messageId: string;
  conversationId?: string | null;
  cited: AuditedChunk[];
  unanswered: boolean;
  status: 'complete' | 'stopped' | 'error';
};

/**
 * The record of how a question was answered: the chunks (and versions) the answer cites, whether it
 * answered, and how it ended. An INSERT to run as a data-modifying CTE of the statement that stores the
 * answer, so the answer and its record commit together, in one round trip.
 */
export function chatAnswerRecord(input: ChatAnswerRecordInput): Prisma.Sql {
  return insertAuditEvent({
    actorId: input.scope.userId,
    action: 'chat.answer',
    target: `message:${input.messageId}`,
    data: {
      via: input.scope.via,
      roleIds: input.scope.roleIds,
      conversationId: input.conversationId ?? null,
      cited: input.cited.map(pickChunk),
      unanswered: input.unanswered,
      status: input.status,
    },
  });
}
