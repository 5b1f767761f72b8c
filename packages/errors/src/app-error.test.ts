import { describe, expect, it } from 'vitest';
import { AppError, isAppError, toErrorResponse } from './app-error.ts';

describe('AppError', () => {
  it('answers with its status and a JSON body', async () => {
    const response = new AppError('not_found:document').toResponse();
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found:document', message: 'Not found.' } });
    const limited = new AppError('rate_limited:sign_in', undefined, { retryAfter: 12.2 }).toResponse();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('13');
  });
  it('hides unknown errors behind a generic 500 and logs them with the request id', async () => {
    const lines: string[] = [];
    const response = toErrorResponse(new Error('relation "secret" does not exist'), 'req-1', (line) =>
      lines.push(line),
    );
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain('secret');
    expect(lines[0]).toContain('[req-1]');
    expect(lines[0]).toContain('relation "secret"');
  });
  it('recognises an AppError from another copy of this module (a Next.js server bundle holds its own)', () => {
    const copy = Object.assign(new Error('Not found.'), { name: 'AppError', code: 'not_found:document' });
    expect(isAppError(copy)).toBe(true);
    expect(isAppError(new Error('plain'))).toBe(false);
  });
});
