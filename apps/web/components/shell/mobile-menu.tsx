'use client';

import { usePathname } from 'next/navigation';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Button } from '../ui/button.tsx';

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
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
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
