import { findApiKeys } from '@clearance/auth';
import { getDb } from '@clearance/db';
import type { Metadata } from 'next';
import { ApiKeysManager } from '../../../../components/account/api-keys-manager.tsx';
import { requirePageScope } from '../../../../server/request-scope.ts';

export const metadata: Metadata = { title: 'API keys' };

/** /account/api-keys: the signed-in user's personal API keys: create (shown once), expiry, last use, revoke. */
export default async function ApiKeysPage() {
  const scope = await requirePageScope();
  const keys = await findApiKeys(getDb(), { actor: scope });
  return (
    <main className="mx-auto h-full w-full max-w-4xl overflow-y-auto p-4 sm:p-6">
      <h1 className="text-2xl font-semibold">API keys</h1>
      <p className="mt-1 text-sm text-muted-foreground">
        A key acts with your roles, read on every request, through <code>/api/v1</code>. It stops working when
        it expires, when you revoke it, when your account is disabled or your password is reset.
      </p>
      <ApiKeysManager
        initialKeys={keys.map((key) => ({
          id: key.id,
          name: key.name,
          prefix: key.prefix,
          createdAt: key.createdAt.toISOString(),
          lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
          expiresAt: key.expiresAt?.toISOString() ?? null,
          revokedAt: key.revokedAt?.toISOString() ?? null,
        }))}
      />
    </main>
  );
}
