'use client';

import { useState } from 'react';
import { Button } from './button.tsx';
import { MonitorIcon, MoonIcon, SunIcon } from './icons.tsx';

export type ThemeChoice = 'system' | 'light' | 'dark';
const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = {
  system: 'System theme',
  light: 'Light theme',
  dark: 'Dark theme',
};

/**
 * Cycles system -> light -> dark. The choice lives in a cookie the root layout reads, so the first
 * paint is already right without an inline script (which the CSP forbids).
 */
export function ThemeToggle({ initial }: { initial: ThemeChoice }) {
  const [theme, setTheme] = useState<ThemeChoice>(initial);
  function cycle() {
    const next = NEXT[theme];
    setTheme(next);
    // biome-ignore lint/suspicious/noDocumentCookie: a plain preference cookie; the Cookie Store API is not in every browser.
    document.cookie = `theme=${next}; path=/; max-age=31536000; samesite=lax`;
    if (next === 'system') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', next);
  }
  return (
    <Button
      variant="ghost"
      size="sm"
      onClick={cycle}
      aria-label={`${LABEL[theme]} (change theme)`}
      title="Change theme"
    >
      {theme === 'dark' ? <MoonIcon /> : theme === 'light' ? <SunIcon /> : <MonitorIcon />}
    </Button>
  );
}
