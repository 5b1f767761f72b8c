// POST /api/admin/documents/:id/reindex - parse, chunk and embed the current bytes again as a new version
import { getDb } from '@clearance/db';
import { reindexDocument } from '@clearance/retrieval';
import { handleAdminRoute } from '../../../../../admin/_server/admin-access.ts';

type Context = { params: Promise<{ id: string }> };

export function POST(request: Request, { params }: Context) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { id } = await params;
    return Response.json(await reindexDocument(getDb(), { actorId: scope.userId, documentId: id }), {
      status: 202,
    });
  });
}
