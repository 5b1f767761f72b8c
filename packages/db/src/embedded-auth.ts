import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';

const PASSWORD_FILE = 'pg-password';
const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;

/**
 * The embedded database's password: generated once into DATA_DIR/pg-password (mode 600), so only the
 * service's user can connect, even to a port on 127.0.0.1 that every local user can reach.
 */
export function loadOrCreateEmbeddedPassword(dataDir: string): string {
  const file = path.join(dataDir, PASSWORD_FILE);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  } catch {
    // first start
  }
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'w' });
  return password;
}

function md5(text: string | Buffer): string {
  return createHash('md5').update(text).digest('hex');
}

function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8')]);
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

/** Parses the StartupMessage's parameters (user, database, ...). */
function startupParameters(message: Buffer): Map<string, string> {
  const parts = message
    .subarray(8, message.length - 1)
    .toString('utf8')
    .split('\0');
  const params = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length; i += 2) params.set(parts[i]!, parts[i + 1]!);
  return params;
}

/**
 * Puts password authentication (PostgreSQL's md5 exchange, which every driver speaks; the password never
 * crosses the socket) in front of a pglite-socket server, which on its own accepts anyone. Each new
 * connection's StartupMessage is held back until the password checks out, then handed to the server
 * with the rest of the connection; a wrong password gets FATAL 28P01 and the connection is closed.
 */
export function requirePassword(server: object, password: string): void {
  const target = server as { handleConnection?: (socket: Socket) => Promise<void> };
  const handleConnection = target.handleConnection?.bind(server);
  if (!handleConnection) {
    throw new Error('pglite-socket changed its internals: review embedded-auth.ts before upgrading');
  }
  target.handleConnection = async (socket: Socket) => {
    let buffer = Buffer.alloc(0);
    let startup: Buffer | undefined;
    let salt: Buffer | undefined;
    const fail = (code: string, message: string) => {
      socket.off('data', onData);
      socket.end(errorResponse(code, message));
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 8) {
        if (!startup) {
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          if (code === SSL_REQUEST || code === GSS_REQUEST) {
            // Loopback only: no TLS; the client then continues in plain text.
            buffer = buffer.subarray(length);
            socket.write('N');
            continue;
          }
          if (code !== PROTOCOL_3) return fail('08P01', 'unsupported frontend protocol');
          startup = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          salt = randomBytes(4);
          const request = Buffer.alloc(13);
          request.write('R', 0);
          request.writeInt32BE(12, 1);
          request.writeInt32BE(5, 5);
          salt.copy(request, 9);
          socket.write(request);
          continue;
        }
        if (buffer.length < 5) return;
        const length = buffer.readInt32BE(1) + 1;
        if (buffer.length < length) return;
        if (buffer[0] !== 0x70) return fail('08P01', 'expected a password message');
        const answer = buffer.subarray(5, length - 1);
        const rest = buffer.subarray(length);
        const user = startupParameters(startup).get('user') ?? '';
        const expected = Buffer.from(`md5${md5(Buffer.concat([Buffer.from(md5(password + user)), salt!]))}`);
        if (answer.length !== expected.length || !timingSafeEqual(answer, expected)) {
          return fail('28P01', `password authentication failed for user "${user}"`);
        }
        socket.off('data', onData);
        socket.pause();
        void handleConnection(socket).then(() => {
          // The server's handler is attached now: give it the held-back startup and anything after it.
          socket.emit('data', Buffer.concat([startup!, rest]));
          socket.resume();
        });
        return;
      }
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  };
}
