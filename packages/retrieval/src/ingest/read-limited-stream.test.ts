import { AppError } from '@clearance/errors';
import { describe, expect, it } from 'vitest';
import { checkContentLength, readStreamWithLimit } from './read-limited-stream.ts';

/** An endless stream that counts how many chunks were pulled from it. */
function endlessStream(chunkSize: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulled++;
      controller.enqueue(new Uint8Array(chunkSize));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe('readStreamWithLimit', () => {
  it('returns the whole body under the limit', async () => {
    const stream = new Blob([new Uint8Array(10), new Uint8Array(5)]).stream();
    expect((await readStreamWithLimit(stream, 15)).length).toBe(15);
  });

  it('aborts an over-limit stream as soon as the limit is crossed, without buffering it whole', async () => {
    const { stream, state } = endlessStream(1024);
    const error = await readStreamWithLimit(stream, 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(413);
    expect(state.pulled).toBeLessThanOrEqual(12);
    expect(state.cancelled).toBe(true);
  });

  it('rejects a declared Content-Length over the limit before reading', () => {
    expect(() => checkContentLength('20000', 10_000)).toThrow(AppError);
    expect(() => checkContentLength('100', 10_000)).not.toThrow();
    expect(() => checkContentLength(null, 10_000)).not.toThrow();
  });
});
