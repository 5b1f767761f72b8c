// PATCH|DELETE /api/conversations/:id - rename or delete one of the signed-in user's conversations
import { z } from 'zod';
import { deleteConversation, renameConversation } from '../../../../server/chat/conversations.ts';
import { parseJsonBody } from '../../../../server/handle-route.ts';
import { handleSessionRoute } from '../../../../server/session-route.ts';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

const ZRename = z.object({ title: z.string().trim().min(1, 'must not be empty').max(200) });

export async function PATCH(request: Request, context: Context): Promise<Response> {
  return handleSessionRoute(request, async ({ db, scope }) => {
    const { id } = await context.params;
    const body = await parseJsonBody(request, ZRename);
    return Response.json(await renameConversation(db, scope, id, body.title));
  });
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  return handleSessionRoute(request, async ({ db, scope }) => {
    const { id } = await context.params;
    await deleteConversation(db, scope, id);
    return new Response(null, { status: 204 });
  });
}
