'use client';

import Link from 'next/link';
import { useCallback, useRef, useState } from 'react';
import { Badge } from '../ui/badge.tsx';
import { Button } from '../ui/button.tsx';
import { useDismiss } from '../ui/use-dismiss.ts';

export type Viewer = { email: string; name: string | null; roles: string[]; isAdmin: boolean };

/** Pages of the user's own account, listed in the account menu (desktop and phone). */
export const ACCOUNT_LINKS: ReadonlyArray<{ href: string; label: string }> = [
  { href: '/account/api-keys', label: 'API keys' },
];

/** Who is signed in, their roles, and the account pages: the account menu's body, also shown in the phone menu. */
export function AccountDetails({ viewer }: { viewer: Viewer }) {
  return (
    <>
      <p className="truncate text-sm font-medium">{viewer.name ?? viewer.email}</p>
      {viewer.name ? <p className="truncate text-xs text-muted-foreground">{viewer.email}</p> : null}
      <h3 className="mt-3 text-xs font-medium text-muted-foreground uppercase">Roles</h3>
      <ul className="mt-1 flex flex-wrap gap-1" aria-label="Your roles" data-testid="user-roles">
        {viewer.roles.length === 0 ? <li className="text-xs text-muted-foreground">No roles</li> : null}
        {viewer.roles.map((role) => (
          <li key={role}>
            <Badge>{role}</Badge>
          </li>
        ))}
      </ul>
      {viewer.isAdmin ? <p className="mt-2 text-xs text-muted-foreground">Administrator</p> : null}
      {ACCOUNT_LINKS.length ? (
        <ul className="mt-3 flex flex-col gap-1 border-t border-border pt-2">
          {ACCOUNT_LINKS.map((link) => (
            <li key={link.href}>
              <Link href={link.href} className="block rounded-md px-2 py-1 text-sm hover:bg-muted">
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** The user's identity and roles in a small popover (Escape or a click outside closes it). */
export function UserMenu({ viewer }: { viewer: Viewer }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  return (
    <div ref={ref} className="relative">
      <Button
        variant="ghost"
        size="sm"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls="user-menu-panel"
        // WCAG 2.5.3: the accessible name must contain the visible text (the user's name).
        aria-label={`${viewer.name ?? viewer.email}, user menu`}
        onClick={() => setOpen((value) => !value)}
        data-testid="user-menu"
      >
        <span className="max-w-40 truncate">{viewer.name ?? viewer.email}</span>
        <span aria-hidden="true">▾</span>
      </Button>
      {open ? (
        <section
          id="user-menu-panel"
          aria-label="Account"
          className="absolute right-0 z-40 mt-2 w-64 rounded-md border border-border bg-card p-3 shadow-lg"
        >
          <AccountDetails viewer={viewer} />
        </section>
      ) : null}
    </div>
  );
}
