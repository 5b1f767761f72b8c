import 'server-only';
import {
  type AccessScope,
  type AuditEventRow,
  type AuditFilter,
  findAuditEvents,
  isUuid,
  recordRead,
  requireAdmin,
  withManage,
} from '@clearance/auth';
import type { Db } from '@clearance/db';
import { z } from 'zod';

/** The audit page's filters as they arrive in the query string (dates are inclusive days). */
export const ZAuditQuery = z.strictObject({
  actor: z.string().trim().max(320).optional(),
  action: z
    .string()
    .trim()
    .regex(/^[a-z_.]{1,100}$/, 'use an action name such as chat.question')
    .optional(),
  document: z.uuid().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  cursor: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
});
export type AuditQuery = z.infer<typeof ZAuditQuery>;

export type PassageRef = {
  chunkId: string | null;
  documentId: string;
  title: string;
  /** Null when the passage is gone, or when the viewing admin's roles may not read its document. */
  text: string | null;
  /** Why `text` is null: `gone` (re-indexed or deleted), `not_cleared` (the admin's roles can't read it). */
  hidden?: 'gone' | 'not_cleared';
  marker?: number;
};

export type AuditEventView = {
  id: string;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  targetLabel: string | null;
  data: unknown;
  question?: string;
  retrieved?: PassageRef[];
  cited?: PassageRef[];
};

/**
 * Turns the query-string filters into the audit package's filter: the actor may be given by email or
 * id; `to` includes the whole day. An unknown actor email matches nothing (not everything).
 */
export async function resolveAuditFilter(db: Db, query: AuditQuery): Promise<AuditFilter | null> {
  const filter: AuditFilter = {};
  if (query.actor) {
    const email = query.actor.toLowerCase();
    if (isUuid(query.actor)) filter.actorId = query.actor;
    else {
      const user = await db.user.findUnique({
        where: { email },
        select: { id: true },
      });
      if (!user) return null;
      filter.actorId = user.id;
    }
  }
  if (query.action) filter.action = query.action;
  if (query.document) filter.documentId = query.document;
  if (query.from) filter.from = new Date(`${query.from}T00:00:00Z`);
  if (query.to) filter.to = new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000);
  return filter;
}

// Events per page: enough to scan, small enough that each chat question's passages can be shown.
export const AUDIT_PAGE_SIZE = 25;

/** One page of audit events, with actors, targets and chat passages spelled out (admin only). */
export async function findAuditPage(
  db: Db,
  actor: AccessScope,
  query: AuditQuery,
): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  requireAdmin(actor);
  const filter = await resolveAuditFilter(db, query);
  if (!filter) return { events: [], nextCursor: null };
  const page = await findAuditEvents(db, { ...filter, cursor: query.cursor, limit: AUDIT_PAGE_SIZE });
  return { events: await describeAuditEvents(db, actor, page.events), nextCursor: page.nextCursor };
}

type Ref = { chunkId?: string | null; documentId?: string; marker?: number };

function readRefs(value: unknown): Ref[] {
  return Array.isArray(value) ? (value.filter((item) => item && typeof item === 'object') as Ref[]) : [];
}

/**
 * The question each audited answer (target `message:<id>`) replied to: the asker's last message before
 * the answer in its conversation. Gone when the user deleted the conversation.
 */
async function findQuestionsOfAnswers(db: Db, events: AuditEventRow[]): Promise<Map<string, string>> {
  const ids = events.flatMap((event) => {
    const [kind, id] = (event.target ?? '').split(':');
    return event.action === 'chat.question' && !event.text && kind === 'message' && isUuid(id) ? [id!] : [];
  });
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ id: string; question: string | null }>>`
    SELECT a.id::text, (
      SELECT u.content FROM messages u
      WHERE u.conversation_id = a.conversation_id AND u.role = 'user' AND u.created_at <= a.created_at
      ORDER BY u.created_at DESC LIMIT 1
    ) AS question
    FROM messages a WHERE a.id = ANY(${ids}::uuid[])`;
  return new Map(rows.flatMap((row) => (row.question ? [[row.id, row.question] as const] : [])));
}

