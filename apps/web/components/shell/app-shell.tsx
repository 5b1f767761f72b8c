import type { AccessScope } from '@clearance/auth';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { getViewer } from '../../server/request-scope.ts';
import { signOutAction } from '../../server/sign-in-actions.ts';
import { Button } from '../ui/button.tsx';
import { type ThemeChoice, ThemeToggle } from '../ui/theme-toggle.tsx';
import { MobileMenu } from './mobile-menu.tsx';
import { NavLink } from './nav-link.tsx';
import { AccountDetails, UserMenu } from './user-menu.tsx';

function SignOutButton() {
  return (
    <form action={signOutAction}>
      <Button type="submit" variant="outline" size="sm">
        Sign out
      </Button>
    </form>
  );
}

/**
 * The signed-in frame: product name, Chat, Admin (only for admins; /admin pages check again on the
 * server), theme toggle, user menu with roles, and Sign out. Used by app/(app)/layout.tsx and the admin
 * console's layout.
 */
export async function AppShell({ scope, children }: { scope: AccessScope; children: ReactNode }) {
  const viewer = await getViewer(scope);
  const theme = (await cookies()).get('theme')?.value;
  const initialTheme: ThemeChoice = theme === 'light' || theme === 'dark' ? theme : 'system';
  return (
    <div className="flex h-dvh flex-col">
      <header className="relative flex h-14 shrink-0 items-center gap-2 border-b border-border px-3 sm:px-4">
        <span className="mr-2 text-lg font-semibold" data-testid="product-name">
          Clearance
        </span>
        <nav aria-label="Main" className="hidden items-center gap-1 sm:flex">
          <NavLink href="/chat">Chat</NavLink>
          {scope.isAdmin ? <NavLink href="/admin">Admin</NavLink> : null}
        </nav>
        <div className="ml-auto hidden items-center gap-1 sm:flex">
          <ThemeToggle initial={initialTheme} />
          <UserMenu viewer={viewer} />
          <SignOutButton />
        </div>
        <MobileMenu>
          <nav aria-label="Main" className="flex flex-col gap-1">
            <NavLink href="/chat">Chat</NavLink>
            {scope.isAdmin ? <NavLink href="/admin">Admin</NavLink> : null}
          </nav>
          <section aria-label="Account" className="border-t border-border pt-3">
            <AccountDetails viewer={viewer} />
          </section>
          <div className="flex items-center justify-between border-t border-border pt-3">
            <ThemeToggle initial={initialTheme} />
            <SignOutButton />
          </div>
        </MobileMenu>
      </header>
      <div id="main" className="min-h-0 flex-1">
        {children}
      </div>
    </div>
  );
}
