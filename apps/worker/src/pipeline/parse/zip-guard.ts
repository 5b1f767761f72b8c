import { inflateRawSync } from 'node:zlib';
import { listZipEntries } from '@clearance/retrieval';
import { ParseError } from './parse-error.ts';

export type ZipLimits = {
  /** Total uncompressed bytes across entries (default 200 MB). */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of an entry bigger than 1 MB (default 100). */
  maxRatio: number;
  maxEntries: number;
};

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 200 * 1024 * 1024,
  maxRatio: 100,
  maxEntries: 10_000,
};

const LOCAL_SIGNATURE = 0x04034b50;

/**
 * Refuses zip bombs before an office parser inflates anything: first by the sizes the archive declares
 * (total, per-entry ratio, ZIP64 markers), then by inflating every entry with a hard output cap equal to
 * its declared size, which catches archives that lie about their sizes. The parser child's memory limit
 * is the last line of defence, not the first.
 */
export function checkZipBomb(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  const entries = listZipEntries(bytes);
  if (!entries) throw new ParseError('The file is damaged: its zip structure cannot be read.');
  if (entries.length > limits.maxEntries)
    throw new ParseError('The document has too many parts to be safe to open.');
  let declared = 0;
  for (const entry of entries) {
    if (entry.uncompressedSize === 0xffffffff || entry.compressedSize === 0xffffffff) {
      throw new ParseError('The document is too large when uncompressed (ZIP64).');
    }
    declared += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > 1024 * 1024 && ratio > limits.maxRatio) {
      throw new ParseError(
        `The document looks like a zip bomb (a part expands ${Math.round(ratio)}×). It was not opened.`,
      );
    }
  }
  if (declared > limits.maxTotalBytes) {
    throw new ParseError('The document is too large when uncompressed to be opened safely.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let actual = 0;
  for (const entry of entries) {
    const at = entry.localHeaderOffset;
    if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_SIGNATURE) {
      throw new ParseError('The file is damaged: its zip structure cannot be read.');
    }
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const data = bytes.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) {
      actual += data.length;
    } else if (entry.method === 8) {
      try {
        // One byte over the declared size is enough to prove the archive lies.
        actual += inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize + 1) }).length;
      } catch (error) {
        if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new ParseError(
            'The document looks like a zip bomb (it expands beyond its declared size). It was not opened.',
          );
        }
        throw new ParseError('The file is damaged: a compressed part cannot be read.');
      }
    } else {
      throw new ParseError('The document uses an unsupported zip compression method.');
    }
    if (actual > limits.maxTotalBytes) {
      throw new ParseError('The document is too large when uncompressed to be opened safely.');
    }
  }
}
