import type { Db } from '@clearance/db';
import { z } from 'zod';
import { AppError } from './app-error.ts';
import { recordAudit } from './audit.ts';
import { verifyPassword } from './passwords.ts';
import { clearRateLimit, hitRateLimit, releaseRateLimitHit } from './rate-limit.ts';

export type SignInLimits = {
  /** Attempts per account (email) per window. */
  perAccount: number;
  /** Attempts per client address per window: bounds password spraying across many accounts. */
  perAddress: number;
  windowSeconds: number;
};

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAccount: 10,
  perAddress: 50,
  windowSeconds: 15 * 60,
};

// Bounded lengths: argon2 over a megabyte-long "password" is a cheap way to burn our CPU.
export const ZCredentials = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().min(1).max(1024),
});
export type Credentials = z.infer<typeof ZCredentials>;

export type SignedInUser = { id: string; email: string; name: string | null };

/**
 * Checks an email + password. Returns the user, or null for an unknown email or a wrong password alike
 * (same answer, and the same argon2 work, so neither reveals which emails exist). Throws AppError
 * `forbidden:account_disabled` for a disabled user's correct password.
 * Throws AppError `rate_limited:sign_in` (429, with retryAfter) once the account or the client address
 * exceeds its attempts. Audits success and failure; never records the password.
 */
export async function authorizeCredentials(
  db: Db,
  input: { email: unknown; password: unknown; clientAddress?: string | null },
  limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
): Promise<SignedInUser | null> {
  const parsed = ZCredentials.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const address = input.clientAddress || 'unknown';
  const window = { windowSeconds: limits.windowSeconds };
  const byAccount = await hitRateLimit(db, `sign-in:account:${email}`, {
    ...window,
    limit: limits.perAccount,
  });
  const byAddress = await hitRateLimit(db, `sign-in:address:${address}`, {
    ...window,
    limit: limits.perAddress,
  });
  if (!byAccount.allowed || !byAddress.allowed) {
    // Only the first refusal per window is recorded, so an attack can't flood the audit trail.
    if (byAccount.count === limits.perAccount + 1 || byAddress.count === limits.perAddress + 1) {
      await recordAudit(db, {
        actorId: null,
        action: 'auth.sign_in_failed',
        target: `email:${email}`,
        data: { method: 'password', reason: 'rate_limited', address },
      });
    }
    throw new AppError('rate_limited:sign_in', 'Too many sign-in attempts. Try again later.', {
      retryAfter: Math.max(
        byAccount.allowed ? 0 : byAccount.retryAfter,
        byAddress.allowed ? 0 : byAddress.retryAfter,
      ),
    });
  }
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, disabledAt: true },
  });
  const valid = await verifyPassword(user?.passwordHash, password);
  if (!user || !valid || user.disabledAt) {
    await recordAudit(db, {
      actorId: user?.id ?? null,
      action: 'auth.sign_in_failed',
      target: `email:${email}`,
      data: {
        method: 'password',
        reason: !user ? 'unknown_email' : !valid ? 'wrong_password' : 'disabled',
        address,
      },
    });
    // Only someone who knows the password learns the account is disabled: nothing to enumerate, and the
    // owner is told why instead of retrying a password that is right.
    if (user?.disabledAt && valid) {
      throw new AppError('forbidden:account_disabled', 'This account has been disabled.');
    }
    return null;
  }
  await clearRateLimit(db, `sign-in:account:${email}`);
  // Many people share one address behind an office NAT: only failures count against the address.
  await releaseRateLimitHit(db, `sign-in:address:${address}`);
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await recordAudit(db, {
    actorId: user.id,
    action: 'auth.sign_in',
    target: `user:${user.id}`,
    data: { method: 'password', address },
  });
  return { id: user.id, email: user.email, name: user.name };
}

/**
 * The client's address for rate limiting: the first X-Forwarded-For hop (set by the reverse proxy in
 * front of the app), else X-Real-IP. A client can forge these without a proxy; the per-account limit
 * still holds then.
 */
export function getClientAddress(headers: Pick<Headers, 'get'>): string | null {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || headers.get('x-real-ip')?.trim() || null;
}
