import type { ComponentProps } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { cn } from './cn.ts';

/**
 * Only http(s) links and same-origin paths survive; everything else (javascript:, data:, vbscript:,
 * protocol-relative //host) becomes an empty href. In-page anchors (#…) are kept.
 */
export function sanitizeUrl(url: string): string {
  const value = url.trim();
  if (value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) return value;
  if (value.startsWith('#')) return value;
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : '';
  } catch {
    return '';
  }
}

/** A link from untrusted Markdown (href already sanitized): external ones open apart, without referrer. */
export function SafeLink({ href, children }: ComponentProps<'a'>) {
  if (!href) return <span>{children}</span>;
  const external = !href.startsWith('/') && !href.startsWith('#');
  return (
    <a href={href} rel="noopener noreferrer nofollow" target={external ? '_blank' : undefined}>
      {children}
    </a>
  );
}

const BASE_COMPONENTS: Components = {
  a: SafeLink,
  // Images are never loaded (text from a document or an answer could otherwise make the browser fetch an
  // attacker's URL): their alt text is shown.
  img({ alt }: ComponentProps<'img'>) {
    return alt ? <span className="text-muted-foreground">[image: {alt}]</span> : null;
  },
  // A wide table scrolls inside its own box, never the page.
  table({ children }: ComponentProps<'table'>) {
    return (
      <div className="my-2 max-w-full overflow-x-auto">
        <table>{children}</table>
      </div>
    );
  },
};

type Props = {
  children: string;
  className?: string;
  /** Replace or add element renderers (e.g. citation markers); the defaults above apply otherwise. */
  components?: Components;
  urlTransform?: (url: string) => string;
};

/**
 * GitHub-flavoured Markdown (tables, lists, code, strikethrough) rendered safely for answers and
 * documents: raw HTML is dropped (skipHtml; react-markdown never renders it), links are limited to
 * http(s)/same-origin and open without referrer, images are not loaded.
 */
export function SafeMarkdown({ children, className, components, urlTransform = sanitizeUrl }: Props) {
  return (
    <div className={cn('prose-answer break-words', className)}>
      <ReactMarkdown
        skipHtml
        remarkPlugins={[remarkGfm]}
        urlTransform={urlTransform}
        components={{ ...BASE_COMPONENTS, ...components }}
      >
        {children}
      </ReactMarkdown>
    </div>
  );
}
