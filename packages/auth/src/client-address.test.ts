import { describe, expect, it } from 'vitest';
import { parseTrustedProxies, resolveClientAddress } from './client-address.ts';

describe('resolveClientAddress', () => {
  const none = parseTrustedProxies('')!;
  const proxies = parseTrustedProxies('10.0.0.0/8, ::1')!;

  it('ignores X-Forwarded-For unless the socket is a trusted proxy', () => {
    expect(resolveClientAddress('::ffff:127.0.0.1', '203.0.113.9', none)).toBe('127.0.0.1');
    expect(resolveClientAddress('192.0.2.1', '203.0.113.9', proxies)).toBe('192.0.2.1');
  });

  it('takes the right-most hop that is not a trusted proxy', () => {
    expect(resolveClientAddress('10.1.2.3', '6.6.6.6, 203.0.113.9, 10.0.0.7', proxies)).toBe('203.0.113.9');
    expect(resolveClientAddress('::1', '203.0.113.9', proxies)).toBe('203.0.113.9');
  });

  it('refuses entries that are not addresses or ranges', () => {
    expect(parseTrustedProxies('proxy.internal')).toBeNull();
    expect(parseTrustedProxies('10.0.0.0/33')).toBeNull();
    expect(parseTrustedProxies(' 10.0.0.1 , fd00::/8')?.entries).toEqual(['10.0.0.1', 'fd00::/8']);
  });
});
