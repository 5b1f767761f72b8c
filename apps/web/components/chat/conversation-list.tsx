'use client';

import { useState } from 'react';
import type { ConversationSummary } from '../../server/chat/conversations.ts';
import { Button } from '../ui/button.tsx';
import { cn } from '../ui/cn.ts';
import { Dialog } from '../ui/dialog.tsx';
import { PencilIcon, TrashIcon } from '../ui/icons.tsx';
import { Input, Label } from '../ui/input.tsx';

type Props = {
  conversations: ConversationSummary[];
  activeId: string | null;
  search: string;
  onSearch: (value: string) => void;
  onSelect: (id: string) => void;
  onNew: () => void;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
};

/** The sidebar: new chat, search, and the user's conversations with rename and delete. */
export function ConversationList(props: Props) {
  const [renaming, setRenaming] = useState<ConversationSummary | null>(null);
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  const [title, setTitle] = useState('');
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
      <ul
        className="-mx-1 flex min-h-0 flex-1 flex-col gap-0.5 overflow-y-auto px-1"
        data-testid="conversation-list"
      >
        {props.conversations.length === 0 ? (
          <li className="px-2 py-1 text-sm text-muted-foreground">
            {props.search ? 'No conversations match.' : 'No conversations yet.'}
          </li>
        ) : null}
        {props.conversations.map((conversation) => (
          <li key={conversation.id} className="group flex items-center gap-1">
            <button
              type="button"
              onClick={() => props.onSelect(conversation.id)}
              aria-current={conversation.id === props.activeId ? 'page' : undefined}
              className={cn(
                'min-w-0 flex-1 truncate rounded-md px-2 py-1.5 text-left text-sm hover:bg-muted',
                conversation.id === props.activeId && 'bg-muted font-medium',
              )}
            >
              {conversation.title}
            </button>
            <Button
              variant="ghost"
              size="icon"
              aria-label={`Rename conversation ${conversation.title}`}
              title="Rename"
              onClick={() => {
                setTitle(conversation.title);
                setRenaming(conversation);
              }}
            >
              <PencilIcon />
            </Button>
            <Button
              variant="ghost"
              size="icon"
              aria-label={`Delete conversation ${conversation.title}`}
              title="Delete"
              onClick={() => setDeleting(conversation)}
            >
              <TrashIcon />
            </Button>
          </li>
        ))}
      </ul>
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
