import type { Db } from '@clearance/db';
import { recordAudit } from './audit.ts';
import type { RoleMap } from './env.ts';

/**
 * The Clearance role names an IdP groups claim maps to. Only groups listed in the map count: an IdP
 * group that happens to share a role's name grants nothing by itself. Accepts an array claim or a
 * comma/space-separated string.
 */
export function mapGroupsToRoles(groupsClaim: unknown, roleMap: RoleMap): string[] {
  const groups = Array.isArray(groupsClaim)
    ? groupsClaim.filter((group): group is string => typeof group === 'string')
    : typeof groupsClaim === 'string'
      ? groupsClaim.split(/[\s,]+/)
      : [];
  const roles = new Set<string>();
  for (const group of groups) {
    const role = Object.hasOwn(roleMap, group) ? roleMap[group] : undefined;
    if (role) roles.add(role);
  }
  return [...roles].sort();
}

export type OidcSignIn = {
  issuer: string;
  /** The IdP's stable subject id (`sub`). */
  subject: string;
  email: unknown;
  emailVerified?: unknown;
  name?: unknown;
  groups: unknown;
  roleMap: RoleMap;
};

/**
 * Signs in an SSO user: finds the user linked to (issuer, sub), or links an existing account with the
 * same email when the IdP vouches for the email (or the account came from this issuer), or creates the
 * user on first sign-in. Then replaces their roles with the mapped roles that exist, on every sign-in,
 * so IdP group changes reach Clearance at the next sign-in. Returns null (sign-in refused) for a
 * disabled user, a missing email, or an email taken by an account the IdP can't vouch for.
 */
export async function provisionOidcUser(db: Db, input: OidcSignIn): Promise<{ id: string } | null> {
  const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
  // Inside the transaction, pass `tx`: on PGlite a second connection would wait for it forever.
  const refuse = async (writer: Pick<Db, '$executeRaw'>, reason: string, actorId: string | null = null) => {
    await recordAudit(writer, {
      actorId,
      action: 'auth.sign_in_failed',
      target: `email:${email}`,
      data: { method: 'oidc', issuer: input.issuer, reason },
    });
    return null;
  };
  if (!email || !input.subject) return refuse(db, 'missing_email');
  const roleNames = mapGroupsToRoles(input.groups, input.roleMap);
  const name = typeof input.name === 'string' ? input.name.slice(0, 200) : null;

  return db.$transaction(async (tx) => {
    const account = await tx.account.findUnique({
      where: { provider_providerAccountId: { provider: 'oidc', providerAccountId: input.subject } },
      select: { user: { select: { id: true, disabledAt: true } } },
    });
    let user = account?.user ?? null;
    if (!user) {
      const existing = await tx.user.findUnique({
        where: { email },
        select: { id: true, disabledAt: true, authOrigin: true },
      });
      if (existing && existing.authOrigin !== input.issuer && input.emailVerified !== true) {
        return refuse(tx, 'email_in_use', existing.id);
      }
      if (existing) {
        user = existing;
      } else {
        user = await tx.user.create({
          data: { email, name, authOrigin: input.issuer },
          select: { id: true, disabledAt: true },
        });
        await recordAudit(tx, {
          actorId: null,
          action: 'user.create',
          target: `user:${user.id}`,
          data: { via: 'oidc', issuer: input.issuer, after: { email, name, isAdmin: false } },
        });
      }
      await tx.account.create({
        data: { userId: user.id, type: 'oidc', provider: 'oidc', providerAccountId: input.subject },
      });
    }
    if (user.disabledAt) return refuse(tx, 'disabled', user.id);

    const current = await tx.userRole.findMany({
      where: { userId: user.id },
      select: { role: { select: { id: true, name: true } } },
    });
    const mapped = await tx.role.findMany({
      where: { name: { in: roleNames } },
      select: { id: true, name: true },
    });
    const before = current.map((row) => row.role.name).sort();
    const after = mapped.map((role) => role.name).sort();
    if (before.join('\n') !== after.join('\n')) {
      await tx.userRole.deleteMany({ where: { userId: user.id } });
      await tx.userRole.createMany({ data: mapped.map((role) => ({ userId: user.id, roleId: role.id })) });
      await recordAudit(tx, {
        actorId: null,
        action: 'user.roles',
        target: `user:${user.id}`,
        data: {
          via: 'oidc',
          issuer: input.issuer,
          before,
          after,
          unmatched: roleNames.filter((n) => !after.includes(n)),
        },
      });
    }
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await recordAudit(tx, {
      actorId: user.id,
      action: 'auth.sign_in',
      target: `user:${user.id}`,
      data: { method: 'oidc', issuer: input.issuer, roles: after },
    });
    return { id: user.id };
  });
}
