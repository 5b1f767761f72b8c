import { findRoles, findUsers } from '@clearance/auth';
import { getDb } from '@clearance/db';
import type { Metadata } from 'next';
import { PageHeader } from '../../../components/admin/page-header.tsx';
import { PeopleManager } from '../../../components/admin/people-manager.tsx';
import { requireAdminPage } from '../_server/admin-access.ts';

export const metadata: Metadata = { title: 'People' };

/** /admin/people: users, their roles, sign-in origin and last sign-in. */
export default async function AdminPeoplePage() {
  const scope = await requireAdminPage();
  const db = getDb();
  const [users, roles] = await Promise.all([
    findUsers({ db, actor: scope, limit: 500 }),
    findRoles({ db, actor: scope }),
  ]);
  return (
    <>
      <PageHeader
        title="People"
        description="Create users, assign roles and disable access. Role changes apply on the user's next request."
      />
      <PeopleManager
        selfId={scope.userId}
        roles={roles.map((role) => ({ id: role.id, name: role.name }))}
        users={users.map((user) => ({
          id: user.id,
          email: user.email,
          name: user.name,
          isAdmin: user.isAdmin,
          disabledAt: user.disabledAt?.toISOString() ?? null,
          authOrigin: user.authOrigin,
          lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
          roles: user.roles,
        }))}
      />
    </>
  );
}
