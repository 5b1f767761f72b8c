// POST /api/messages/:id/stop - Stop pressed: the stored answer becomes what the asker had been shown
import { getDb } from '@clearance/db';
import { z } from 'zod';
import { stopAnswer } from '../../../../../server/chat/stop-answer.ts';
import { checkSameOrigin, handleRoute, parseJsonBody } from '../../../../../server/handle-route.ts';
import { requireScope } from '../../../../../server/request-scope.ts';

export const dynamic = 'force-dynamic';

const ZStop = z.object({ shownChars: z.number().int().min(0).max(1_000_000) });

export async function POST(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  return handleRoute(async () => {
    checkSameOrigin(request);
    const scope = await requireScope();
    const { id } = await context.params;
    const body = await parseJsonBody(request, ZStop);
    return Response.json(await stopAnswer(getDb(), scope, { messageId: id, shownChars: body.shownChars }));
  });
}
