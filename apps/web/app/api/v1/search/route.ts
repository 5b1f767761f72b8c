// POST /api/v1/search - ranked passages from the documents an API key's owner may read
import { recordRead } from '@clearance/auth';
import { searchChunks } from '@clearance/retrieval';
import { handleApiRoute } from '../../../../server/api-v1.ts';
import { type ApiSearchResponse, ZApiSearchRequest } from '../../../../server/api-v1-schemas.ts';
import { parseJsonBody } from '../../../../server/handle-route.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  return handleApiRoute(request, async ({ db, scope }) => {
    const body = await parseJsonBody(request, ZApiSearchRequest);
    const result = await searchChunks(db, { scope, query: body.query, k: body.k });
    // Passage text leaves in this response: on the record first (with the query), or not at all.
    await recordRead(db, {
      actor: scope,
      surface: 'api.search',
      text: body.query,
      passages: result.passages.map(({ chunkId, documentId, versionId }) => ({
        chunkId,
        documentId,
        versionId,
      })),
      data: { k: body.k, truncated: result.truncated },
    });
    return Response.json({
      query: result.query,
      truncated: result.truncated,
      results: result.passages.map((passage, index) => ({
        rank: index + 1,
        chunkId: passage.chunkId,
        documentId: passage.documentId,
        versionId: passage.versionId,
        title: passage.title,
        page: passage.page,
        headingPath: passage.headingPath,
        text: passage.text,
        snippet: passage.snippet,
        charStart: passage.charStart,
        charEnd: passage.charEnd,
      })),
    } satisfies ApiSearchResponse);
  });
}
