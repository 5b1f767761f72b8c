import { getDb } from '@clearance/db';
import { AppError } from '@clearance/errors';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ChatApp } from '../../../components/chat/chat-app.tsx';
import {
  findConversations,
  findThreadMessages,
  type ThreadMessage,
} from '../../../server/chat/conversations.ts';
import { suggestQuestions } from '../../../server/documents.ts';
import { requirePageScope } from '../../../server/request-scope.ts';

export const metadata: Metadata = { title: 'Chat' };

/** /chat (?c=<conversation id>): the conversation list, the thread and the composer. */
export default async function ChatPage({
  searchParams,
}: {
  searchParams: Promise<{ c?: string | string[] }>;
}) {
  const scope = await requirePageScope();
  const db = getDb();
  const { c } = await searchParams;
  const conversationId = typeof c === 'string' ? c : null;
  let messages: ThreadMessage[] = [];
  if (conversationId) {
    try {
      messages = await findThreadMessages(db, scope, conversationId);
    } catch (error) {
      // Someone else's conversation looks exactly like a missing one.
      if (error instanceof AppError && error.status === 404) notFound();
      throw error;
    }
  }
  const [conversations, suggestions] = await Promise.all([
    findConversations(db, scope),
    suggestQuestions(db, scope),
  ]);
  return (
    <ChatApp
      initialConversations={conversations}
      initialConversationId={conversationId}
      initialMessages={messages}
      suggestions={suggestions}
    />
  );
}
