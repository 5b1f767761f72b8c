import 'server-only';
import { randomUUID } from 'node:crypto';
import { type AccessScope, chatAnswerRecord, recordChatQuestion, withScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { AppError, isAppError } from '@clearance/errors';
import { type Generator, isNoAnswer, loadGenerator, readGeneration } from '@clearance/inference';
import { detectSmallTalk } from '@clearance/text';
import { readWebEnv } from '../env.ts';
import { type AnswerChainOptions, createAnswerChain } from './answer-chain.ts';
import { SYSTEM_INSTRUCTIONS } from './build-prompt.ts';
import { checkCitations, createMarkerFilter } from './check-citations.ts';
import { DEFAULT_TITLE, findHiddenAnswers, getOwnConversation, titleFromQuestion } from './conversations.ts';
import { createEventChannel } from './event-channel.ts';
import { createAnswerGuard } from './guard-answer.ts';
import type { HistoryTurn } from './rewrite-question.ts';
import { replyToSmallTalk } from './small-talk.ts';
import type { ChatEvent, ChatPassage } from './types.ts';

/** Said instead of an answer when nothing readable is relevant: never general knowledge. */
export const NOTHING_FOUND_TEXT =
  "I couldn't find anything in the documents you have access to that answers this. Try rephrasing, or ask an administrator whether the document you need has been shared with one of your roles.";

/**
 * Appended to an answer that cites none of the retrieved passages. Such an answer can't be traced to a
 * document (a model answering from general knowledge, or obeying text in a passage), so it is flagged:
 * stored as unanswered (usage counts it as a gap, the audit record says so) and shown with this note
 * rather than hidden, because the text may still help and hiding it would look like a failure.
 */
export const UNCITED_NOTE =
  '*This answer cites none of the passages found in your documents, so it could not be checked against them.*';
export const MAX_QUESTION_CHARS = 4_000;

export type AnswerQuestionInput = {
  db: Db;
  scope: AccessScope;
  /** Continue this conversation (the caller's own; 404 otherwise). Omitted: a new conversation. */
  conversationId?: string;
  /** The question; optional only when regenerating. */
  message?: string;
  /** Replace the conversation's last answer with a new one to its last question. */
  regenerate?: boolean;
  signal?: AbortSignal;
  /** Test seams: the generator and the scope's retriever (defaults: configured generator, ScopedRetriever). */
  generator?: Generator;
  createRetriever?: AnswerChainOptions['createRetriever'];
};

type Prepared = {
  conversationId: string;
  title: string;
  question: string;
  userMessageId: string;
  history: HistoryTurn[];
  /** Writes of the question still in flight; they run beside retrieval and must land before the answer. */
  pendingWrites: Promise<unknown>;
  /** Regenerate: the answers the new one replaces, deleted in the transaction that saves it. */
  replaces?: string[];
};

async function prepareConversation(input: AnswerQuestionInput): Promise<Prepared> {
  const { db, scope } = input;
  const message = input.message?.trim() ?? '';
  if (!input.regenerate && !message) throw new AppError('bad_request:message', 'message: must not be empty');
  if (message.length > MAX_QUESTION_CHARS) {
    throw new AppError('bad_request:message', `message: at most ${MAX_QUESTION_CHARS} characters`);
  }
  if (input.regenerate) {
    if (!input.conversationId)
      throw new AppError('bad_request:regenerate', 'regenerate needs a conversationId');
    const conversation = await getOwnConversation(db, scope, input.conversationId);
    const last = await db.message.findMany({
      where: { conversationId: conversation.id },
      orderBy: { createdAt: 'desc' },
      take: 2,
      select: { id: true, role: true, content: true },
    });
    const lastUser = last.find((entry) => entry.role === 'user');
    if (!lastUser) throw new AppError('bad_request:regenerate', 'There is no question to answer again.');
    const staleAnswers = last.filter((entry) => entry.role === 'assistant').map((entry) => entry.id);
    const history = await findHistory(db, scope, conversation.id, lastUser.id);
    return {
      conversationId: conversation.id,
      title: conversation.title,
      question: lastUser.content,
      userMessageId: lastUser.id,
      history,
      pendingWrites: Promise.resolve(),
      replaces: staleAnswers,
    };
  }
  const userMessageId = randomUUID();
  if (input.conversationId) {
    const conversation = await getOwnConversation(db, scope, input.conversationId);
    const conversationId = conversation.id;
    const title = conversation.title === DEFAULT_TITLE ? titleFromQuestion(message) : conversation.title;
    const history = await findHistory(db, scope, conversationId);
    const pendingWrites = Promise.all([
      title === conversation.title
        ? null
        : db.conversation.update({ where: { id: conversationId }, data: { title } }),
      db.message.create({ data: { id: userMessageId, conversationId, role: 'user', content: message } }),
    ]);
    pendingWrites.catch(() => {});
    return { conversationId, title, question: message, userMessageId, history, pendingWrites };
  }
  // A new conversation and its first question in one statement (one round trip before retrieval starts).
  const conversationId = randomUUID();
  const title = titleFromQuestion(message);
  const pendingWrites = db.$executeRaw`
    WITH conversation AS (
      INSERT INTO conversations (id, user_id, title) VALUES (${conversationId}::uuid, ${scope.userId}::uuid, ${title})
      RETURNING id
    )
    INSERT INTO messages (id, conversation_id, role, content)
    SELECT ${userMessageId}::uuid, conversation.id, 'user'::message_role, ${message} FROM conversation`;
  pendingWrites.catch(() => {});
  return { conversationId, title, question: message, userMessageId, history: [], pendingWrites };
}

async function findHistory(
  db: Db,
  scope: AccessScope,
  conversationId: string,
  beforeMessageId?: string,
): Promise<HistoryTurn[]> {
  const rows = await db.message.findMany({
    where: { conversationId, status: { not: 'error' } },
    orderBy: { createdAt: 'desc' },
    take: 12,
    select: { id: true, role: true, content: true },
  });
  const ordered = rows.reverse();
  const end = beforeMessageId ? ordered.findIndex((row) => row.id === beforeMessageId) : -1;
  const turns = end === -1 ? ordered : ordered.slice(0, end);
  // An answer citing a document the asker can no longer read stays out of the follow-up context: its
  // facts would otherwise flow into the rewritten question.
  const hidden = await findHiddenAnswers(
    db,
    scope,
    turns.filter((row) => row.role === 'assistant').map((row) => row.id),
  );
  return turns.filter((row) => !hidden.has(row.id)).map((row) => ({ role: row.role, content: row.content }));
}

/**
 * Answers a question in the caller's scope and streams the answer as ChatEvents: resolve the
 * conversation (the caller's own), rewrite a follow-up into a standalone question, retrieve passages
 * in scope, generate from instructions + fenced passages, drop citation markers that refer to no
 * retrieved passage, then persist the answer, its citations and timings. The question and what was
 * retrieved are audited (`chat.question`) before the first word is shown; the citations (`chat.answer`)
 * with the answer.
 *
 * The work runs to completion even if the consumer stops reading: aborting `signal` (Stop, or the
 * client going away) ends generation early and the partial answer is saved with status "stopped".
 * Validation and ownership errors are thrown before the first event (so routes can answer 400/404).
 */
export async function answerQuestion(input: AnswerQuestionInput): Promise<AsyncIterable<ChatEvent>> {
  const prepared = await prepareConversation(input);
  const channel = createEventChannel<ChatEvent>({
    merge: (last, next) =>
      last.type === 'delta' && next.type === 'delta' ? { type: 'delta', text: last.text + next.text } : null,
  });
  void runAnswer(input, prepared, channel.push).finally(channel.close);
  return channel;
}

async function runAnswer(input: AnswerQuestionInput, prepared: Prepared, emit: (event: ChatEvent) => void) {
  const { db, scope, signal } = input;
  const startedAt = performance.now();
  const messageId = randomUUID();
  emit({
    type: 'meta',
    conversationId: prepared.conversationId,
    messageId,
    userMessageId: prepared.userMessageId,
    title: prepared.title,
  });
  let content = '';
  let passages: ChatPassage[] = [];
  let standaloneQuery = prepared.question;
  let generatorId: string | null = null;
  let ttftMs: number | null = null;
  let promptTokens: number | null = null;
  let completionTokens: number | null = null;
  let status: 'complete' | 'stopped' | 'error' = 'complete';
  let unanswered = false;
  let showsClosest = false;
  // The question and what was retrieved for it are on record before the first word is shown: started as
  // soon as the passages are known (beside generation), awaited before any text goes out. If it can't be
  // written, nothing is shown.
  let questionRecorded: Promise<void> | null = null;
  const recordQuestion = () =>
    (questionRecorded ??= recordChatQuestion(db, {
      scope,
      messageId,
      conversationId: prepared.conversationId,
      retrieved: passages,
      question: prepared.question,
    }));
  const show = async (text: string) => {
    await recordQuestion();
    ttftMs ??= Math.round(performance.now() - startedAt);
    content += text;
    emit({ type: 'delta', text });
  };
  try {
    const smallTalk = detectSmallTalk(prepared.question);
    if (smallTalk) {
      // Greetings, thanks, "who are you": a short reply naming what can be asked, with no search.
      void recordQuestion().catch(() => {});
      await show(await replyToSmallTalk(db, scope, smallTalk));
    } else {
      const generator = input.generator ?? (await loadGenerator());
      generatorId = generator.id;
      // Markers are renumbered in order of appearance as they stream ([3] then [1] reads [1] then [2]).
      let markers = createMarkerFilter(new Set());
      // Where the model's text starts in `content`: after the spelling notice, if any.
      let answerStart = 0;
      const chain = createAnswerChain({
        db,
        scope,
        generator,
        createRetriever: input.createRetriever,
        // Runs before the model writes its first word.
        onRetrieved: async (grounded) => {
          passages = grounded.passages;
          standaloneQuery = grounded.question;
          // Unawaited here (a failure surfaces where show() awaits it): the write runs beside generation.
          void recordQuestion().catch(() => {});
          if (grounded.correctedQuery) {
            // Misspelt words were corrected to words of the asker's own documents: answer the corrected
            // question and say so, as a search engine does.
            await show(`*Showing results for “${grounded.correctedQuery.replace(/[*_`]/g, '')}”.*\n\n`);
          }
          answerStart = content.length;
          markers = createMarkerFilter(new Set(passages.map((passage) => passage.marker)));
        },
      });
      // Before the marker filter: links, images and echoed instructions are defused on the model's raw
      // text, server-side, so no client (web or API) ever receives them.
      const guard = createAnswerGuard({
        instructions: SYSTEM_INSTRUCTIONS,
        appOrigin: readWebEnv().appUrl,
      });
      const generation = readGeneration(
        () => chain.stream({ question: prepared.question, history: prepared.history }, { signal }),
        signal,
      );
      for await (const delta of generation) {
        const text = markers.push(guard.push(delta));
        if (text) await show(text);
      }
      const result = await generation.result;
      if (result.stopped || signal?.aborted) status = 'stopped';
      if (passages.length === 0) {
        // The chain did not call the model: there was nothing to answer from.
        if (status === 'complete') {
          unanswered = true;
          await show(NOTHING_FOUND_TEXT);
        }
      } else {
        const rest = markers.push(guard.flush()) + markers.flush();
        if (rest) await show(rest);
        passages = markers.renumber(passages);
        promptTokens = result.promptTokens;
        completionTokens = result.completionTokens;
        const answer = content.slice(answerStart);
        if (status === 'complete' && (result.answered === false || isNoAnswer(answer))) {
          unanswered = true;
          // A "closest passages" reply cites what it shows; a plain "couldn't find" cites nothing.
          showsClosest = result.outcome === 'closest';
          // The generator's own "couldn't find" wording is replaced by ours on save: one message for users.
          if (!answer.trim()) content += NOTHING_FOUND_TEXT;
        } else if (status === 'complete' && checkCitations(answer, passages).length === 0) {
          unanswered = true;
          await show(`${content.trim() ? '\n\n' : ''}${UNCITED_NOTE}`);
        }
      }
    }
  } catch (error) {
    if (signal?.aborted) {
      status = 'stopped';
    } else {
      status = 'error';
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      console.error(
        'chat: answer failed:',
        error instanceof Error ? `${error.stack ?? error.message}${cause}` : error,
      );
      // An AppError's message is written for users (e.g. the model server is down); anything else is not.
      const message = isAppError(error)
        ? error.message
        : 'The answer could not be completed. Please try again.';
      emit({ type: 'error', message });
    }
  }
  const citations = unanswered && !showsClosest ? [] : checkCitations(content, passages);
  try {
    await prepared.pendingWrites;
  } catch (error) {
    console.error('chat: saving the question failed:', error instanceof Error ? error.message : error);
    emit({ type: 'error', message: 'The question could not be saved. Please try again.' });
    return;
  }
  const latencyMs = Math.round(performance.now() - startedAt);
  try {
    // One short transaction in read mode: the answer, its citations and its audit record commit together,
    // and row-level security accepts only citations of documents this scope may read (a second guard
    // behind the marker check).
    await withScope(db, scope, async (tx) => {
      // Here, not before generating: an answer that can't be saved must leave the previous one in place.
      if (prepared.replaces?.length)
        await tx.message.deleteMany({ where: { id: { in: prepared.replaces } } });
      // The answer, its citations, the conversation's touch and the chat.answer record in one statement
      // (each was a round trip; under load the chat's CPU goes to round trips). Citations reference the
      // message inserted beside them: foreign keys are checked at the end of the statement.
      const cited = citations.map((citation) => ({
        chunk_id: citation.chunkId,
        document_id: citation.documentId,
        version_id: citation.versionId,
        marker: citation.marker,
        quote: citation.quote,
      }));
      await tx.$executeRaw`
        WITH message AS (
          INSERT INTO messages (id, conversation_id, role, content, status, standalone_query, generator_id,
            latency_ms, ttft_ms, prompt_tokens, completion_tokens, unanswered)
          VALUES (${messageId}::uuid, ${prepared.conversationId}::uuid, 'assistant', ${content},
            ${status}::message_status, ${standaloneQuery}, ${generatorId}, ${latencyMs}::int, ${ttftMs}::int,
            ${promptTokens}::int, ${completionTokens}::int, ${unanswered})
          RETURNING id
        ),
        cited AS (
          INSERT INTO citations (message_id, chunk_id, document_id, version_id, marker, quote)
          SELECT message.id, c.chunk_id, c.document_id, c.version_id, c.marker, c.quote
          FROM message, jsonb_to_recordset(${JSON.stringify(cited)}::jsonb)
            AS c(chunk_id uuid, document_id uuid, version_id uuid, marker int, quote text)
        ),
        touched AS (
          UPDATE conversations SET updated_at = ${new Date()} WHERE id = ${prepared.conversationId}::uuid
        ),
        recorded AS (${chatAnswerRecord({
          scope,
          messageId,
          conversationId: prepared.conversationId,
          cited: citations,
          unanswered,
          status,
        })})
        SELECT 1`;
    });
  } catch (error) {
    console.error('chat: saving the answer failed:', error instanceof Error ? error.message : error);
    if (status !== 'error') emit({ type: 'error', message: 'The answer could not be saved.' });
    return;
  }
  if (status === 'error') return;
  emit({ type: 'citations', citations });
  emit({ type: 'done', status, unanswered, content, ttftMs, latencyMs });
}
