import 'server-only';

/**
 * A push-based async iterable: a producer task writes events, one consumer reads them. The producer
 * never waits for the consumer, so work that must finish (saving the message) finishes even when the
 * client goes away and stops reading.
 * `merge` may combine an event with the last unread one (return null to keep both).
 */
export function createEventChannel<T>(options: { merge?: (last: T, next: T) => T | null } = {}) {
  const buffer: T[] = [];
  let closed = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  return {
    push(event: T) {
      if (closed) return;
      // While the consumer lags, consecutive events may be merged (e.g. text deltas): fewer, larger
      // writes under load, unchanged streaming when the consumer keeps up.
      const last = buffer.at(-1);
      const merged = last !== undefined && options.merge ? options.merge(last, event) : null;
      if (merged !== null) buffer[buffer.length - 1] = merged;
      else buffer.push(event);
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<T> {
      for (;;) {
        if (buffer.length) {
          yield buffer.shift()!;
          continue;
        }
        if (closed) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}
