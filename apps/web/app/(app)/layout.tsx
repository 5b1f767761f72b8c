import type { ReactNode } from 'react';
import { AppShell } from '../../components/shell/app-shell.tsx';
import { requirePageScope } from '../../server/request-scope.ts';

/** Every signed-in page (chat, document viewer) inside the shell. */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const scope = await requirePageScope();
  return <AppShell scope={scope}>{children}</AppShell>;
}
