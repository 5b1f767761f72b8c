import type { Metadata } from 'next';
import { requirePageScope } from '../../../server/request-scope.ts';

export const metadata: Metadata = { title: 'Chat' };

/** /chat: conversations and the thread. */
export default async function ChatPage() {
  await requirePageScope();
  return (
    <main className="flex h-full items-center justify-center p-6">
      <h1 className="text-xl font-semibold">Chat</h1>
    </main>
  );
}
