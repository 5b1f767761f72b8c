import { redirect } from 'next/navigation';
import { requireAdminPage } from '../_server/admin-access.ts';

/** /admin/users: the People section's other name. */
export default async function AdminUsersPage() {
  await requireAdminPage();
  redirect('/admin/people');
}
