'use client';

import { useState } from 'react';
import type { ThreadMessage } from '../../server/chat/conversations.ts';
import { Button } from '../ui/button.tsx';
import { cn } from '../ui/cn.ts';
import { ThumbDownIcon, ThumbUpIcon } from '../ui/icons.tsx';
import { Textarea } from '../ui/input.tsx';
import { useToast } from '../ui/toast.tsx';
import { AnswerMarkdown } from './answer-markdown.tsx';

/** A message as the thread shows it; `failure` is the human explanation of an answer that failed now. */
export type ViewMessage = ThreadMessage & { isStreaming?: boolean; failure?: string };

type Props = {
  message: ViewMessage;
  isLastAnswer: boolean;
  isSelected: boolean;
  canRegenerate: boolean;
  onCite: (messageId: string, marker: number) => void;
  onRegenerate: () => void;
  onSelect: () => void;
  /** Offered on the last answer when it failed: asks the question again. */
  onRetry?: () => void;
};

/** One turn: the user's question as plain text, or an answer with markdown, markers and actions. */
export function MessageView({
  message,
  isLastAnswer,
  isSelected,
  canRegenerate,
  onCite,
  onRegenerate,
  onSelect,
  onRetry,
}: Props) {
  if (message.role === 'user') {
    return (
      <div className="flex justify-end" data-testid="user-message">
        <div className="max-w-[85%] rounded-lg bg-primary px-3 py-2 text-sm whitespace-pre-wrap break-words text-primary-foreground">
          {message.content}
        </div>
      </div>
    );
  }
  const markers = new Set(message.citations.map((citation) => citation.marker));
  const previews = new Map(
    message.citations.map((citation) => [
      citation.marker,
      { title: citation.title, detail: describeLocation(citation), quote: citation.quote },
    ]),
  );
  return (
    <article
      aria-label="Answer"
      aria-busy={message.isStreaming ? true : undefined}
      className={cn('rounded-lg border border-border bg-card p-3', isSelected && 'ring-1 ring-primary')}
      data-testid="assistant-message"
      data-status={message.isStreaming ? 'streaming' : message.status}
    >
      {message.hidden ? (
        <p className="text-sm text-muted-foreground" role="note" data-testid="hidden-answer">
          {message.hidden === 'document_deleted'
            ? 'This answer is hidden: a document it cites has been deleted.'
            : 'This answer is hidden: it cites a document you can no longer read.'}
        </p>
      ) : message.content ? (
        <div data-testid="answer-text">
          <AnswerMarkdown
            content={message.content}
            markers={markers}
            previews={previews}
            idPrefix={`m-${message.id}`}
            onCite={(marker) => onCite(message.id, marker)}
          />
        </div>
      ) : message.isStreaming ? (
        <p className="text-sm text-muted-foreground">Searching your documents…</p>
      ) : null}
      {message.status === 'stopped' && !message.isStreaming ? (
        <p className="mt-1 text-xs text-muted-foreground">Stopped.</p>
      ) : null}
      {message.status === 'error' ? (
        <div className="mt-1 flex flex-wrap items-center gap-2" data-testid="answer-failure">
          <p role="alert" className="text-sm text-destructive">
            {message.failure ?? 'This answer could not be completed.'}
          </p>
          {onRetry ? (
            <Button size="sm" variant="outline" onClick={onRetry}>
              Retry
            </Button>
          ) : null}
        </div>
      ) : null}
      {message.isStreaming || (message.status === 'error' && !message.content) ? null : (
        <MessageActions
          message={message}
          canRegenerate={canRegenerate && isLastAnswer}
          onRegenerate={onRegenerate}
          onShowSources={message.citations.length ? onSelect : undefined}
        />
      )}
    </article>
  );
}

/** "Page 3 · Section › Subsection", or nothing when the passage has neither. */
export function describeLocation(citation: { page: number | null; headingPath: string[] }): string {
  return [citation.page != null ? `Page ${citation.page}` : null, citation.headingPath.join(' › ') || null]
    .filter(Boolean)
    .join(' · ');
}

function MessageActions({
  message,
  canRegenerate,
  onRegenerate,
  onShowSources,
}: {
  message: ViewMessage;
  canRegenerate: boolean;
  onRegenerate: () => void;
  onShowSources?: () => void;
}) {
  const { toast } = useToast();
  const [vote, setVote] = useState<1 | -1 | null>(message.feedback?.value ?? null);
  const [comment, setComment] = useState(message.feedback?.comment ?? '');
  const [isCommenting, setIsCommenting] = useState(false);
  async function sendFeedback(value: 1 | -1, text?: string) {
    const response = await fetch(`/api/messages/${message.id}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value, comment: text ?? null }),
    });
    if (!response.ok) {
      toast('Feedback could not be saved.', 'error');
      return false;
    }
    return true;
  }
  return (
    <div className="mt-2 flex flex-col gap-2">
      {/* Compact buttons: the five actions fit one line on a 390 px phone. */}
      <div className="-ml-2 flex flex-wrap items-center [&>button]:px-2">
        <Button
          variant="ghost"
          size="sm"
          onClick={async () => {
            await navigator.clipboard.writeText(message.content);
            toast('Answer copied.', 'success');
          }}
        >
          Copy
        </Button>
        {canRegenerate ? (
          <Button variant="ghost" size="sm" onClick={onRegenerate}>
            Regenerate
          </Button>
        ) : null}
        {onShowSources ? (
          <Button variant="ghost" size="sm" onClick={onShowSources}>
            Sources ({message.citations.length})
          </Button>
        ) : null}
        <Button
          variant="ghost"
          size="sm"
          aria-label="Helpful"
          aria-pressed={vote === 1}
          onClick={async () => {
            if (await sendFeedback(1, comment || undefined)) {
              setVote(1);
              setIsCommenting(true);
            }
          }}
        >
          <ThumbUpIcon />
        </Button>
        <Button
          variant="ghost"
          size="sm"
          aria-label="Not helpful"
          aria-pressed={vote === -1}
          onClick={async () => {
            if (await sendFeedback(-1, comment || undefined)) {
              setVote(-1);
              setIsCommenting(true);
            }
          }}
        >
          <ThumbDownIcon />
        </Button>
      </div>
      {isCommenting && vote !== null ? (
        <form
          className="flex items-end gap-2"
          onSubmit={async (event) => {
            event.preventDefault();
            if (await sendFeedback(vote, comment)) {
              toast('Thanks for the feedback.', 'success');
              setIsCommenting(false);
            }
          }}
        >
          <label htmlFor={`feedback-${message.id}`} className="sr-only">
            Feedback comment (optional)
          </label>
          <Textarea
            id={`feedback-${message.id}`}
            rows={1}
            maxLength={2000}
            placeholder="Add a comment (optional)"
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            className="flex-1"
          />
          <Button type="submit" size="sm" variant="secondary">
            Send feedback
          </Button>
        </form>
      ) : null}
    </div>
  );
}
