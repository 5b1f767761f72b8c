'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '../ui/cn.ts';

/** A top-bar link marked aria-current when its section is open. */
export function NavLink({ href, children }: { href: string; children: string }) {
  const pathname = usePathname();
  const isActive = pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={isActive ? 'page' : undefined}
      className={cn(
        'rounded-md px-3 py-1.5 text-sm font-medium hover:bg-muted',
        isActive ? 'bg-muted text-foreground' : 'text-muted-foreground',
      )}
    >
      {children}
    </Link>
  );
}
