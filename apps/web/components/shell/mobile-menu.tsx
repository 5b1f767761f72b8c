'use client';

import { usePathname } from 'next/navigation';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { Button } from '../ui/button.tsx';
import { useDismiss } from '../ui/use-dismiss.ts';

/**
 * The header's contents on a phone: one "Menu" button opening a panel (navigation, theme, account,
 * Sign out). Closes on Escape, a click outside, and navigation.
 */
export function MobileMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const pathname = usePathname();
  // biome-ignore lint/correctness/useExhaustiveDependencies: close whenever the page changes.
  useEffect(() => setOpen(false), [pathname]);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  return (
    <div ref={ref} className="ml-auto sm:hidden">
      <Button
        variant="outline"
        size="sm"
        aria-expanded={open}
        aria-controls="mobile-menu-panel"
        onClick={() => setOpen((value) => !value)}
      >
        Menu
      </Button>
      {open ? (
        <div
          id="mobile-menu-panel"
          className="absolute inset-x-0 top-14 z-50 flex flex-col gap-3 border-b border-border bg-background p-4 shadow-lg"
        >
          {children}
        </div>
      ) : null}
    </div>
  );
}
