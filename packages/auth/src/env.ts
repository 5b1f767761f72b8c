import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, readDatabaseEnv } from '@clearance/db';
import { z } from 'zod';
import { parseTrustedProxies, type TrustedProxies } from './client-address.ts';

/** IdP group name -> Clearance role name. */
export type RoleMap = Record<string, string>;

/**
 * Parses OIDC_ROLE_MAP: `idp-finance=finance,idp-ops=operations`, or a JSON object of the same.
 * Returns null when the value is malformed.
 */
export function parseRoleMap(value: string): RoleMap | null {
  const trimmed = value.trim();
  if (!trimmed) return {};
  if (trimmed.startsWith('{')) {
    try {
      const parsed = z.record(z.string().min(1), z.string().min(1)).safeParse(JSON.parse(trimmed));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
  const map: RoleMap = {};
  for (const pair of trimmed.split(',')) {
    const index = pair.lastIndexOf('=');
    const group = pair.slice(0, index).trim();
    const role = pair.slice(index + 1).trim();
    if (index <= 0 || !group || !role) return null;
    map[group] = role;
  }
  return map;
}

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const ZAuthEnv = z.object({
  NODE_ENV: z.string().optional(),
  AUTH_SECRET: optionalString.refine((value) => value === undefined || value.length >= 32, {
    message: 'must be at least 32 characters (generate one with `openssl rand -base64 33`)',
  }),
  AUTH_URL: optionalString.refine((value) => value === undefined || /^https?:\/\/[^/]+/.test(value), {
    message:
      'must be the app URL, e.g. https://clearance.example.com (use localhost, not 127.0.0.1, locally)',
  }),
  OIDC_ISSUER: optionalString.refine((value) => value === undefined || /^https?:\/\//.test(value), {
    message: 'must be the issuer URL, e.g. https://login.example.com/realms/acme',
  }),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_GROUPS_CLAIM: z.string().trim().min(1).default('groups'),
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value, context) => {
      const trusted = parseTrustedProxies(value);
      if (!trusted) {
        context.addIssue({
          code: 'custom',
          message:
            'must be comma-separated addresses or CIDR ranges of your reverse proxies, e.g. 10.0.0.0/8,::1',
        });
        return z.NEVER;
      }
      return trusted;
    }),
  OIDC_ROLE_MAP: z
    .string()
    .default('')
    .transform((value, context) => {
      const map = parseRoleMap(value);
      if (!map) {
        context.addIssue({
          code: 'custom',
          message:
            'must look like `idp-finance=finance,idp-ops=operations` or a JSON object {"group":"role"}',
        });
        return z.NEVER;
      }
      return map;
    }),
});

export type OidcEnv = {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  groupsClaim: string;
  roleMap: RoleMap;
};

export type AuthEnv = {
  secret: string;
  /** The app's public URL, when configured (AUTH_URL). */
  authUrl: string | undefined;
  /** Cookies get the Secure flag and __Secure- prefix. */
  secureCookies: boolean;
  oidc: OidcEnv | undefined;
  /** Reverse proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES); none by default. */
  trustedProxies: TrustedProxies;
};

/**
 * The secret persisted in $DATA_DIR/auth-secret, created on first use. `npm start` uses it when AUTH_SECRET is
 * unset, so one host works from a fresh clone; several web hosts must share an explicit AUTH_SECRET.
 */
export function loadOrCreateAuthSecret(dataDir: string): string {
  const file = path.join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(33).toString('base64url');
  // wx: two processes starting together must not overwrite each other's secret.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
}

/**
 * Parses the auth configuration. In development and tests a missing AUTH_SECRET is generated once and
 * kept in $DATA_DIR/auth-secret so sessions survive restarts; production must set it. Throws a
 * ConfigError whose one-line message names the variable and the fix.
 */
export function parseAuthEnv(source: Record<string, string | undefined> = process.env): AuthEnv {
  const parsed = ZAuthEnv.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')} ${issue.message}. Fix it in .env (see .env.example).`);
  }
  const env = parsed.data;
  let secret = env.AUTH_SECRET;
  if (!secret) {
    if (env.NODE_ENV === 'production') {
      throw new ConfigError(
        'AUTH_SECRET is required in production. Set it in .env to a random value (`openssl rand -base64 33`).',
      );
    }
    secret = loadOrCreateAuthSecret(readDatabaseEnv(source as NodeJS.ProcessEnv).dataDir);
  }
  let oidc: OidcEnv | undefined;
  if (env.OIDC_ISSUER) {
    if (!env.OIDC_CLIENT_ID) {
      throw new ConfigError('OIDC_CLIENT_ID is required when OIDC_ISSUER is set. Set it in .env.');
    }
    oidc = {
      issuer: env.OIDC_ISSUER,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      groupsClaim: env.OIDC_GROUPS_CLAIM,
      roleMap: env.OIDC_ROLE_MAP,
    };
  }
  return {
    secret,
    authUrl: env.AUTH_URL,
    secureCookies: env.AUTH_URL?.startsWith('https://') ?? false,
    oidc,
    trustedProxies: env.TRUSTED_PROXIES,
  };
}

let cached: AuthEnv | undefined;

/** The process's auth configuration, parsed once on first use. */
export function readAuthEnv(): AuthEnv {
  cached ??= parseAuthEnv();
  return cached;
}

/**
 * The environment a test harness (e.g. the Playwright SSO test against a local oidc-provider) must
 * give the web app so sign-in through `issuer` works, including the redirect URI to register.
 */
export function describeOidcEnv(options: {
  issuer: string;
  clientId: string;
  clientSecret: string;
  appUrl: string;
  groupsClaim?: string;
  roleMap?: RoleMap;
}): { env: Record<string, string>; redirectUri: string; providerId: 'oidc'; scopes: string[] } {
  const appUrl = options.appUrl.replace(/\/$/, '');
  return {
    env: {
      AUTH_URL: appUrl,
      OIDC_ISSUER: options.issuer,
      OIDC_CLIENT_ID: options.clientId,
      OIDC_CLIENT_SECRET: options.clientSecret,
      OIDC_GROUPS_CLAIM: options.groupsClaim ?? 'groups',
      OIDC_ROLE_MAP: JSON.stringify(options.roleMap ?? {}),
    },
    // Auth.js mounts callbacks under /api/auth/callback/<provider id>.
    redirectUri: `${appUrl}/api/auth/callback/oidc`,
    providerId: 'oidc',
    scopes: ['openid', 'email', 'profile'],
  };
}
