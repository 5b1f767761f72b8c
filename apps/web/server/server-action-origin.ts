import 'server-only';
import { assertSameOrigin } from '@clearance/auth';
import { headers } from 'next/headers';
import { readWebEnv } from './env.ts';

/**
 * CSRF check for server actions: Next.js compares Origin with Host itself, and this repeats the check
 * against AUTH_URL so a misconfigured proxy cannot weaken it (Origin "null" is always refused).
 */
export async function assertServerActionOrigin(): Promise<void> {
  const requestHeaders = await headers();
  const host = requestHeaders.get('host') ?? 'localhost';
  assertSameOrigin({ method: 'POST', headers: requestHeaders, url: `http://${host}/` }, readWebEnv().appUrl);
}
