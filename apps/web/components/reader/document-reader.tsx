import Link from 'next/link';
import type { ReactNode } from 'react';
import type { ReaderBlock } from '../../server/reader/build-reader-blocks.ts';
import type { DocumentReaderView } from '../../server/reader/get-document-reader.ts';
import { SafeMarkdown } from '../ui/safe-markdown.tsx';
import { ScrollToCited } from './scroll-to-cited.tsx';

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'text/markdown': 'Markdown',
  'text/html': 'Web page',
  'text/csv': 'CSV table',
  'text/plain': 'Text',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
};

/** Consecutive blocks that are all cited, or all not: the cited run is one highlighted region. */
type Run = { isCited: boolean; blocks: ReaderBlock[] };

function toRuns(blocks: ReaderBlock[]): Run[] {
  const runs: Run[] = [];
  for (const block of blocks) {
    const isCited = block.focus.kind !== 'none';
    const last = runs.at(-1);
    if (last && last.isCited === isCited) last.blocks.push(block);
    else runs.push({ isCited, blocks: [block] });
  }
  return runs;
}

/** Pages of a paginated document (PDF); everything else is one unnumbered page. */
function toPages(blocks: ReaderBlock[]): Array<{ page: number | null; blocks: ReaderBlock[] }> {
  const pages: Array<{ page: number | null; blocks: ReaderBlock[] }> = [];
  for (const block of blocks) {
    const last = pages.at(-1);
    if (last && last.page === block.page) last.blocks.push(block);
    else pages.push({ page: block.page, blocks: [block] });
  }
  return pages;
}

/**
 * The document reader: the whole document rendered (Markdown with tables, lists and code; HTML table
 * rows and CSV records as tables; PDF text page by page), a table of contents, the original file to
 * download, and the cited passage highlighted and scrolled into view.
 */
export function DocumentReader({ view }: { view: DocumentReaderView }) {
  const { document } = view;
  const headings = view.blocks.filter((block) => block.kind === 'heading' && block.level <= 3);
  const pages = toPages(view.blocks);
  const isPaged = pages.some((page) => page.page !== null);
  const hasCited = view.blocks.some((block) => block.focus.kind !== 'none');
  const typeName = TYPE_NAMES[document.mime] ?? document.mime;
  return (
    <div className="flex h-full min-h-0">
      {headings.length > 1 || isPaged ? (
        <nav
          aria-label="Contents"
          className="hidden w-64 shrink-0 overflow-y-auto border-r border-border p-4 text-sm lg:block"
        >
          <h2 className="mb-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase">
            Contents
          </h2>
          <ul className="flex flex-col gap-1">
            {hasCited ? (
              <li>
                <a href="#cited" className="font-medium text-primary underline">
                  Cited passage
                </a>
              </li>
            ) : null}
            {isPaged
              ? pages.map((page) => (
                  <li key={`p-${page.page}`}>
                    <a href={`#page-${page.page}`} className="hover:underline">
                      Page {page.page}
                    </a>
                  </li>
                ))
              : headings.map((heading) => (
                  <li key={heading.id} style={{ paddingLeft: `${(heading.level - 1) * 0.75}rem` }}>
                    <a href={`#${heading.id}`} className="break-words hover:underline">
                      {heading.text}
                    </a>
                  </li>
                ))}
          </ul>
        </nav>
      ) : null}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the document scrolls in this region; keyboard users need to focus it to scroll (axe scrollable-region-focusable) */}
      <main id="reader" tabIndex={0} className="min-w-0 flex-1 overflow-y-auto">
        <div className="mx-auto max-w-3xl p-4 sm:p-6">
          <Link href="/chat" className="text-sm text-primary underline">
            ← Back to chat
          </Link>
          <h1 className="mt-3 text-2xl font-semibold break-words" data-testid="document-title">
            {document.title}
          </h1>
          <p className="mt-1 text-sm break-words text-muted-foreground">
            {[document.filename, typeName, document.pageCount ? `${document.pageCount} pages` : null]
              .filter(Boolean)
              .join(' · ')}
          </p>
          <div className="mt-3 flex flex-wrap items-center gap-2">
            <a
              href={`/api/documents/${document.id}/file?version=${view.versionId}`}
              className="inline-flex h-8 items-center rounded-md border border-input px-3 text-sm font-medium hover:bg-muted"
              download
            >
              Download original
            </a>
            {hasCited ? (
              <a
                href="#cited"
                className="inline-flex h-8 items-center rounded-md px-3 text-sm text-primary underline"
              >
                Go to cited passage
              </a>
            ) : null}
          </div>
          {!view.isCurrentVersion ? (
            <p className="mt-3 rounded-md border border-border bg-muted p-2 text-sm" role="note">
              This citation is from an earlier version of the document; it is shown as it was then.
            </p>
          ) : null}
          {view.isPartial ? (
            <p className="mt-3 rounded-md border border-border bg-muted p-2 text-sm" role="note">
              This document is long: the part around the passage is shown. Download the original for all of
              it.
            </p>
          ) : null}
          <article className="mt-6 flex flex-col gap-6" aria-label="Document">
            {pages.map((page) =>
              isPaged ? (
                <section
                  key={`page-${page.page}`}
                  id={`page-${page.page}`}
                  aria-label={`Page ${page.page}`}
                  className="scroll-mt-4 rounded-md border border-border bg-card p-4 shadow-sm sm:p-6"
                >
                  <Runs blocks={page.blocks} mime={document.mime} />
                  <p className="mt-4 text-right text-xs text-muted-foreground">Page {page.page}</p>
                </section>
              ) : (
                <div key="all">
                  <Runs blocks={page.blocks} mime={document.mime} />
                </div>
              ),
            )}
          </article>
        </div>
      </main>
      {hasCited ? <ScrollToCited /> : null}
    </div>
  );
}

