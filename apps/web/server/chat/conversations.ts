import 'server-only';
import { type AccessScope, isUuid, withManage, withScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';
import type { ChatCitation } from './types.ts';

export type ConversationSummary = { id: string; title: string; updatedAt: string };

export type ThreadMessage = {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  status: 'complete' | 'stopped' | 'error';
  unanswered: boolean;
  createdAt: string;
  citations: ChatCitation[];
  feedback: { value: 1 | -1; comment: string | null } | null;
  /**
   * Set when the answer cites a document the caller can no longer read: `content` is then empty, because
   * an answer restates its sources, and history must not outlive access.
   */
  hidden?: HiddenReason;
};

/** Why a stored answer is hidden: a cited document was deleted, or is no longer granted to the caller. */
export type HiddenReason = 'document_deleted' | 'access_revoked';

/**
 * The caller's answers among `messageIds` that cite a document the caller can't read now, with the
 * reason. Citations of unreadable documents are invisible under the caller's row-level security, so
 * their existence is checked in manage mode; only message ids and a reason come out, never a title.
 * The answer path must skip these too when it builds history for a follow-up question.
 */
export async function findHiddenAnswers(
  db: Db,
  scope: AccessScope,
  messageIds: string[],
): Promise<Map<string, HiddenReason>> {
  if (messageIds.length === 0) return new Map();
  const rows = await withManage(
    db,
    (tx) =>
      tx.$queryRaw<{ message_id: string; deleted: boolean }[]>`
      SELECT c.message_id::text, bool_or(d.deleted_at IS NOT NULL) AS deleted
      FROM citations c
      JOIN messages m ON m.id = c.message_id
      JOIN conversations cv ON cv.id = m.conversation_id AND cv.user_id = ${scope.userId}::uuid
      JOIN documents d ON d.id = c.document_id
      WHERE c.message_id = ANY(${messageIds}::uuid[])
        AND (d.deleted_at IS NOT NULL OR NOT EXISTS (
          SELECT 1 FROM document_grants g
          WHERE g.document_id = d.id AND g.role_id = ANY(${scope.roleIds}::uuid[])))
      GROUP BY c.message_id`,
  );
  return new Map(
    rows.map((row) => [row.message_id, row.deleted ? 'document_deleted' : 'access_revoked'] as const),
  );
}

export const DEFAULT_TITLE = 'New conversation';

/** A conversation title from the first question: one line, at most 80 characters. */
export function titleFromQuestion(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  if (!line) return DEFAULT_TITLE;
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

/**
 * The caller's conversation, or not_found. Conversations are private to their owner: another user's id
 * (admins included) is indistinguishable from one that does not exist.
 */
export async function getOwnConversation(db: Db, scope: AccessScope, conversationId: string) {
  if (!isUuid(conversationId)) throw new AppError('not_found:conversation');
  const conversation = await db.conversation.findFirst({
    where: { id: conversationId, userId: scope.userId },
    select: { id: true, title: true, updatedAt: true },
  });
  if (!conversation) throw new AppError('not_found:conversation');
  return conversation;
}

/**
 * The caller's conversations, newest first; `search` matches titles and the caller's own messages.
 * Conversations held through API keys (an integration's traffic) are left out unless `includeApi`.
 */
export async function findConversations(
  db: Db,
  scope: AccessScope,
  options: { search?: string; limit?: number; includeApi?: boolean } = {},
): Promise<ConversationSummary[]> {
  const search = options.search?.trim().slice(0, 200);
  let matchingConversationIds: string[] = [];
  if (search) {
    // Message matches count only for messages the caller may still see: a hidden answer's text must
    // not be findable by guessing words of it.
    const matches = await db.message.findMany({
      where: {
        conversation: { userId: scope.userId },
        content: { contains: search, mode: 'insensitive' },
      },
      select: { id: true, role: true, conversationId: true },
      take: 2000,
    });
    const hidden = await findHiddenAnswers(
      db,
      scope,
      matches.filter((match) => match.role === 'assistant').map((match) => match.id),
    );
    matchingConversationIds = [
      ...new Set(matches.filter((match) => !hidden.has(match.id)).map((match) => match.conversationId)),
    ];
  }
  const rows = await db.conversation.findMany({
    where: {
      userId: scope.userId,
      ...(search
        ? {
            OR: [
              { title: { contains: search, mode: 'insensitive' } },
              { id: { in: matchingConversationIds } },
            ],
          }
        : {}),
    },
    orderBy: { updatedAt: 'desc' },
    take: Math.min(Math.max(options.limit ?? 100, 1), 500),
    select: { id: true, title: true, updatedAt: true },
  });
  const viaApi = options.includeApi ? new Set<string>() : await findApiConversationIds(db, scope, rows);
  return rows
    .filter((row) => !viaApi.has(row.id))
    .map((row) => ({ id: row.id, title: row.title, updatedAt: row.updatedAt.toISOString() }));
}

/** Which of these conversations had a question asked through an API key (read from the audit trail). */
async function findApiConversationIds(db: Db, scope: AccessScope, rows: Array<{ id: string }>) {
  if (rows.length === 0) return new Set<string>();
  const found = await db.$queryRaw<Array<{ id: string }>>`
    SELECT DISTINCT data->>'conversationId' AS id FROM audit_events
    WHERE actor_id = ${scope.userId}::uuid AND action = 'chat.question' AND data->>'via' = 'apikey'
      AND data->>'conversationId' = ANY(${rows.map((row) => row.id)}::text[])`;
  return new Set(found.map((row) => row.id));
}

/** Starts an empty conversation for the caller. */
export async function createConversation(db: Db, scope: AccessScope, title = DEFAULT_TITLE) {
  const row = await db.conversation.create({
    data: { userId: scope.userId, title: titleFromQuestion(title) },
    select: { id: true, title: true, updatedAt: true },
  });
  return { id: row.id, title: row.title, updatedAt: row.updatedAt.toISOString() };
}

/** Renames one of the caller's conversations (404 for anyone else's). */
export async function renameConversation(db: Db, scope: AccessScope, conversationId: string, title: string) {
  await getOwnConversation(db, scope, conversationId);
  const row = await db.conversation.update({
    where: { id: conversationId },
    data: { title: titleFromQuestion(title) },
    select: { id: true, title: true, updatedAt: true },
  });
  return { id: row.id, title: row.title, updatedAt: row.updatedAt.toISOString() };
}

/** Deletes one of the caller's conversations with its messages, citations and feedback (cascade). */
export async function deleteConversation(db: Db, scope: AccessScope, conversationId: string): Promise<void> {
  if (!isUuid(conversationId)) throw new AppError('not_found:conversation');
  const { count } = await db.conversation.deleteMany({ where: { id: conversationId, userId: scope.userId } });
  if (count === 0) throw new AppError('not_found:conversation');
}

type CitationRow = {
  message_id: string;
  marker: number;
  chunk_id: string | null;
  document_id: string;
  version_id: string;
  quote: string;
  title: string;
  page: number | null;
  heading_path: string[] | null;
};

/**
 * The messages of one of the caller's conversations with their citations. Citations are read under
 * row-level security in the caller's current scope: a source whose document the caller can no longer
 * read disappears from old answers too.
 */
export async function findThreadMessages(
  db: Db,
  scope: AccessScope,
  conversationId: string,
): Promise<ThreadMessage[]> {
  await getOwnConversation(db, scope, conversationId);
  const messages = await db.message.findMany({
    where: { conversationId },
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      role: true,
      content: true,
      status: true,
      unanswered: true,
      createdAt: true,
      feedback: { where: { userId: scope.userId }, select: { value: true, comment: true } },
    },
  });
  const assistantIds = messages
    .filter((message) => message.role === 'assistant')
    .map((message) => message.id);
  const citations = assistantIds.length
    ? await withScope(
        db,
        scope,
        (tx) =>
          tx.$queryRaw<CitationRow[]>`
          SELECT c.message_id::text, c.marker, c.chunk_id::text, c.document_id::text, c.version_id::text, c.quote,
            d.title, ch.page, ch.heading_path
          FROM citations c
          JOIN documents d ON d.id = c.document_id
          LEFT JOIN chunks ch ON ch.id = c.chunk_id
          WHERE c.message_id = ANY(${assistantIds}::uuid[])
          ORDER BY c.marker`,
      )
    : [];
  const hidden = await findHiddenAnswers(db, scope, assistantIds);
  const byMessage = new Map<string, ChatCitation[]>();
  for (const row of citations) {
    if (!row.chunk_id) continue;
    const list = byMessage.get(row.message_id) ?? [];
    list.push({
      marker: row.marker,
      chunkId: row.chunk_id,
      documentId: row.document_id,
      versionId: row.version_id,
      title: row.title,
      page: row.page,
      headingPath: row.heading_path ?? [],
      quote: row.quote,
    });
    byMessage.set(row.message_id, list);
  }
  return messages.map((message) => {
    const feedback = message.feedback[0];
    const hiddenReason = hidden.get(message.id);
    return {
      id: message.id,
      role: message.role,
      content: hiddenReason ? '' : message.content,
      status: message.status,
      unanswered: message.unanswered,
      createdAt: message.createdAt.toISOString(),
      citations: hiddenReason ? [] : (byMessage.get(message.id) ?? []),
      feedback: feedback ? { value: feedback.value === 1 ? 1 : -1, comment: feedback.comment } : null,
      ...(hiddenReason ? { hidden: hiddenReason } : {}),
    };
  });
}

/** Records the caller's thumbs up/down (and optional comment) on an answer in their own conversation. */
export async function setFeedback(
  db: Db,
  scope: AccessScope,
  input: { messageId: string; value: 1 | -1; comment?: string | null },
): Promise<void> {
  if (!isUuid(input.messageId)) throw new AppError('not_found:message');
  const message = await db.message.findFirst({
    where: { id: input.messageId, role: 'assistant', conversation: { userId: scope.userId } },
    select: { id: true },
  });
  if (!message) throw new AppError('not_found:message');
  const comment = input.comment?.trim() ? input.comment.trim().slice(0, 2000) : null;
  await db.feedback.upsert({
    where: { messageId_userId: { messageId: message.id, userId: scope.userId } },
    create: { messageId: message.id, userId: scope.userId, value: input.value, comment },
    update: { value: input.value, comment },
  });
}
