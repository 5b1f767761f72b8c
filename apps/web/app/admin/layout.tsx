import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { AdminNav } from '../../components/admin/admin-nav.tsx';
import { AppShell } from '../../components/shell/app-shell.tsx';
import { requirePageScope } from '../../server/request-scope.ts';

export const metadata: Metadata = { title: { default: 'Admin', template: '%s · Admin · Clearance' } };

/**
 * The admin console frame: the app shell with the section navigation. Signed-out visitors go to sign-in;
 * the sections are shown to admins only, and every page checks the admin permission itself
 * (forbidden.tsx renders the 403).
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const scope = await requirePageScope();
  return (
    <AppShell scope={scope}>
      <div className="flex h-full flex-col md:flex-row">
        {scope.isAdmin ? <AdminNav /> : null}
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable so keyboard users can scroll pages without controls (Usage's charts; axe scrollable-region-focusable) */}
        <main tabIndex={0} className="min-w-0 flex-1 overflow-y-auto px-4 py-6 sm:px-8">
          {children}
        </main>
      </div>
    </AppShell>
  );
}
