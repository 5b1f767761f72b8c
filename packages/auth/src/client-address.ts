import { BlockList, isIP } from 'node:net';

/**
 * The header the web server sets from the socket (never from the client): route handlers and Auth.js
 * read the caller's address from it. Any value a client sends under this name is overwritten.
 */
export const CLIENT_ADDRESS_HEADER = 'x-clearance-client-address';

/** Addresses and CIDR ranges of reverse proxies allowed to say who the client is (X-Forwarded-For). */
export type TrustedProxies = { list: BlockList; entries: string[] };

/** `::ffff:10.0.0.1` -> `10.0.0.1`, so IPv4 clients of a dual-stack socket compare as IPv4. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed.toLowerCase();
}

/**
 * Parses TRUSTED_PROXIES: comma-separated addresses or CIDR ranges (`10.0.0.0/8, ::1`). Empty means no
 * proxy is trusted and X-Forwarded-For is ignored. Null when an entry is not an address or range.
 */
export function parseTrustedProxies(value: string): TrustedProxies | null {
  const list = new BlockList();
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const normalized = normalizeAddress(address);
    const family = isIP(normalized);
    if (!family) return null;
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) {
      list.addAddress(normalized, type);
      continue;
    }
    const bits = Number(prefix);
    if (!/^\d{1,3}$/.test(prefix) || bits > (family === 6 ? 128 : 32)) return null;
    list.addSubnet(normalized, bits, type);
  }
  return { list, entries };
}

function isTrusted(trusted: TrustedProxies, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then the right-most
 * X-Forwarded-For hop that is not itself a trusted proxy (hops left of it were written by the client
 * and prove nothing). A client talking to the app directly cannot choose its address.
 */
export function resolveClientAddress(
  socketAddress: string | null | undefined,
  forwardedFor: string | null | undefined,
  trusted: TrustedProxies,
): string | null {
  if (!socketAddress) return null;
  let address = normalizeAddress(socketAddress);
  if (!forwardedFor || !isTrusted(trusted, address)) return address;
  const hops = forwardedFor
    .split(',')
    .map(normalizeAddress)
    .filter((hop) => isIP(hop) !== 0);
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    address = hops[index]!;
    if (!isTrusted(trusted, address)) break;
  }
  return address;
}

/** The caller's address as the web server resolved it (see CLIENT_ADDRESS_HEADER), or null. */
export function getClientAddress(headers: Pick<Headers, 'get'>): string | null {
  return headers.get(CLIENT_ADDRESS_HEADER)?.trim() || null;
}
