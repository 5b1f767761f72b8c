import { findRoles, findUsers } from '@clearance/auth';
import { getDb } from '@clearance/db';
import type { Metadata } from 'next';
import { PageHeader } from '../../../components/admin/page-header.tsx';
import { SeeAsForm } from '../../../components/admin/see-as-form.tsx';
import { requireAdminPage } from '../_server/admin-access.ts';

export const metadata: Metadata = { title: 'See as' };

/** /admin/see-as: the governance preview: what a role or a user would retrieve for a question. */
export default async function AdminSeeAsPage() {
  const scope = await requireAdminPage();
  const db = getDb();
  const [roles, users] = await Promise.all([
    findRoles({ db, actor: scope }),
    findUsers({ db, actor: scope, limit: 500 }),
  ]);
  return (
    <>
      <PageHeader
        title="See as"
        description="Run a question as a role or a user and see exactly which passages that scope retrieves, and which documents it cannot see."
      />
      <SeeAsForm
        roles={roles.map((role) => ({ id: role.id, name: role.name }))}
        users={users.map((user) => ({ id: user.id, email: user.email }))}
      />
    </>
  );
}
