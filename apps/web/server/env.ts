import 'server-only';
import { z } from 'zod';

const ZWebEnv = z.object({
  AUTH_URL: z.url().optional(),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  CLEARANCE_GENERATOR: z.string().trim().min(1).default('extractive'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export type WebEnv = {
  /** The app's public origin when configured (CSRF checks compare Origin with it). */
  appUrl: string | undefined;
  /** Whether single sign-on is configured: the sign-in page then offers "Sign in with SSO". */
  isSsoEnabled: boolean;
  generatorSpec: string;
  isDev: boolean;
};

let cached: WebEnv | undefined;

/** The web app's configuration, parsed once; a bad value throws one line naming the variable. */
export function readWebEnv(source: NodeJS.ProcessEnv = process.env): WebEnv {
  if (cached && source === process.env) return cached;
  const parsed = ZWebEnv.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join('.')}: ${issue.message}. Fix it in .env (see .env.example).`);
  }
  const env: WebEnv = {
    appUrl: parsed.data.AUTH_URL,
    isSsoEnabled: Boolean(parsed.data.OIDC_ISSUER && parsed.data.OIDC_CLIENT_ID),
    generatorSpec: parsed.data.CLEARANCE_GENERATOR,
    isDev: parsed.data.NODE_ENV === 'development',
  };
  if (source === process.env) cached = env;
  return env;
}
