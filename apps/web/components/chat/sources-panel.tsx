'use client';

import Link from 'next/link';
import type { ChatCitation } from '../../server/chat/types.ts';
import { cn } from '../ui/cn.ts';
import { describeLocation } from './message-view.tsx';
import { readablePassage } from './readable-passage.ts';

/** The sources of one answer: title, page, heading, the quoted passage and a link to it in context. */
export function SourcesPanel({
  citations,
  activeMarker,
}: {
  citations: ChatCitation[];
  activeMarker: number | null;
}) {
  return (
    <section aria-labelledby="sources-heading" className="flex flex-col gap-3" data-testid="sources-panel">
      <h2 id="sources-heading" className="text-sm font-semibold">
        Sources
      </h2>
      {citations.length === 0 ? (
        <p className="text-sm text-muted-foreground">Sources of the selected answer appear here.</p>
      ) : (
        <ol className="flex flex-col gap-3">
          {citations.map((citation) => (
            <li
              key={citation.marker}
              id={`source-${citation.marker}`}
              tabIndex={-1}
              className={cn(
                'rounded-md border border-border p-3 text-sm',
                activeMarker === citation.marker && 'border-primary ring-1 ring-primary',
              )}
              data-testid="source"
            >
              <div className="flex items-baseline gap-2">
                <span className="font-semibold text-primary">[{citation.marker}]</span>
                <span className="font-medium break-words">{citation.title}</span>
              </div>
              <p className="mt-1 text-xs text-muted-foreground">{describeLocation(citation) || 'Passage'}</p>
              <blockquote className="mt-2 border-l-2 border-border pl-2 text-xs break-words whitespace-pre-wrap">
                {readablePassage(citation.quote)}
              </blockquote>
              <Link
                href={`/documents/${citation.documentId}?chunk=${citation.chunkId}`}
                className="mt-2 inline-block text-xs font-medium text-primary underline"
              >
                Open passage
                <span className="sr-only">
                  {' '}
                  {citation.marker} in {citation.title}
                </span>
              </Link>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
