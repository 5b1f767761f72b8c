// GET /api/conversations/:id/messages - the thread of one of the signed-in user's conversations
import { findThreadMessages, getOwnConversation } from '../../../../../server/chat/conversations.ts';
import { handleSessionRoute } from '../../../../../server/session-route.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return handleSessionRoute(request, async ({ db, scope }) => {
    const { id } = await context.params;
    const conversation = await getOwnConversation(db, scope, id);
    const messages = await findThreadMessages(db, scope, id);
    return Response.json({
      conversation: { id: conversation.id, title: conversation.title },
      messages,
    });
  });
}
