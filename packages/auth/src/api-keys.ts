import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { z } from 'zod';
import {
  type AccessScope,
  type Actor,
  getActorId,
  getActorVia,
  isSystemActor,
  isUuid,
} from './access-scope.ts';
import { recordAudit } from './audit.ts';
import { canAdminister } from './permissions.ts';
import { withManage } from './with-scope.ts';

/** A key nobody remembers to revoke should still die: 90 days unless the creator chooses otherwise. */
export const DEFAULT_KEY_DAYS = 90;

const KEY_PATTERN = /^clr_([0-9a-f]{8})_([A-Za-z0-9_-]{32})$/;

/** sha256 hex of the whole key: keys are high-entropy, so a fast hash is enough and lookups stay O(1). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

type ApiKeyRow = {
  id: string;
  revoked_at: Date | null;
  expires_at: Date | null;
  last_used_at: Date | null;
  user_id: string;
  is_admin: boolean;
  disabled_at: Date | null;
  role_ids: string[];
};

// Writing last_used_at on every call would turn each API read into a write; a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The scope of an API key (`Authorization: Bearer clr_…`, or the bare key). Null when the key is
 * malformed, unknown, revoked, or its owner is disabled; the owner's roles are read fresh each call.
 */
export async function resolveApiKey(
  db: Db,
  bearerToken: string | null | undefined,
): Promise<AccessScope | null> {
  if (!bearerToken) return null;
  const key = bearerToken.replace(/^Bearer\s+/i, '').trim();
  if (!KEY_PATTERN.test(key)) return null;
  // One statement (the owner and roles joined in SQL): Prisma's nested select was three round trips, on
  // every /api/v1 request.
  const [row] = await db.$queryRaw<ApiKeyRow[]>`
    SELECT k.id::text, k.revoked_at, k.expires_at, k.last_used_at, u.id::text AS user_id, u.is_admin, u.disabled_at,
      ARRAY(SELECT r.role_id::text FROM user_roles r WHERE r.user_id = u.id) AS role_ids
    FROM api_keys k JOIN users u ON u.id = k.user_id
    WHERE k.hash = ${hashApiKey(key)}`;
  if (!row || row.revoked_at || row.disabled_at) return null;
  if (row.expires_at && row.expires_at.getTime() <= Date.now()) return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { userId: row.user_id, roleIds: row.role_ids.sort(), isAdmin: row.is_admin, via: 'apikey' };
}

export const ZCreateApiKeyInput = z.strictObject({
  userId: z.uuid(),
  name: z.string().trim().min(1).max(100).default('API key'),
  /** Days until the key stops working; null never expires (allowed, but the web form always sets one). */
  expiresInDays: z.int().min(1).max(3650).nullable().default(DEFAULT_KEY_DAYS),
});
export type CreateApiKeyInput = z.input<typeof ZCreateApiKeyInput>;

export type CreatedApiKey = {
  id: string;
  name: string;
  prefix: string;
  expiresAt: Date | null;
  key: string;
};

/**
 * Creates a personal API key for `userId` (the actor themself, or anyone when the actor is an admin).
 * The returned `key` is the only time the secret exists outside the caller: only its hash is stored.
 */
export async function createApiKey(
  db: Db,
  { actor, ...input }: CreateApiKeyInput & { actor: Actor },
): Promise<CreatedApiKey> {
  const { userId, name, expiresInDays } = ZCreateApiKeyInput.parse(input);
  const expiresAt = expiresInDays === null ? null : new Date(Date.now() + expiresInDays * 86_400_000);
  // A key can't mint keys: a leaked key would otherwise outlive its own revocation.
  if (!isSystemActor(actor) && actor.via === 'apikey') throw new AppError('forbidden:apikey');
  const own = !isSystemActor(actor) && actor.userId === userId;
  if (!own && !canAdminister(actor)) throw new AppError('not_found:user');
  const prefix = randomBytes(4).toString('hex');
  const key = `clr_${prefix}_${randomBytes(24).toString('base64url')}`;
  return withManage(db, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, disabledAt: true } });
    if (!user) throw new AppError('not_found:user');
    if (user.disabledAt) throw new AppError('conflict:user', 'The user is disabled.');
    const row = await tx.apiKey.create({
      data: { userId, name, prefix: `clr_${prefix}`, hash: hashApiKey(key), expiresAt },
      select: { id: true, name: true, prefix: true, expiresAt: true },
    });
    await recordAudit(tx, {
      actorId: getActorId(actor),
      action: 'apikey.create',
      target: `apikey:${row.id}`,
      data: { via: getActorVia(actor), userId, name, prefix: row.prefix, expiresAt },
    });
    return { ...row, key };
  });
}

/**
 * Revokes a key. The owner may revoke their own keys and an admin anyone's; for anyone else the key
 * does not exist (not_found, never forbidden: ids of other users' keys must not be confirmable).
 */
export async function revokeApiKey(db: Db, { actor, keyId }: { actor: Actor; keyId: string }): Promise<void> {
  if (!isUuid(keyId)) throw new AppError('not_found:apikey');
  await withManage(db, async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id: keyId } });
    const own = key && !isSystemActor(actor) && key.userId === actor.userId;
    if (!key || (!own && !canAdminister(actor))) throw new AppError('not_found:apikey');
    if (key.revokedAt) return;
    const revokedAt = new Date();
    await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt } });
    await recordAudit(tx, {
      actorId: getActorId(actor),
      action: 'apikey.revoke',
      target: `apikey:${keyId}`,
      data: {
        via: getActorVia(actor),
        userId: key.userId,
        before: { revokedAt: null },
        after: { revokedAt },
      },
    });
  });
}

export type ApiKeySummary = {
  id: string;
  userId: string;
  ownerEmail: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

/**
 * The actor's own keys, or (admins, the CLI) the keys of `userId`, or with `all` every user's keys.
 * Never returns hashes.
 */
export async function findApiKeys(
  db: Db,
  { actor, userId, all = false }: { actor: Actor; userId?: string; all?: boolean },
): Promise<ApiKeySummary[]> {
  if (all && !canAdminister(actor)) throw new AppError('forbidden:admin');
  const ownerId = userId ?? (isSystemActor(actor) ? undefined : actor.userId);
  if (!all) {
    if (!ownerId || !isUuid(ownerId)) return [];
    const own = !isSystemActor(actor) && actor.userId === ownerId;
    if (!own && !canAdminister(actor)) throw new AppError('not_found:user');
  }
  const rows = await db.apiKey.findMany({
    where: all ? {} : { userId: ownerId },
    orderBy: { createdAt: 'desc' },
    take: 2000,
    select: {
      id: true,
      userId: true,
      name: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      user: { select: { email: true } },
    },
  });
  return rows.map(({ user, ...row }) => ({ ...row, ownerEmail: user.email }));
}

/**
 * Revokes every live key of `userId` inside the caller's transaction (disable, password reset): a key
 * must not outlive the credentials or the account it was minted under. Audited as one event.
 */
export async function revokeUserApiKeys(
  tx: Pick<Db, 'apiKey' | '$executeRaw'>,
  { actor, userId, reason }: { actor: Actor; userId: string; reason: 'user.disable' | 'user.password_reset' },
): Promise<number> {
  const revokedAt = new Date();
  const { count } = await tx.apiKey.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt },
  });
  if (count > 0) {
    await recordAudit(tx, {
      actorId: getActorId(actor),
      action: 'apikey.revoke_all',
      target: `user:${userId}`,
      data: { via: getActorVia(actor), reason, count },
    });
  }
  return count;
}
