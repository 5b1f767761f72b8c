import { CredentialsSignin } from '@auth/core/errors';
import type { Provider } from '@auth/core/providers';
import Credentials from '@auth/core/providers/credentials';
import { type Db, getDb } from '@clearance/db';
import { isAppError } from '@clearance/errors';
import type { NextAuthConfig } from 'next-auth';
import { recordAudit } from './audit.ts';
import { getClientAddress } from './client-address.ts';
import { type AuthEnv, readAuthEnv } from './env.ts';
import { provisionOidcUser } from './oidc.ts';
import { endSession, getSessionUserId, SESSION_MAX_AGE_SECONDS, startSession } from './sessions.ts';
import { authorizeCredentials, DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from './sign-in.ts';

/**
 * Thrown from the credentials provider when the account or address is throttled. Auth.js redirects
 * with `?error=CredentialsSignin&code=rate_limited`, or the route maps it to a 429.
 */
export class SignInRateLimited extends CredentialsSignin {
  override code = 'rate_limited';
}

/** A disabled account's correct password: Auth.js redirects with `code=account_disabled`. */
export class AccountDisabled extends CredentialsSignin {
  override code = 'account_disabled';
}

/** The generic failure for an unknown email and a wrong password alike. */
export class InvalidCredentials extends CredentialsSignin {
  override code = 'invalid_credentials';
}

export type AuthConfigOptions = {
  /** Database client; defaults to the process-wide one, resolved lazily on first use. */
  db?: Db;
  /** Parsed auth configuration; defaults to the process environment. */
  env?: AuthEnv;
  limits?: SignInLimits;
  /** Merged over the generated config (e.g. `pages`); callbacks and providers are ours. */
  overrides?: Pick<NextAuthConfig, 'pages' | 'debug' | 'logger' | 'basePath'>;
};

/**
 * The Auth.js (next-auth v5) configuration: email + password, plus OpenID Connect SSO when OIDC_ISSUER
 * is set. JWT sessions carry a server-side session id (a `sessions` row): sign-out deletes the row, so
 * a replayed cookie is dead; every sign-in issues a new id, rotating the cookie. The token holds only
 * the user id and session id: roles and admin are read from the database per request
 * (`resolveScopeForUser`), never from the cookie.
 *
 * Use in apps/web/auth.ts: `export const { handlers, auth, signIn, signOut } = NextAuth(createAuthConfig())`.
 */
export function createAuthConfig(options: AuthConfigOptions = {}): NextAuthConfig {
  const env = options.env ?? readAuthEnv();
  const database = () => options.db ?? getDb();
  const limits = options.limits ?? DEFAULT_SIGN_IN_LIMITS;

  const providers: Provider[] = [
    Credentials({
      id: 'credentials',
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials, request) {
        try {
          const user = await authorizeCredentials(
            database(),
            {
              email: credentials.email,
              password: credentials.password,
              clientAddress: getClientAddress(request.headers),
            },
            limits,
          );
          if (!user) throw new InvalidCredentials();
          return user;
        } catch (error) {
          if (isAppError(error) && error.kind === 'rate_limited') throw new SignInRateLimited();
          if (isAppError(error) && error.code === 'forbidden:account_disabled') throw new AccountDisabled();
          throw error;
        }
      },
    }),
  ];
  const oidc = env.oidc;
  if (oidc) {
    providers.push({
      id: 'oidc',
      name: 'Single sign-on',
      type: 'oidc',
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      // A public client (no secret) authenticates with PKCE alone.
      ...(oidc.clientSecret ? {} : { client: { token_endpoint_auth_method: 'none' } }),
      checks: ['pkce', 'state'],
      authorization: { params: { scope: 'openid email profile' } },
      profile(profile) {
        return {
          id: String(profile.sub),
          email: typeof profile.email === 'string' ? profile.email : null,
          name:
            typeof profile.name === 'string'
              ? profile.name
              : ((profile.preferred_username as string) ?? null),
        };
      },
    });
  }

  return {
    ...options.overrides,
    secret: env.secret,
    trustHost: true,
    useSecureCookies: env.secureCookies,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    providers,
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== 'oidc') return true;
        if (!oidc || !profile?.sub) return false;
        const user = await provisionOidcUser(database(), {
          issuer: oidc.issuer,
          subject: profile.sub,
          email: profile.email,
          emailVerified: profile.email_verified,
          name: profile.name,
          groups: profile[oidc.groupsClaim],
          roleMap: oidc.roleMap,
        });
        return user !== null;
      },
      async jwt({ token, user, account }) {
        const db = database();
        if (user) {
          let userId = user.id;
          if (account?.provider === 'oidc') {
            const linked = await db.account.findUnique({
              where: {
                provider_providerAccountId: {
                  provider: 'oidc',
                  providerAccountId: account.providerAccountId,
                },
              },
              select: { userId: true },
            });
            userId = linked?.userId;
          }
          if (!userId) return null;
          const { sessionId } = await startSession(db, userId);
          return { sub: userId, sid: sessionId, name: user.name ?? null, email: user.email ?? null };
        }
        // Every request: the session row must still exist (not signed out) and the user not disabled.
        const userId = await getSessionUserId(db, token.sid);
        if (!userId || userId !== token.sub) return null;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    events: {
      async signOut(message) {
        if (!('token' in message) || !message.token) return;
        await endSession(database(), message.token.sid);
        await recordAudit(database(), {
          actorId: typeof message.token.sub === 'string' ? message.token.sub : null,
          action: 'auth.sign_out',
          target: typeof message.token.sub === 'string' ? `user:${message.token.sub}` : null,
        });
      },
    },
  };
}