function Runs({ blocks, mime }: { blocks: ReaderBlock[]; mime: string }) {
  return toRuns(blocks).map((run) =>
    run.isCited ? (
      <section
        key={run.blocks[0]!.id}
        id="cited"
        aria-label="Cited passage"
        aria-current="true"
        data-testid="cited-passage"
        className="reader-cited my-3 scroll-mt-8 rounded-md"
      >
        <Blocks blocks={run.blocks} mime={mime} />
      </section>
    ) : (
      <Blocks key={run.blocks[0]!.id} blocks={run.blocks} mime={mime} />
    ),
  );
}

/** Blocks in order; consecutive CSV records are gathered into one table. */
function Blocks({ blocks, mime }: { blocks: ReaderBlock[]; mime: string }) {
  const out: ReactNode[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.kind === 'record') {
      const records = [block];
      while (blocks[i + 1]?.kind === 'record') records.push(blocks[++i]!);
      out.push(<RecordTable key={block.id} records={records} />);
    } else {
      out.push(<Block key={block.id} block={block} isPlain={mime === 'text/plain'} />);
    }
  }
  return <>{out}</>;
}

const HEADING_TAGS = ['h2', 'h3', 'h4', 'h5', 'h6'] as const;

function Block({ block, isPlain }: { block: ReaderBlock; isPlain: boolean }) {
  if (block.kind === 'heading') {
    const Tag = HEADING_TAGS[Math.min(block.level, HEADING_TAGS.length) - 1] ?? 'h6';
    return (
      <Tag
        id={block.id}
        className={
          block.level <= 1
            ? 'mt-6 mb-2 scroll-mt-4 text-xl font-semibold break-words'
            : 'mt-5 mb-2 scroll-mt-4 text-lg font-semibold break-words'
        }
      >
        {block.text}
      </Tag>
    );
  }
  if (block.kind === 'rows') {
    const [head, ...body] = block.rows ?? [];
    return (
      <div className="my-3 max-w-full overflow-x-auto">
        <table className="reader-table">
          {body.length ? (
            <thead>
              <tr>
                {head?.map((cell, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells have no identity beyond their column
                  <th key={i}>{cell}</th>
                ))}
              </tr>
            </thead>
          ) : null}
          <tbody>
            {(body.length ? body : [head ?? []]).map((row, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows of a static table
              <tr key={r}>
                {row.map((cell, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells have no identity beyond their column
                  <td key={i}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  if (block.focus.kind === 'part' && block.text.includes('\n') && !isPlain) {
    return <PartlyCitedMarkdown text={block.text} start={block.focus.start} end={block.focus.end} />;
  }
  if (block.focus.kind === 'part') {
    const { start, end } = block.focus;
    return (
      <p className="my-3 text-[0.95rem] leading-relaxed whitespace-pre-wrap break-words">
        {block.text.slice(0, start)}
        <mark className="reader-mark">{block.text.slice(start, end)}</mark>
        {block.text.slice(end)}
      </p>
    );
  }
  if (isPlain) {
    return (
      <p className="my-3 text-[0.95rem] leading-relaxed whitespace-pre-wrap break-words">{block.text}</p>
    );
  }
  return <SafeMarkdown className="reader-prose text-[0.95rem] leading-relaxed">{block.text}</SafeMarkdown>;
}

type SourceNode = { position?: { start: { offset?: number }; end: { offset?: number } } };

/** Whether a Markdown element's source range overlaps the cited range [start, end). */
function overlaps(node: SourceNode | undefined, start: number, end: number): boolean {
  const from = node?.position?.start.offset;
  const to = node?.position?.end.offset;
  return from !== undefined && to !== undefined && from < end && to > start;
}

/**
 * A Markdown block (a table, a list) of which the citation covers only part: rendered whole, with the
 * cited rows, items and paragraphs marked.
 */
function PartlyCitedMarkdown({ text, start, end }: { text: string; start: number; end: number }) {
  const mark = (node: SourceNode | undefined) => (overlaps(node, start, end) ? 'reader-mark' : undefined);
  return (
    <SafeMarkdown
      className="reader-prose text-[0.95rem] leading-relaxed"
      components={{
        tr: ({ node, children }) => <tr className={mark(node)}>{children}</tr>,
        li: ({ node, children }) => <li className={mark(node)}>{children}</li>,
        p: ({ node, children }) => <p className={mark(node)}>{children}</p>,
      }}
    >
      {text}
    </SafeMarkdown>
  );
}

function RecordTable({ records }: { records: ReaderBlock[] }) {
  const columns: string[] = [];
  for (const record of records) {
    for (const [name] of record.fields ?? []) if (!columns.includes(name)) columns.push(name);
  }
  return (
    <div className="my-3 max-w-full overflow-x-auto">
      <table className="reader-table">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column}>{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {records.map((record) => {
            const values = new Map(record.fields);
            return (
              <tr key={record.id}>
                {columns.map((column) => (
                  <td key={column}>{values.get(column) ?? ''}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
