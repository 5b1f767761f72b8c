'use client';

import { useActionState } from 'react';
import { type SignInState, signInWithPassword, signInWithSso } from '../../server/sign-in-actions.ts';
import { Button } from '../ui/button.tsx';
import { Input, Label } from '../ui/input.tsx';

/** Email + password form, plus "Sign in with SSO" when single sign-on is configured. */
export function SignInForm({ isSsoEnabled }: { isSsoEnabled: boolean }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInWithPassword, {
    error: null,
    email: '',
  });
  return (
    <div className="flex flex-col gap-4">
      <form action={action} className="flex flex-col gap-4" aria-label="Sign in">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="email">Email</Label>
          <Input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={state.email}
            aria-invalid={state.error ? true : undefined}
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="password">Password</Label>
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={state.error ? true : undefined}
          />
        </div>
        {state.error ? (
          <p role="alert" className="text-sm text-destructive" data-testid="sign-in-error">
            {state.error}
          </p>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
      {isSsoEnabled ? (
        <>
          <div className="flex items-center gap-3 text-xs text-muted-foreground">
            <span className="h-px flex-1 bg-border" />
            or
            <span className="h-px flex-1 bg-border" />
          </div>
          <form action={signInWithSso}>
            <Button type="submit" variant="outline" className="w-full">
              Sign in with SSO
            </Button>
          </form>
        </>
      ) : null}
    </div>
  );
}
