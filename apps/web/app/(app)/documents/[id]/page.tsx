import { getDb } from '@clearance/db';
import { isAppError } from '@clearance/errors';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { DocumentReader } from '../../../../components/reader/document-reader.tsx';
import { type DocumentReaderView, getDocumentReader } from '../../../../server/reader/get-document-reader.ts';
import { requirePageScope } from '../../../../server/request-scope.ts';

export const metadata: Metadata = { title: 'Document' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ chunk?: string | string[] }> };

/**
 * /documents/:id?chunk=<chunk id>: the whole document in the reader, opened at the cited passage. Only
 * for users whose roles may read the document; everyone else gets the same 404 as for a document that
 * does not exist.
 */
export default async function DocumentPage({ params, searchParams }: Props) {
  const scope = await requirePageScope();
  const { id } = await params;
  const { chunk } = await searchParams;
  let view: DocumentReaderView;
  try {
    view = await getDocumentReader(getDb(), scope, id, typeof chunk === 'string' ? chunk : null);
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
  return <DocumentReader view={view} />;
}
