// GET /api/conversations/:id/messages - the thread of one of the signed-in user's conversations
import { getDb } from '@clearance/db';
import { findThreadMessages, getOwnConversation } from '../../../../../server/chat/conversations.ts';
import { handleRoute } from '../../../../../server/handle-route.ts';
import { requireScope } from '../../../../../server/request-scope.ts';

export const dynamic = 'force-dynamic';

export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  return handleRoute(async () => {
    const scope = await requireScope();
    const { id } = await context.params;
    const db = getDb();
    const conversation = await getOwnConversation(db, scope, id);
    const messages = await findThreadMessages(db, scope, id);
    return Response.json({
      conversation: { id: conversation.id, title: conversation.title },
      messages,
    });
  });
}
