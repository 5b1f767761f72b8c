'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '../ui/cn.ts';

const SECTIONS = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/documents', label: 'Documents' },
  { href: '/admin/see-as', label: 'See as' },
  { href: '/admin/people', label: 'People' },
  { href: '/admin/roles', label: 'Roles' },
  { href: '/admin/audit', label: 'Audit' },
  { href: '/admin/usage', label: 'Usage' },
  { href: '/admin/system', label: 'System' },
] as const;

/** The console's section navigation: a column on wide screens, a scrolling row on narrow ones. */
export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav
      aria-label="Admin sections"
      className="border-b border-border md:w-52 md:shrink-0 md:border-r md:border-b-0"
    >
      <p className="hidden px-4 pt-4 pb-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase md:block">
        Admin console
      </p>
      <ul className="flex gap-1 overflow-x-auto p-2 md:flex-col md:overflow-visible">
        {SECTIONS.map((section) => {
          const isActive =
            section.href === '/admin' ? pathname === '/admin' : pathname.startsWith(section.href);
          return (
            <li key={section.href}>
              <Link
                href={section.href}
                aria-current={isActive ? 'page' : undefined}
                className={cn(
                  'block rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap hover:bg-muted',
                  isActive ? 'bg-muted text-foreground' : 'text-muted-foreground',
                )}
              >
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
