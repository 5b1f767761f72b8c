/**
 * A push-based async iterable: a producer task writes events, one consumer reads them. The producer
 * never waits for the consumer, so work that must finish (saving the message) finishes even when the
 * client goes away and stops reading.
 */
export function createEventChannel<T>() {
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
      buffer.push(event);
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
