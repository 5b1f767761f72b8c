'use client';

import type { ComponentProps } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';

const CITE_PREFIX = '#cite-';

/**
 * Only http(s) links and same-origin paths survive; everything else (javascript:, data:, vbscript:,
 * protocol-relative //host) becomes an empty href. Citation anchors are kept for the marker links.
 */
export function sanitizeUrl(url: string): string {
  const value = url.trim();
  if (value.startsWith(CITE_PREFIX)) return value;
  if (value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) return value;
  if (value.startsWith('#')) return value;
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : '';
  } catch {
    return '';
  }
}

/** Turns [n] markers into links to the sources panel (markers were already checked on the server). */
export function linkMarkers(text: string, markers: ReadonlySet<number>): string {
  return text.replace(/\[(\d{1,3})\](?!\()/g, (whole, digits: string) =>
    markers.has(Number(digits)) ? `[\\[${digits}\\]](${CITE_PREFIX}${digits})` : whole,
  );
}

type Props = { content: string; markers: ReadonlySet<number>; onCite: (marker: number) => void };

/**
 * Renders an answer's markdown safely: raw HTML is not rendered (react-markdown ignores it, skipHtml
 * drops it), links are limited to http(s)/same-origin and open without referrer, and images are never
 * loaded (an answer could otherwise make the browser fetch an attacker's URL): their alt text is shown.
 */
export function AnswerMarkdown({ content, markers, onCite }: Props) {
  const components: Components = {
    a({ href, children }: ComponentProps<'a'>) {
      if (href?.startsWith(CITE_PREFIX)) {
        const marker = Number(href.slice(CITE_PREFIX.length));
        return (
          <button
            type="button"
            onClick={() => onCite(marker)}
            className="mx-0.5 rounded px-0.5 align-baseline text-xs font-semibold text-primary underline hover:bg-accent"
            aria-label={`Source ${marker}`}
            data-testid="citation-marker"
          >
            {children}
          </button>
        );
      }
      if (!href) return <span>{children}</span>;
      const external = !href.startsWith('/') && !href.startsWith('#');
      return (
        <a href={href} rel="noopener noreferrer nofollow" target={external ? '_blank' : undefined}>
          {children}
        </a>
      );
    },
    img({ alt }: ComponentProps<'img'>) {
      return alt ? <span className="text-muted-foreground">[image: {alt}]</span> : null;
    },
  };
  return (
    <div className="prose-answer text-sm leading-relaxed break-words">
      <ReactMarkdown skipHtml urlTransform={sanitizeUrl} components={components}>
        {linkMarkers(content, markers)}
      </ReactMarkdown>
    </div>
  );
}
