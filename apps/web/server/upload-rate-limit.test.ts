import { describe, expect, it } from 'vitest';
import { readUploadRateLimit } from './upload-rate-limit.ts';

describe('readUploadRateLimit', () => {
  it('defaults to 60 uploads per minute and reads a configured value', () => {
    expect(readUploadRateLimit({})).toBe(60);
    expect(readUploadRateLimit({ UPLOAD_RATE_LIMIT: '5' })).toBe(5);
  });

  it('refuses a value that is not a positive whole number, naming the variable', () => {
    for (const value of ['0', '-3', '2.5', 'many']) {
      expect(() => readUploadRateLimit({ UPLOAD_RATE_LIMIT: value }), value).toThrow(/^UPLOAD_RATE_LIMIT /);
    }
  });
});