/** Adds actor emails, target names and, for chat questions, the question and the passages' text. */
export async function describeAuditEvents(
  db: Db,
  actor: AccessScope,
  events: AuditEventRow[],
): Promise<AuditEventView[]> {
  const actorIds = [...new Set(events.flatMap((event) => (event.actorId ? [event.actorId] : [])))];
  const chunkIds = new Set<string>();
  const documentIds = new Set<string>();
  const userIds = new Set<string>();
  const roleIds = new Set<string>();
  for (const event of events) {
    const data = (event.data ?? {}) as Record<string, unknown>;
    for (const ref of [...readRefs(data.retrieved), ...readRefs(data.cited)]) {
      if (isUuid(ref.chunkId)) chunkIds.add(ref.chunkId);
      if (isUuid(ref.documentId)) documentIds.add(ref.documentId);
    }
    const [kind, id] = (event.target ?? '').split(':');
    if (isUuid(id) && kind === 'document') documentIds.add(id);
    if (isUuid(id) && kind === 'user') userIds.add(id);
    if (isUuid(id) && kind === 'role') roleIds.add(id);
  }
  const users = await db.user.findMany({
    where: { id: { in: [...actorIds, ...userIds] } },
    select: { id: true, email: true },
  });
  const roles = await db.role.findMany({
    where: { id: { in: [...roleIds] } },
    select: { id: true, name: true },
  });
  const questionOf = await findQuestionsOfAnswers(db, events);
  const emailOf = new Map(users.map((user) => [user.id, user.email]));
  const roleOf = new Map(roles.map((role) => [role.id, role.name]));
  // Titles are metadata (manage mode). Passage text is a read like any other: only of documents the
  // admin's own roles may read now, and on the record before the page shows it.
  const { titles, texts, existing } = await withManage(db, async (tx) => {
    const documents = await tx.document.findMany({
      where: { id: { in: [...documentIds] } },
      select: { id: true, title: true },
    });
    const chunks = await tx.chunk.findMany({
      where: {
        id: { in: [...chunkIds] },
        document: { deletedAt: null, grants: { some: { roleId: { in: actor.roleIds } } } },
      },
      select: { id: true, text: true, documentId: true, versionId: true },
    });
    const stored = await tx.chunk.findMany({ where: { id: { in: [...chunkIds] } }, select: { id: true } });
    if (chunks.length > 0) {
      await recordRead(tx, {
        actor,
        surface: 'admin.audit',
        passages: chunks.map((chunk) => ({
          chunkId: chunk.id,
          documentId: chunk.documentId,
          versionId: chunk.versionId,
        })),
      });
    }
    return {
      titles: new Map(documents.map((doc) => [doc.id, doc.title])),
      texts: new Map(chunks.map((chunk) => [chunk.id, chunk.text])),
      existing: new Set(stored.map((chunk) => chunk.id)),
    };
  });
  const toPassage = (ref: Ref): PassageRef => {
    const text = ref.chunkId ? (texts.get(ref.chunkId) ?? null) : null;
    const hidden =
      text !== null ? undefined : ref.chunkId && existing.has(ref.chunkId) ? 'not_cleared' : 'gone';
    return {
      chunkId: ref.chunkId ?? null,
      documentId: ref.documentId ?? '',
      title: titles.get(ref.documentId ?? '') ?? 'Deleted document',
      text,
      ...(hidden ? { hidden } : {}),
      ...(ref.marker !== undefined ? { marker: ref.marker } : {}),
    };
  };
  return events.map((event) => {
    const data = (event.data ?? {}) as Record<string, unknown>;
    const [kind, id] = (event.target ?? '').split(':');
    const targetLabel =
      kind === 'document'
        ? (titles.get(id ?? '') ?? null)
        : kind === 'user'
          ? (emailOf.get(id ?? '') ?? null)
          : kind === 'role'
            ? (roleOf.get(id ?? '') ?? null)
            : null;
    const view: AuditEventView = {
      id: event.id,
      at: event.at.toISOString(),
      actor: event.actorId ? (emailOf.get(event.actorId) ?? event.actorId) : null,
      action: event.action,
      target: event.target,
      targetLabel,
      data: event.data,
    };
    if (kind === 'message' && questionOf.has(id ?? '')) view.targetLabel = 'answer';
    if (event.text) view.question = event.text;
    else if (typeof data.question === 'string') view.question = data.question;
    // Questions audited before their text was kept with the event: read from the conversation.
    else if (questionOf.has(id ?? '')) view.question = questionOf.get(id ?? '');
    if (
      ['chat.question', 'chat.answer', 'admin.see_as', 'search.query', 'document.read'].includes(event.action)
    ) {
      view.retrieved = readRefs(data.retrieved).map(toPassage);
      view.cited = readRefs(data.cited).map(toPassage);
    }
    return view;
  });
}
