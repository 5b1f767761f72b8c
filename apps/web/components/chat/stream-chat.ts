import type { ChatEvent } from '../../server/chat/types.ts';

/** A failed chat request, with the HTTP status when the server answered (0: it could not be reached). */
export class ChatRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * What to tell the asker when a question fails: the server's own words for a refusal it explains
 * (400, 404, 429), otherwise a plain sentence; never a status code or "Failed to fetch".
 */
export function describeChatFailure(error: unknown): string {
  if (error instanceof ChatRequestError) {
    if (error.status === 0) return "Clearance couldn't be reached. Check your connection, then retry.";
    if (error.status >= 400 && error.status < 500 && error.message) return error.message;
    if (error.status === 503) return 'Clearance is briefly unavailable. Retry in a few seconds.';
    return "Something went wrong on our side and your question wasn't answered. Retry, or try again later.";
  }
  return error instanceof Error && error.message
    ? error.message
    : "Something went wrong and your question wasn't answered. Retry in a moment.";
}

/**
 * POSTs to /api/chat and calls `onEvent` for each newline-delimited JSON event as it arrives. Throws a
 * ChatRequestError for a non-2xx answer (with the server's message) or when the server can't be reached.
 */
export async function streamChat(
  body: { conversationId?: string; message?: string; regenerate?: boolean },
  onEvent: (event: ChatEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ChatRequestError('', 0);
  }
  if (!response.ok || !response.body) {
    const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new ChatRequestError(payload?.error?.message ?? '', response.status);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    let chunk: ReadableStreamReadResult<string>;
    try {
      chunk = await reader.read();
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ChatRequestError('', 0);
    }
    if (chunk.done) break;
    buffer += chunk.value;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) onEvent(JSON.parse(line) as ChatEvent);
      newline = buffer.indexOf('\n');
    }
  }
  if (buffer.trim()) onEvent(JSON.parse(buffer) as ChatEvent);
}
