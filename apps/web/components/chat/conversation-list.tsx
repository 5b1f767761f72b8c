'use client';

import { useEffect, useState } from 'react';
import type { ConversationSummary } from '../../server/chat/conversations.ts';
import { Button } from '../ui/button.tsx';
import { cn } from '../ui/cn.ts';
import { Dialog } from '../ui/dialog.tsx';
import { Input, Label } from '../ui/input.tsx';
import { RowActions } from '../ui/row-actions.tsx';
import { formatActivity, groupByDate } from './group-conversations.ts';

type Props = {
  conversations: ConversationSummary[];
  activeId: string | null;
  search: string;
  onSearch: (value: string) => void;
  onSelect: (id: string) => void;
  onNew: () => void;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
  /** Whether conversations held through API keys are listed too (off: an integration can't flood the list). */
  includeApi: boolean;
  onIncludeApi: (value: boolean) => void;
};

/** The sidebar: new chat, search, and the user's conversations with rename and delete. */
export function ConversationList(props: Props) {
  const [renaming, setRenaming] = useState<ConversationSummary | null>(null);
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  const [title, setTitle] = useState('');
  // Dates are grouped in the viewer's time zone, known only in the browser: after hydration.
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => setNow(new Date()), []);
  return (
    <nav aria-label="Conversations" className="flex h-full flex-col gap-3">
      <Button onClick={props.onNew} variant="outline">
        New chat
      </Button>
      <Input
        type="search"
        aria-label="Search conversations"
        placeholder="Search conversations"
        value={props.search}
        onChange={(event) => props.onSearch(event.target.value)}
      />
      <ul className="-mx-1 flex min-h-0 flex-1 flex-col overflow-y-auto px-1" data-testid="conversation-list">
        {props.conversations.length === 0 ? (
          <li className="px-2 py-1 text-sm text-muted-foreground">
            {props.search ? 'No conversations match.' : 'No conversations yet.'}
          </li>
        ) : null}
        {(now
          ? groupByDate(props.conversations, now)
          : [{ label: 'Recent', items: props.conversations }]
        ).map((group) => (
          <li key={group.label} className="mt-2 first:mt-0">
            <h2 className="px-2 pb-1 text-xs font-medium text-muted-foreground">{group.label}</h2>
            <ul className="flex flex-col gap-0.5">
              {group.items.map((conversation) => (
                <li key={conversation.id} className="group flex items-center gap-1">
                  <button
                    type="button"
                    onClick={() => props.onSelect(conversation.id)}
                    aria-current={conversation.id === props.activeId ? 'page' : undefined}
                    className={cn(
                      'flex min-w-0 flex-1 items-baseline gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-muted',
                      conversation.id === props.activeId && 'bg-muted font-medium',
                    )}
                  >
                    <span className="min-w-0 flex-1 truncate">{conversation.title}</span>
                    {now ? (
                      <time
                        dateTime={conversation.updatedAt}
                        className="shrink-0 text-xs font-normal text-muted-foreground"
                      >
                        {formatActivity(new Date(conversation.updatedAt), now)}
                      </time>
                    ) : null}
                  </button>
                  <RowActions
                    label={`Actions for conversation ${conversation.title}`}
                    actions={[
                      {
                        label: 'Rename',
                        onSelect: () => {
                          setTitle(conversation.title);
                          setRenaming(conversation);
                        },
                      },
                      { label: 'Delete', isDestructive: true, onSelect: () => setDeleting(conversation) },
                    ]}
                  />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <label className="flex items-center gap-2 px-2 text-xs text-muted-foreground">
        <input
          type="checkbox"
          checked={props.includeApi}
          onChange={(event) => props.onIncludeApi(event.target.checked)}
        />
        Show API conversations
      </label>
      <Dialog open={renaming !== null} onClose={() => setRenaming(null)} title="Rename conversation">
        <form
          className="flex flex-col gap-3"
          onSubmit={async (event) => {
            event.preventDefault();
            if (renaming && title.trim()) await props.onRename(renaming.id, title.trim());
            setRenaming(null);
          }}
        >
          <Label htmlFor="rename-title">Title</Label>
          <Input
            id="rename-title"
            value={title}
            maxLength={200}
            onChange={(event) => setTitle(event.target.value)}
          />
          <div className="flex justify-end gap-2">
            <Button variant="outline" onClick={() => setRenaming(null)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!title.trim()}>
              Save
            </Button>
          </div>
        </form>
      </Dialog>
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete conversation?"
        description="Its messages are deleted. This cannot be undone."
      >
        <p className="text-sm break-words">{deleting?.title}</p>
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="outline" onClick={() => setDeleting(null)}>
            Cancel
          </Button>
          <Button
            variant="destructive"
            onClick={async () => {
              if (deleting) await props.onDelete(deleting.id);
              setDeleting(null);
            }}
          >
            Delete
          </Button>
        </div>
      </Dialog>
    </nav>
  );
}
