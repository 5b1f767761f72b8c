// POST /api/admin/versions/:id/retry - queue a failed or cancelled version again
import { getDb } from '@clearance/db';
import { retryVersion } from '@clearance/retrieval';
import { handleAdminRoute } from '../../../../../admin/_server/admin-access.ts';

type Context = { params: Promise<{ id: string }> };

export function POST(request: Request, { params }: Context) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { id } = await params;
    return Response.json(await retryVersion(getDb(), { actorId: scope.userId, versionId: id }), {
      status: 202,
    });
  });
}
