import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '@clearance/db';

/** Absolute session lifetime: a stolen cookie stops working after this even if it keeps being used. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

// Only the hash is stored, so a database read does not yield live session ids.
function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/**
 * Starts a server-side session and returns its id, which goes inside the (encrypted) JWT. A new id per
 * sign-in rotates the cookie; deleting the row kills every copy of it.
 */
export async function startSession(
  db: Pick<Db, 'session'>,
  userId: string,
  maxAgeSeconds = SESSION_MAX_AGE_SECONDS,
): Promise<{ sessionId: string; expires: Date }> {
  const sessionId = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + maxAgeSeconds * 1000);
  await db.session.create({ data: { sessionToken: hashSessionId(sessionId), userId, expires } });
  return { sessionId, expires };
}

/**
 * The user of a live session: the row exists, has not expired, and its user is not disabled.
 * Null otherwise (signed out, expired, disabled, or a forged id).
 */
export async function getSessionUserId(db: Pick<Db, 'session'>, sessionId: unknown): Promise<string | null> {
  if (typeof sessionId !== 'string' || sessionId.length < 20 || sessionId.length > 100) return null;
  const row = await db.session.findUnique({
    where: { sessionToken: hashSessionId(sessionId) },
    select: { userId: true, expires: true, user: { select: { disabledAt: true } } },
  });
  if (!row || row.expires.getTime() <= Date.now() || row.user.disabledAt) return null;
  return row.userId;
}

/** Ends a session (sign-out): any replay of its cookie is rejected from now on. */
export async function endSession(db: Pick<Db, 'session'>, sessionId: unknown): Promise<void> {
  if (typeof sessionId !== 'string') return;
  await db.session.deleteMany({ where: { sessionToken: hashSessionId(sessionId) } });
}

/** Ends every session of a user (password reset, disabling). */
export async function endUserSessions(db: Pick<Db, 'session'>, userId: string): Promise<void> {
  await db.session.deleteMany({ where: { userId } });
}
