// POST /api/admin/versions/:id/cancel - stop a queued or running ingestion
import { getDb } from '@clearance/db';
import { cancelVersion } from '@clearance/retrieval';
import { handleAdminRoute } from '../../../../../admin/_server/admin-access.ts';

type Context = { params: Promise<{ id: string }> };

export function POST(request: Request, { params }: Context) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { id } = await params;
    return Response.json(await cancelVersion(getDb(), { actorId: scope.userId, versionId: id }));
  });
}
