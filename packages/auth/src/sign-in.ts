import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { z } from 'zod';
import { recordAudit } from './audit.ts';
import { verifyPassword } from './passwords.ts';
import { clearRateLimit, hitRateLimit, releaseRateLimitHit } from './rate-limit.ts';

export type SignInLimits = {
  /**
   * Failures per account per window from all addresses. Past it, only addresses the account has signed
   * in from before (its owner's) may keep trying: guessing slows to a crawl, the owner isn't locked out.
   */
  perAccount: number;
  /** Attempts per account from one address per window: an attacker at a known address is throttled too. */
  perAccountAddress: number;
  /** Attempts per client address per window: bounds password spraying across many accounts. */
  perAddress: number;
  windowSeconds: number;
};

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAccount: 10,
  perAccountAddress: 10,
  perAddress: 50,
  windowSeconds: 15 * 60,
};

// An address the account signed in from within this many days counts as the owner's.
const KNOWN_ADDRESS_DAYS = 90;

function isPowerOfTwo(count: number): boolean {
  return count > 0 && (count & (count - 1)) === 0;
}

async function isKnownAddress(db: Db, email: string, address: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ known: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM rate_limits WHERE key = ${`sign-in:known:${email}:${address}`}
      AND window_start > now() - make_interval(days => ${KNOWN_ADDRESS_DAYS}::int)) AS known`;
  return rows[0]?.known === true;
}

async function rememberAddress(db: Db, email: string, address: string): Promise<void> {
  await db.$executeRaw`
    INSERT INTO rate_limits (key, window_start, count) VALUES (${`sign-in:known:${email}:${address}`}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET window_start = now()`;
}

// Bounded lengths: argon2 over a megabyte-long "password" is a cheap way to burn our CPU.
// No NUL: PostgreSQL text can't hold one, so it would fail the lookup instead of failing the sign-in.
const noNul = (value: string) => !value.includes('\0');
export const ZCredentials = z.object({
  email: z.string().trim().toLowerCase().max(320).refine(noNul),
  password: z.string().min(1).max(1024).refine(noNul),
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
  const accountKey = `sign-in:account:${email}`;
  const pairKey = `sign-in:account:${email}:address:${address}`;
  const addressKey = `sign-in:address:${address}`;
  const byAccount = await hitRateLimit(db, accountKey, { ...window, limit: limits.perAccount });
  const byPair = await hitRateLimit(db, pairKey, { ...window, limit: limits.perAccountAddress });
  const byAddress = await hitRateLimit(db, addressKey, { ...window, limit: limits.perAddress });
  // Failures are recorded in aggregate: a row when the account's or the address's count in this window
  // reaches 1, 2, 4, 8...; each carries both counts. 150 guesses leave 8 rows, not 150.
  const recordFailure = async (reason: string, actorId: string | null = null) => {
    if (!isPowerOfTwo(byAccount.count) && !isPowerOfTwo(byAddress.count)) return;
    await recordAudit(db, {
      actorId,
      action: 'auth.sign_in_failed',
      target: `email:${email}`,
      data: {
        method: 'password',
        reason,
        address,
        accountFailures: byAccount.count,
        addressFailures: byAddress.count,
        windowSeconds: limits.windowSeconds,
      },
    });
  };
  const accountClosed = !byAccount.allowed && !(await isKnownAddress(db, email, address));
  if (accountClosed || !byPair.allowed || !byAddress.allowed) {
    await recordFailure('rate_limited');
    const waits = [byAccount, byPair, byAddress].filter((result) => !result.allowed);
    throw new AppError('rate_limited:sign_in', 'Too many sign-in attempts. Try again later.', {
      retryAfter: Math.max(1, ...waits.map((result) => result.retryAfter)),
    });
  }
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, disabledAt: true },
  });
  const valid = await verifyPassword(user?.passwordHash, password);
  if (!user || !valid || user.disabledAt) {
    await recordFailure(!user ? 'unknown_email' : !valid ? 'wrong_password' : 'disabled', user?.id ?? null);
    // Only someone who knows the password learns the account is disabled: nothing to enumerate, and the
    // owner is told why instead of retrying a password that is right.
    if (user?.disabledAt && valid) {
      throw new AppError('forbidden:account_disabled', 'This account has been disabled.');
    }
    return null;
  }
  // Only failures count: the owner's success takes its own hit back everywhere, and forgets its
  // address's failures on this account, but never the account-wide count an attacker elsewhere built.
  await clearRateLimit(db, pairKey);
  await releaseRateLimitHit(db, accountKey);
  // Many people share one address behind an office NAT: only failures count against the address.
  await releaseRateLimitHit(db, addressKey);
  await rememberAddress(db, email, address);
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await recordAudit(db, {
    actorId: user.id,
    action: 'auth.sign_in',
    target: `user:${user.id}`,
    data: { method: 'password', address },
  });
  return { id: user.id, email: user.email, name: user.name };
}
