import 'server-only';
import { type AccessScope, isUuid, withManage } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';

// The answer is saved once generation has ended; Stop aborts it, so this is a few hundred ms at most.
const WAIT_FOR_ANSWER_MS = 15_000;
const POLL_MS = 100;

/** Markers `[n]` that a text still carries: the citations an answer keeps when it is cut short. */
export function findMarkers(text: string): Set<number> {
  return new Set([...text.matchAll(/\[(\d{1,3})\]/g)].map((match) => Number(match[1])));
}

/**
 * Stop, as the asker saw it: the stored answer is cut to the `shownChars` characters the browser had
 * shown when Stop was pressed, marked "stopped", and keeps only the citations still in that text.
 * Aborting the request ends generation; this makes the record equal what was shown, because tokens
 * already generated (or in flight) when Stop was pressed were never seen. Waits for the answer row
 * (written when generation ends). Only the caller's own answers; not_found otherwise.
 */
export async function stopAnswer(
  db: Db,
  scope: AccessScope,
  input: { messageId: string; shownChars: number },
): Promise<{ content: string }> {
  if (!isUuid(input.messageId)) throw new AppError('not_found:message');
  const deadline = Date.now() + WAIT_FOR_ANSWER_MS;
  for (;;) {
    const message = await db.message.findFirst({
      where: { id: input.messageId, role: 'assistant', conversation: { userId: scope.userId } },
      select: { id: true, content: true, status: true },
    });
    if (message) {
      if (message.status === 'error') return { content: message.content };
      const content = message.content.slice(0, input.shownChars);
      const kept = [...findMarkers(content)];
      // Manage mode only to delete this answer's own dropped citations (read mode may only insert them);
      // ownership was checked above.
      await withManage(db, async (tx) => {
        await tx.message.update({ where: { id: message.id }, data: { content, status: 'stopped' } });
        await tx.citation.deleteMany({ where: { messageId: message.id, marker: { notIn: kept } } });
      });
      return { content };
    }
    if (Date.now() > deadline) throw new AppError('not_found:message');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
