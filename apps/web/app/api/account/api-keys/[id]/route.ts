// DELETE /api/account/api-keys/:id - revoke one of the caller's keys (admins: anyone's)
import { revokeApiKey } from '@clearance/auth';
import { handleSessionRoute } from '../../../../../server/session-route.ts';

type Context = { params: Promise<{ id: string }> };

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  return handleSessionRoute(request, async ({ db, scope }) => {
    const { id } = await params;
    await revokeApiKey(db, { actor: scope, keyId: id });
    return new Response(null, { status: 204 });
  });
}
