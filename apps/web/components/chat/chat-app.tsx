'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ConversationSummary, ThreadMessage } from '../../server/chat/conversations.ts';
import type { ChatEvent } from '../../server/chat/types.ts';
import { Button } from '../ui/button.tsx';
import { useToast } from '../ui/toast.tsx';
import { Composer } from './composer.tsx';
import { ConversationList } from './conversation-list.tsx';
import { MessageView, type ViewMessage } from './message-view.tsx';
import { SourcesPanel } from './sources-panel.tsx';
import { ChatRequestError, describeChatFailure, streamChat } from './stream-chat.ts';

// Stop pressed before the answer's id arrived (it is the first event, sent at once): how long to wait
// for it before aborting anyway.
const STOP_WAIT_FOR_ID_MS = 10_000;

type Props = {
  initialConversations: ConversationSummary[];
  initialConversationId: string | null;
  initialMessages: ThreadMessage[];
  suggestions: string[];
};

async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) {
    const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(payload?.error?.message ?? `Request failed (${response.status}).`);
  }
  return (response.status === 204 ? null : await response.json()) as T;
}

/** The chat page: conversations, the streaming thread, the composer and the sources of an answer. */
export function ChatApp({
  initialConversations,
  initialConversationId,
  initialMessages,
  suggestions,
}: Props) {
  const router = useRouter();
  const { toast } = useToast();
  const [conversations, setConversations] = useState(initialConversations);
  const [conversationId, setConversationId] = useState(initialConversationId);
  const [messages, setMessages] = useState<ViewMessage[]>(initialMessages);
  const [search, setSearch] = useState('');
  const [isStreaming, setIsStreaming] = useState(false);
  const [selected, setSelected] = useState<{ messageId: string; marker: number | null } | null>(null);
  const [showSidebar, setShowSidebar] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const stopRef = useRef<(() => void) | null>(null);
  const threadEndRef = useRef<HTMLDivElement>(null);

  const [includeApi, setIncludeApi] = useState(false);
  const refreshConversations = useCallback(
    async (query: string) => {
      const params = new URLSearchParams();
      if (query) params.set('search', query);
      if (includeApi) params.set('include', 'api');
      const data = await fetchJson<{ conversations: ConversationSummary[] }>(`/api/conversations?${params}`);
      setConversations(data.conversations);
    },
    [includeApi],
  );

  useEffect(() => {
    const timer = setTimeout(() => void refreshConversations(search).catch(() => {}), 250);
    return () => clearTimeout(timer);
  }, [search, refreshConversations]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever the thread grows or streams.
  useEffect(() => {
    threadEndRef.current?.scrollIntoView({ block: 'end' });
  }, [messages]);

  const lastAnswer = [...messages].reverse().find((message) => message.role === 'assistant');
  const selectedMessage = messages.find((message) => message.id === selected?.messageId) ?? lastAnswer;
  const citations = useMemo(() => selectedMessage?.citations ?? [], [selectedMessage]);

  async function openConversation(id: string) {
    abortRef.current?.abort();
    setShowSidebar(false);
    try {
      const data = await fetchJson<{ messages: ThreadMessage[] }>(`/api/conversations/${id}/messages`);
      setConversationId(id);
      setMessages(data.messages);
      setSelected(null);
      router.replace(`/chat?c=${id}`, { scroll: false });
    } catch (caught) {
      toast((caught as Error).message, 'error');
    }
  }

  function startNewChat() {
    abortRef.current?.abort();
    setConversationId(null);
    setMessages([]);
    setSelected(null);
    setShowSidebar(false);
    router.replace('/chat', { scroll: false });
  }

  async function ask(body: { message?: string; regenerate?: boolean }) {
    const controller = new AbortController();
    abortRef.current = controller;
    setIsStreaming(true);
    const pendingId = `pending-${Date.now()}`;
    const now = new Date().toISOString();
    setMessages((current) => {
      const base = body.regenerate
        ? current.slice(0, current.at(-1)?.role === 'assistant' ? -1 : undefined)
        : [
            ...current,
            {
              id: `${pendingId}-q`,
              role: 'user' as const,
              content: body.message ?? '',
              status: 'complete' as const,
              unanswered: false,
              createdAt: now,
              citations: [],
              feedback: null,
            },
          ];
      return [
        ...base,
        {
          id: pendingId,
          role: 'assistant',
          content: '',
          status: 'complete',
          unanswered: false,
          createdAt: now,
          citations: [],
          feedback: null,
          isStreaming: true,
        },
      ];
    });
    let answerId = pendingId;
    // What the asker has been shown so far: Stop stores exactly this much.
    let shown = '';
    let isFinished = false;
    const update = (patch: (message: ViewMessage) => ViewMessage) =>
      setMessages((current) =>
        current.map((message) => (message.id === answerId ? patch(message) : message)),
      );
    const fail = (text: string) => {
      isFinished = true;
      update((message) => ({ ...message, status: 'error', isStreaming: false, failure: text }));
    };
    stopRef.current = () => {
      // Before the answer has an id there is nothing to cut yet: stop as soon as it has one.
      if (answerId === pendingId) {
        stopRequested = true;
        setTimeout(() => controller.abort(), STOP_WAIT_FOR_ID_MS);
        return;
      }
      controller.abort();
      void saveStopped(answerId, shown.length);
    };
    let stopRequested = false;
    const saveStopped = async (id: string, shownChars: number) => {
      try {
        const saved = await fetchJson<{ content: string }>(`/api/messages/${id}/stop`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ shownChars }),
        });
        setMessages((current) =>
          current.map((message) =>
            message.id === id
              ? {
                  ...message,
                  content: saved.content,
                  status: 'stopped',
                  isStreaming: false,
                  citations: message.citations.filter((citation) =>
                    saved.content.includes(`[${citation.marker}]`),
                  ),
                }
              : message,
          ),
        );
      } catch {
        toast('The stopped answer could not be saved as shown.', 'error');
      }
    };
    const onEvent = (event: ChatEvent) => {
      if (event.type === 'meta') {
        const previousId = answerId;
        answerId = event.messageId;
        setMessages((current) =>
          current.map((message) => {
            if (message.id === previousId) return { ...message, id: event.messageId };
            if (message.id === `${pendingId}-q`) return { ...message, id: event.userMessageId };
            return message;
          }),
        );
        if (event.conversationId !== conversationId) {
          setConversationId(event.conversationId);
          router.replace(`/chat?c=${event.conversationId}`, { scroll: false });
        }
        if (stopRequested) stopRef.current?.();
      } else if (controller.signal.aborted) {
        // After Stop nothing more is shown: the words still in the network buffer would appear on screen
        // although Stop stored only what had been shown when it was pressed.
        return;
      } else if (event.type === 'delta') {
        shown += event.text;
        update((message) => ({ ...message, content: message.content + event.text }));
      } else if (event.type === 'citations') {
        update((message) => ({ ...message, citations: event.citations }));
      } else if (event.type === 'done') {
        isFinished = true;
        update((message) => ({
          ...message,
          content: event.content,
          status: event.status,
          unanswered: event.unanswered,
          isStreaming: false,
        }));
      } else if (event.type === 'error') {
        fail(event.message);
      }
    };
    try {
      await streamChat({ conversationId: conversationId ?? undefined, ...body }, onEvent, controller.signal);
      if (!isFinished && !controller.signal.aborted) throw new ChatRequestError('', 0);
    } catch (caught) {
      if (controller.signal.aborted) {
        update((message) => ({ ...message, status: 'stopped', isStreaming: false }));
      } else {
        fail(describeChatFailure(caught));
      }
    } finally {
      update((message) => (message.isStreaming ? { ...message, isStreaming: false } : message));
      setIsStreaming(false);
      abortRef.current = null;
      stopRef.current = null;
      void refreshConversations(search).catch(() => {});
    }
  }

  /** Retry after a failure: answer the stored question again, or resend one the server never received. */
  function retry(failed: ViewMessage) {
    const index = messages.findIndex((message) => message.id === failed.id);
    const question = messages[index - 1];
    if (!failed.id.startsWith('pending-')) {
      void ask({ regenerate: true });
      return;
    }
    setMessages((current) => current.filter((message) => message !== failed && message !== question));
    if (question?.role === 'user') void ask({ message: question.content });
  }

  async function renameConversation(id: string, title: string) {
    try {
      await fetchJson(`/api/conversations/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title }),
      });
      await refreshConversations(search);
    } catch (caught) {
      toast((caught as Error).message, 'error');
    }
  }

  async function deleteConversation(id: string) {
    try {
      await fetchJson(`/api/conversations/${id}`, { method: 'DELETE' });
      if (id === conversationId) startNewChat();
      await refreshConversations(search);
      toast('Conversation deleted.', 'success');
    } catch (caught) {
      toast((caught as Error).message, 'error');
    }
  }

  function cite(messageId: string, marker: number) {
    setSelected({ messageId, marker });
    requestAnimationFrame(() => document.getElementById(`source-${marker}`)?.focus());
  }

  return (
    <div className="flex h-full min-h-0">
      <aside
        className={`${showSidebar ? 'flex' : 'hidden'} absolute inset-x-0 top-14 bottom-0 z-30 w-full flex-col border-r border-border bg-background p-3 md:static md:flex md:w-72 md:shrink-0`}
      >
        <ConversationList
          conversations={conversations}
          activeId={conversationId}
          search={search}
          onSearch={setSearch}
          onSelect={openConversation}
          onNew={startNewChat}
          onRename={renameConversation}
          onDelete={deleteConversation}
          includeApi={includeApi}
          onIncludeApi={setIncludeApi}
        />
      </aside>
      <main className="flex min-w-0 flex-1 flex-col">
        <div className="flex items-center gap-2 border-b border-border px-3 py-2 md:hidden">
          <Button
            variant="outline"
            size="sm"
            aria-expanded={showSidebar}
            onClick={() => setShowSidebar((v) => !v)}
          >
            Conversations
          </Button>
        </div>
        <h1 className="sr-only">Chat</h1>
        <div className="min-h-0 flex-1 overflow-y-auto" aria-live="polite" aria-relevant="additions">
          <div className="mx-auto flex max-w-3xl flex-col gap-4 p-4" data-testid="thread">
            {messages.length === 0 ? (
              <EmptyState suggestions={suggestions} onPick={(text) => void ask({ message: text })} />
            ) : null}
            {messages.map((message) => (
              <MessageView
                key={message.id}
                message={message}
                isLastAnswer={message.id === lastAnswer?.id}
                isSelected={message.role === 'assistant' && message.id === selected?.messageId}
                canRegenerate={!isStreaming && conversationId !== null}
                onCite={cite}
                onRegenerate={() => void ask({ regenerate: true })}
                onRetry={
                  message.status === 'error' && message.id === lastAnswer?.id && !isStreaming
                    ? () => retry(message)
                    : undefined
                }
                onSelect={() => setSelected({ messageId: message.id, marker: null })}
              />
            ))}
            <div ref={threadEndRef} />
          </div>
        </div>
        <div className="border-t border-border p-3">
          <div className="mx-auto max-w-3xl">
            <Composer
              isStreaming={isStreaming}
              onSend={(message) => void ask({ message })}
              onStop={() => stopRef.current?.()}
            />
          </div>
        </div>
      </main>
      <aside
        className="hidden w-80 shrink-0 overflow-y-auto border-l border-border p-3 lg:block"
        aria-label="Sources of the answer"
      >
        <SourcesPanel citations={citations} activeMarker={selected?.marker ?? null} />
      </aside>
      {selected && citations.length ? (
        <div className="fixed inset-x-0 bottom-0 z-30 max-h-[50vh] overflow-y-auto border-t border-border bg-background p-3 lg:hidden">
          <div className="mb-2 flex justify-end">
            <Button variant="ghost" size="sm" onClick={() => setSelected(null)}>
              Close sources
            </Button>
          </div>
          <SourcesPanel citations={citations} activeMarker={selected.marker} />
        </div>
      ) : null}
    </div>
  );
}

function EmptyState({ suggestions, onPick }: { suggestions: string[]; onPick: (text: string) => void }) {
  return (
    <div className="flex flex-col items-center gap-4 py-10 text-center" data-testid="chat-empty">
      <h2 className="text-xl font-semibold">Ask about your documents</h2>
      <p className="max-w-md text-sm text-muted-foreground">
        Answers come only from the documents your roles are cleared for, with sources you can open.
      </p>
      {suggestions.length ? (
        <ul className="grid w-full max-w-xl gap-2 sm:grid-cols-2" aria-label="Suggested questions">
          {suggestions.map((suggestion) => (
            <li key={suggestion}>
              <button
                type="button"
                onClick={() => onPick(suggestion)}
                className="w-full rounded-md border border-border p-3 text-left text-sm hover:bg-muted"
              >
                {suggestion}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-muted-foreground">
          No documents are shared with your roles yet. Ask an administrator for access.
        </p>
      )}
    </div>
  );
}
