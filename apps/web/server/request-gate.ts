import { type IncomingMessage, Server, type ServerResponse } from 'node:http';
import { CLIENT_ADDRESS_HEADER, readAuthEnv, resolveClientAddress } from '@clearance/auth';

/** Methods some route or page answers; anything else (TRACE, TRACK, CONNECT, PROPFIND...) is 405. */
export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const ALLOWED = new Set<string>(ALLOWED_METHODS);

// %00 (any case) or a raw NUL anywhere in the path or query: PostgreSQL text can't hold one, and no
// legitimate page, id or search term needs it.
const NUL_IN_URL = /%00|\0/i;

function refuse(response: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(status === 405 ? { allow: ALLOWED_METHODS.join(', ') } : {}),
  });
  response.end(body);
}

/**
 * What happens to every request before Next.js sees it: unsupported methods get 405 (Node answers TRACE
 * with a 500 from inside Next otherwise), a NUL in the URL gets 400, and the client's address is written
 * into CLIENT_ADDRESS_HEADER from the socket (X-Forwarded-For only when the socket is a trusted proxy),
 * replacing anything the client sent under that name. Returns true when the request was answered here.
 */
export function gateRequest(request: IncomingMessage, response: ServerResponse): boolean {
  const method = (request.method ?? '').toUpperCase();
  if (!ALLOWED.has(method)) {
    refuse(response, 405, 'method_not_allowed:request', `${method || 'This method'} is not supported.`);
    return true;
  }
  if (NUL_IN_URL.test(request.url ?? '')) {
    refuse(response, 400, 'bad_request:nul', 'The request contains a NUL byte.');
    return true;
  }
  const forwarded = request.headers['x-forwarded-for'];
  const address = resolveClientAddress(
    request.socket.remoteAddress,
    Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
    readAuthEnv().trustedProxies,
  );
  if (address) request.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete request.headers[CLIENT_ADDRESS_HEADER];
  return false;
}

const INSTALLED = Symbol.for('clearance.requestGate');

/**
 * Puts gateRequest in front of every HTTP server of this process (`next start` owns its server, so
 * this wraps the 'request' event rather than the server). Idempotent.
 */
export function installRequestGate(): void {
  const proto = Server.prototype as Server & { [INSTALLED]?: boolean };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const emit = proto.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  proto.emit = function gatedEmit(this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const [request, response] = args as [IncomingMessage, ServerResponse];
      if (gateRequest(request, response)) return true;
    }
    return emit.call(this, event, ...args);
  } as Server['emit'];
}
