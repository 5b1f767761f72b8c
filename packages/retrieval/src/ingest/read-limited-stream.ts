import { AppError } from '@clearance/errors';

function tooLarge(maxBytes: number): AppError {
  const mb = (maxBytes / (1024 * 1024)).toFixed(maxBytes % (1024 * 1024) === 0 ? 0 : 1);
  return new AppError('payload_too_large:upload', `The file is larger than the ${mb} MB upload limit.`);
}

/**
 * Rejects early from a Content-Length header (413 before reading a byte). A missing or malformed
 * header is not an error: the streaming check below still applies.
 */
export function checkContentLength(header: string | null | undefined, maxBytes: number): void {
  if (!header) return;
  const length = Number(header);
  if (Number.isFinite(length) && length > maxBytes) throw tooLarge(maxBytes);
}

/**
 * Reads a web ReadableStream into memory, aborting with AppError 413 as soon as more than `maxBytes`
 * arrive, so an oversized (or lying-Content-Length) body is never buffered whole. The stream is cancelled
 * on abort so the client connection is released.
 */
export async function readStreamWithLimit(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel('upload too large').catch(() => {});
        throw tooLarge(maxBytes);
      }
      parts.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}
