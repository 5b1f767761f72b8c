// PATCH|DELETE /api/conversations/:id - rename or delete one of the signed-in user's conversations
import { getDb } from '@clearance/db';
import { z } from 'zod';
import { deleteConversation, renameConversation } from '../../../../server/chat/conversations.ts';
import { checkSameOrigin, handleRoute, parseJsonBody } from '../../../../server/handle-route.ts';
import { requireScope } from '../../../../server/request-scope.ts';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

const ZRename = z.object({ title: z.string().trim().min(1, 'must not be empty').max(200) });

export async function PATCH(request: Request, context: Context): Promise<Response> {
  return handleRoute(async () => {
    checkSameOrigin(request);
    const scope = await requireScope();
    const { id } = await context.params;
    const body = await parseJsonBody(request, ZRename);
    return Response.json(await renameConversation(getDb(), scope, id, body.title));
  });
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  return handleRoute(async () => {
    checkSameOrigin(request);
    const scope = await requireScope();
    const { id } = await context.params;
    await deleteConversation(getDb(), scope, id);
    return new Response(null, { status: 204 });
  });
}
