// GET /api/v1/documents - the documents an API key's owner may read (searchable now)
import { handleApiRoute } from '../../../../server/api-v1.ts';
import type { ApiDocumentList } from '../../../../server/api-v1-schemas.ts';
import { findReadableDocuments } from '../../../../server/documents.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return handleApiRoute(request, async ({ db, scope }) =>
    Response.json({ documents: await findReadableDocuments(db, scope) } satisfies ApiDocumentList),
  );
}
