// POST /api/messages/:id/feedback - thumbs up/down with an optional comment on an answer
import { z } from 'zod';
import { setFeedback } from '../../../../../server/chat/conversations.ts';
import { parseJsonBody } from '../../../../../server/handle-route.ts';
import { handleSessionRoute } from '../../../../../server/session-route.ts';

export const dynamic = 'force-dynamic';

const ZFeedback = z.object({
  value: z.union([z.literal(1), z.literal(-1)]),
  comment: z.string().max(2000).nullish(),
});

export async function POST(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  return handleSessionRoute(request, async ({ db, scope }) => {
    const { id } = await context.params;
    const body = await parseJsonBody(request, ZFeedback);
    await setFeedback(db, scope, { messageId: id, value: body.value, comment: body.comment });
    return new Response(null, { status: 204 });
  });
}
