// POST /api/chat - stream a grounded answer (newline-delimited JSON events) for the signed-in user
import { answerQuestion } from '../../../server/chat/answer-question.ts';
import { ZChatRequest } from '../../../server/chat/chat-request.ts';
import type { ChatEvent } from '../../../server/chat/types.ts';
import { parseJsonBody } from '../../../server/handle-route.ts';
import { LIMITS } from '../../../server/rate-limits.ts';
import { handleSessionRoute } from '../../../server/session-route.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  return handleSessionRoute(
    request,
    async ({ db, scope }) => {
      const body = await parseJsonBody(request, ZChatRequest);
      const controller = new AbortController();
      request.signal.addEventListener('abort', () => controller.abort(), { once: true });
      const events = await answerQuestion({ db, scope, ...body, signal: controller.signal });
      return new Response(toNdjsonStream(events, controller), {
        headers: {
          'content-type': 'application/x-ndjson; charset=utf-8',
          // no-transform: compressing a token stream would buffer it and cost a zlib flush per event.
          'cache-control': 'no-store, no-transform',
          'x-accel-buffering': 'no',
        },
      });
    },
    { rateLimit: { name: 'chat', ...LIMITS.chat } },
  );
}

function toNdjsonStream(
  events: AsyncIterable<ChatEvent>,
  controller: AbortController,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(stream) {
      const next = await iterator.next();
      if (next.done) stream.close();
      else stream.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    cancel() {
      // The client stopped reading (Stop button or navigation): end generation; the answer is saved as stopped.
      controller.abort();
    },
  });
}
