'use client';

import type { ComponentProps } from 'react';
import { SafeLink, SafeMarkdown, sanitizeUrl as sanitizeLinkUrl } from '../ui/safe-markdown.tsx';
import { readablePassage } from './readable-passage.ts';

const CITE_PREFIX = '#cite-';

/** sanitizeUrl of SafeMarkdown, keeping the citation anchors the marker links use. */
export function sanitizeUrl(url: string): string {
  const value = url.trim();
  return value.startsWith(CITE_PREFIX) ? value : sanitizeLinkUrl(value);
}

/** Turns [n] markers into links to the sources panel (markers were already checked on the server). */
export function linkMarkers(text: string, markers: ReadonlySet<number>): string {
  return text.replace(/\[(\d{1,3})\](?!\()/g, (whole, digits: string) =>
    markers.has(Number(digits)) ? `[\\[${digits}\\]](${CITE_PREFIX}${digits})` : whole,
  );
}

/** What a marker's hover/focus preview shows: the source's title and the cited passage. */
export type MarkerPreview = { title: string; detail: string; quote: string };

type Props = {
  content: string;
  markers: ReadonlySet<number>;
  onCite: (marker: number) => void;
  previews?: ReadonlyMap<number, MarkerPreview>;
  /** Distinguishes preview ids when several answers are on the page. */
  idPrefix?: string;
};

// Enough of a passage to recognise it in a preview; the sources panel and the reader show it all.
const PREVIEW_CHARS = 280;

/**
 * Renders an answer's Markdown safely (SafeMarkdown: no raw HTML, safe links, no images) with its [n]
 * markers as buttons that open the source; hovering or focusing one previews the cited passage.
 */
export function AnswerMarkdown({ content, markers, onCite, previews, idPrefix = 'answer' }: Props) {
  return (
    <SafeMarkdown
      className="text-sm leading-relaxed"
      urlTransform={sanitizeUrl}
      components={{
        a({ href, children }: ComponentProps<'a'>) {
          if (!href?.startsWith(CITE_PREFIX)) return <SafeLink href={href}>{children}</SafeLink>;
          const marker = Number(href.slice(CITE_PREFIX.length));
          const preview = previews?.get(marker);
          const previewId = `${idPrefix}-preview-${marker}`;
          const quote = preview ? readablePassage(preview.quote) : '';
          return (
            <span className="group relative inline-block">
              <button
                type="button"
                onClick={() => onCite(marker)}
                className="mx-0.5 rounded px-0.5 align-baseline text-xs font-semibold text-primary underline hover:bg-accent"
                aria-label={`Source ${marker}`}
                aria-describedby={preview ? previewId : undefined}
                data-testid="citation-marker"
              >
                {children}
              </button>
              {preview ? (
                // display:none until hover or keyboard focus, so a hidden preview never widens the page; below
                // the marker, where the thread's scrolling box does not clip it.
                <span
                  id={previewId}
                  role="tooltip"
                  className="absolute top-full left-0 z-40 mt-1 hidden w-72 max-w-[70vw] rounded-md border border-border bg-card p-2 text-left text-xs font-normal text-foreground shadow-lg group-hover:block group-has-[:focus-visible]:block"
                  data-testid="citation-preview"
                >
                  <span className="block font-semibold">{preview.title}</span>
                  {preview.detail ? (
                    <span className="block text-muted-foreground">{preview.detail}</span>
                  ) : null}
                  <span className="mt-1 block">
                    {quote.length > PREVIEW_CHARS ? `${quote.slice(0, PREVIEW_CHARS)}…` : quote}
                  </span>
                </span>
              ) : null}
            </span>
          );
        },
      }}
    >
      {linkMarkers(content, markers)}
    </SafeMarkdown>
  );
}
