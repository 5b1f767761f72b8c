import { isAppError } from '@clearance/auth';
import { getDb } from '@clearance/db';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cn } from '../../../../components/ui/cn.ts';
import { type DocumentPassageView, getDocumentPassage } from '../../../../server/documents.ts';
import { requirePageScope } from '../../../../server/request-scope.ts';

export const metadata: Metadata = { title: 'Document' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ chunk?: string | string[] }> };

/**
 * /documents/:id?chunk=<chunk id>: a cited passage in context, highlighted. Only for users whose roles
 * may read the document; everyone else gets the same 404 as for a document that does not exist.
 */
export default async function DocumentPage({ params, searchParams }: Props) {
  const scope = await requirePageScope();
  const { id } = await params;
  const { chunk } = await searchParams;
  let view: DocumentPassageView;
  try {
    view = await getDocumentPassage(getDb(), scope, id, typeof chunk === 'string' ? chunk : null);
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
  return (
    <main className="mx-auto h-full max-w-3xl overflow-y-auto p-4 sm:p-6">
      <Link href="/chat" className="text-sm text-primary underline">
        ← Back to chat
      </Link>
      <h1 className="mt-3 text-2xl font-semibold break-words" data-testid="document-title">
        {view.document.title}
      </h1>
      {view.document.filename ? (
        <p className="mt-1 text-sm text-muted-foreground break-words">{view.document.filename}</p>
      ) : null}
      <div className="mt-6 flex flex-col gap-4">
        {view.chunks.map((entry) => {
          const isFocus = entry.id === view.focusChunkId;
          return (
            <section
              key={entry.id}
              aria-label={isFocus ? 'Cited passage' : undefined}
              aria-current={isFocus ? 'true' : undefined}
              data-testid={isFocus ? 'cited-passage' : 'passage'}
              className={cn(
                'rounded-md p-3',
                isFocus ? 'border-2 border-primary bg-accent' : 'border border-border',
              )}
            >
              <p className="mb-2 text-xs text-muted-foreground">
                {[entry.page != null ? `Page ${entry.page}` : null, entry.headingPath.join(' › ') || null]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              {isFocus ? (
                <mark className="bg-highlight whitespace-pre-wrap break-words text-foreground">
                  {entry.text}
                </mark>
              ) : (
                <p className="text-sm whitespace-pre-wrap break-words">{entry.text}</p>
              )}
            </section>
          );
        })}
      </div>
    </main>
  );
}
