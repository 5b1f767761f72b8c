'use client';

import { useEffect, useRef, useState } from 'react';
import { Button } from './button.tsx';
import { cn } from './cn.ts';

export type RowAction = {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  isDestructive?: boolean;
};

/**
 * A row's actions behind one "⋯" button (a menu), so a table keeps one narrow actions column. The menu
 * is positioned against the window (fixed), so a scrolling table never clips it. Arrow keys move, Escape
 * closes and returns focus to the button.
 */
export function RowActions({ label, actions }: { label: string; actions: RowAction[] }) {
  const [position, setPosition] = useState<{ top: number; right: number } | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const close = (refocus: boolean) => {
    setPosition(null);
    if (refocus) buttonRef.current?.focus();
  };
  useEffect(() => {
    if (!position) return;
    menuRef.current?.querySelector<HTMLButtonElement>('[role="menuitem"]:not([disabled])')?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setPosition(null);
    };
    const onScroll = (event: Event) => {
      if (!menuRef.current?.contains(event.target as Node)) setPosition(null);
    };
    document.addEventListener('pointerdown', onPointer);
    window.addEventListener('scroll', onScroll, true);
    window.addEventListener('resize', onScroll);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      window.removeEventListener('scroll', onScroll, true);
      window.removeEventListener('resize', onScroll);
    };
  }, [position]);
  function open() {
    const rect = buttonRef.current?.getBoundingClientRect();
    if (!rect) return;
    setPosition({ top: rect.bottom + 4, right: Math.max(8, window.innerWidth - rect.right) });
  }
  function onMenuKey(event: React.KeyboardEvent) {
    const items = [
      ...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([disabled])') ?? []),
    ];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Tab') {
      close(false);
    }
  }
  return (
    <>
      <Button
        ref={buttonRef}
        variant="ghost"
        size="sm"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={position !== null}
        title="Actions"
        onClick={() => (position ? close(false) : open())}
      >
        <span aria-hidden="true" className="text-base leading-none">
          ⋯
        </span>
      </Button>
      {position ? (
        <div
          ref={menuRef}
          role="menu"
          aria-label={label}
          tabIndex={-1}
          onKeyDown={onMenuKey}
          style={{ top: position.top, right: position.right }}
          className="fixed z-50 flex min-w-40 flex-col rounded-md border border-border bg-card p-1 shadow-lg"
        >
          {actions.map((action) => (
            <button
              key={action.label}
              type="button"
              role="menuitem"
              disabled={action.disabled}
              onClick={() => {
                close(false);
                action.onSelect();
              }}
              className={cn(
                'rounded px-3 py-1.5 text-left text-sm whitespace-nowrap hover:bg-muted focus:bg-muted disabled:opacity-50',
                action.isDestructive && 'text-destructive',
              )}
            >
              {action.label}
            </button>
          ))}
        </div>
      ) : null}
    </>
  );
}
