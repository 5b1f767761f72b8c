import type { Db } from '@clearance/db';

/**
 * Who is asking and what they may read. Resolved from the database on every request, so revoking a
 * role or disabling a user takes effect on the next request. `isAdmin` is a management permission,
 * not a data clearance: reads are governed by `roleIds` alone.
 */
export type AccessScope = { userId: string; roleIds: string[]; isAdmin: boolean; via: 'session' | 'apikey' };

/** The operator CLI and other trusted local tooling: audited with actorId null. */
export type SystemActor = { system: 'cli' };

/** Whoever performs an admin operation. */
export type Actor = AccessScope | SystemActor;

/** The actor the operator CLI uses. */
export const CLI_ACTOR: SystemActor = { system: 'cli' };

/** Whether `actor` is the system (CLI) rather than a signed-in user. */
export function isSystemActor(actor: Actor): actor is SystemActor {
  return 'system' in actor;
}

/** The user id to record in the audit trail (null for the system). */
export function getActorId(actor: Actor): string | null {
  return isSystemActor(actor) ? null : actor.userId;
}

/** How the actor reached us, recorded in audit data. */
export function getActorVia(actor: Actor): string {
  return isSystemActor(actor) ? actor.system : actor.via;
}

type DbLike = Pick<Db, 'user'>;

/**
 * The scope of a signed-in user, read fresh from the database: current roles, admin flag, disabled
 * state. Returns null for an unknown or disabled user (the caller answers 401).
 */
export async function resolveScopeForUser(
  db: DbLike,
  userId: string,
  via: AccessScope['via'] = 'session',
): Promise<AccessScope | null> {
  if (!isUuid(userId)) return null;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, isAdmin: true, disabledAt: true, roles: { select: { roleId: true } } },
  });
  if (!user || user.disabledAt) return null;
  return {
    userId: user.id,
    roleIds: user.roles.map((role) => role.roleId).sort(),
    isAdmin: user.isAdmin,
    via,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID (ids from URLs and tokens are checked before they reach SQL casts). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
