import { findRoles } from '@clearance/auth';
import { getDb } from '@clearance/db';
import type { Metadata } from 'next';
import { PageHeader } from '../../../components/admin/page-header.tsx';
import { RolesManager } from '../../../components/admin/roles-manager.tsx';
import { requireAdminPage } from '../_server/admin-access.ts';

export const metadata: Metadata = { title: 'Roles' };

/** /admin/roles: the data roles documents are granted to. */
export default async function AdminRolesPage() {
  const scope = await requireAdminPage();
  const roles = await findRoles({ db: getDb(), actor: scope });
  return (
    <>
      <PageHeader
        title="Roles"
        description="Roles decide who reads what: a user reads the documents granted to any role they hold."
      />
      <RolesManager roles={roles} />
    </>
  );
}
