// POST /api/v1/chat - grounded answer for an API key's owner: JSON, or server-sent events when stream is true
import { handleApiRoute } from '../../../../server/api-v1.ts';
import { type ApiChatResponse, ZApiChatRequest } from '../../../../server/api-v1-schemas.ts';
import { answerQuestion } from '../../../../server/chat/answer-question.ts';
import type { ChatCitation, ChatEvent } from '../../../../server/chat/types.ts';
import { parseJsonBody } from '../../../../server/handle-route.ts';
import { LIMITS } from '../../../../server/rate-limits.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  return handleApiRoute(
    request,
    async ({ db, scope }) => {
      const body = await parseJsonBody(request, ZApiChatRequest);
      const controller = new AbortController();
      request.signal.addEventListener('abort', () => controller.abort(), { once: true });
      const events = await answerQuestion({
        db,
        scope,
        conversationId: body.conversationId,
        message: body.message,
        signal: controller.signal,
      });
      if (body.stream) return new Response(toEventStream(events, controller), { headers: SSE_HEADERS });
      let conversationId = '';
      let messageId = '';
      let answer = '';
      let citations: ChatCitation[] = [];
      let unanswered = false;
      for await (const event of events) {
        if (event.type === 'meta') ({ conversationId, messageId } = event);
        else if (event.type === 'citations') citations = event.citations;
        else if (event.type === 'done') ({ content: answer, unanswered } = event);
        else if (event.type === 'error') {
          return Response.json({ error: { code: 'internal:chat', message: event.message } }, { status: 500 });
        }
      }
      return Response.json({
        answer,
        citations,
        conversationId,
        messageId,
        unanswered,
      } satisfies ApiChatResponse);
    },
    { name: 'chat', ...LIMITS.chat },
  );
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform: compressing a token stream would buffer it and cost a zlib flush per event.
  'cache-control': 'no-store, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

function toEventStream(
  events: AsyncIterable<ChatEvent>,
  controller: AbortController,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(stream) {
      const next = await iterator.next();
      if (next.done) {
        stream.close();
        return;
      }
      const { type, ...data } = next.value;
      stream.enqueue(encoder.encode(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`));
    },
    cancel() {
      controller.abort();
    },
  });
}
