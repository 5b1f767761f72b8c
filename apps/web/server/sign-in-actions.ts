'use server';

import { isAppError } from '@clearance/errors';
import { isRedirectError } from 'next/dist/client/components/redirect-error';
import { AuthError } from 'next-auth';
import { signIn, signOut } from '../auth.ts';
import { assertServerActionOrigin } from './server-action-origin.ts';

export type SignInState = { error: string | null; email: string };

const GENERIC_ERROR = 'Incorrect email or password.';
const THROTTLED_ERROR = 'Too many sign-in attempts. Please wait a few minutes and try again.';
const DISABLED_ERROR = 'This account has been disabled. Ask your administrator to re-enable it.';

/** Email + password sign-in; one generic message for every failure, a distinct one when throttled. */
export async function signInWithPassword(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '').slice(0, 320);
  const password = String(form.get('password') ?? '').slice(0, 1024);
  try {
    await assertServerActionOrigin();
    await signIn('credentials', { email, password, redirectTo: '/chat' });
    return { error: null, email };
  } catch (error) {
    if (isRedirectError(error)) throw error;
    if (error instanceof AuthError || (error instanceof Error && error.name === 'CredentialsSignin')) {
      const code = (error as AuthError & { code?: string }).code;
      if (code === 'account_disabled') return { error: DISABLED_ERROR, email };
      const throttled = code === 'rate_limited' || /rate.?limit|too many/i.test(String(error.cause ?? ''));
      return { error: throttled ? THROTTLED_ERROR : GENERIC_ERROR, email };
    }
    if (isAppError(error)) return { error: error.status === 429 ? THROTTLED_ERROR : GENERIC_ERROR, email };
    console.error('sign-in failed unexpectedly', error instanceof Error ? error.message : error);
    return { error: 'Sign-in is temporarily unavailable. Please try again.', email };
  }
}

/** Starts the OpenID Connect flow. */
export async function signInWithSso(): Promise<void> {
  await assertServerActionOrigin();
  await signIn('oidc', { redirectTo: '/chat' });
}

/** Ends the session and returns to the sign-in page. */
export async function signOutAction(): Promise<void> {
  await assertServerActionOrigin();
  await signOut({ redirectTo: '/' });
}
