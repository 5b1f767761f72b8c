// GET|POST /api/conversations - list (optionally search) or create the signed-in user's conversations
import { getDb } from '@clearance/db';
import { z } from 'zod';
import { createConversation, findConversations } from '../../../server/chat/conversations.ts';
import { checkSameOrigin, handleRoute, parseJsonBody } from '../../../server/handle-route.ts';
import { requireScope } from '../../../server/request-scope.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return handleRoute(async () => {
    const scope = await requireScope();
    const params = new URL(request.url).searchParams;
    const search = params.get('search') ?? undefined;
    const includeApi = params.get('include') === 'api';
    return Response.json({ conversations: await findConversations(getDb(), scope, { search, includeApi }) });
  });
}

const ZCreate = z.object({ title: z.string().max(200).optional() });

export async function POST(request: Request): Promise<Response> {
  return handleRoute(async () => {
    checkSameOrigin(request);
    const scope = await requireScope();
    const body = await parseJsonBody(request, ZCreate);
    return Response.json(await createConversation(getDb(), scope, body.title), { status: 201 });
  });
}
