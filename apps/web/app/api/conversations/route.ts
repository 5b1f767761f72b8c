// GET|POST /api/conversations - list (optionally search) or create the signed-in user's conversations
import { z } from 'zod';
import { createConversation, findConversations } from '../../../server/chat/conversations.ts';
import { parseJsonBody } from '../../../server/handle-route.ts';
import { LIMITS } from '../../../server/rate-limits.ts';
import { handleSessionRoute } from '../../../server/session-route.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return handleSessionRoute(request, async ({ db, scope }) => {
    const params = new URL(request.url).searchParams;
    const search = params.get('search') ?? undefined;
    const includeApi = params.get('include') === 'api';
    return Response.json({ conversations: await findConversations(db, scope, { search, includeApi }) });
  });
}

const ZCreate = z.object({ title: z.string().max(200).optional() });

export async function POST(request: Request): Promise<Response> {
  return handleSessionRoute(
    request,
    async ({ db, scope }) => {
      const body = await parseJsonBody(request, ZCreate);
      return Response.json(await createConversation(db, scope, body.title), { status: 201 });
    },
    { rateLimit: { name: 'conversation-create', ...LIMITS.conversationCreate } },
  );
}
