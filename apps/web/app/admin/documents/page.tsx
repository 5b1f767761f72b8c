import { findRoles } from '@clearance/auth';
import { getDb } from '@clearance/db';
import type { Metadata } from 'next';
import { DocumentsManager } from '../../../components/admin/documents-manager.tsx';
import { PageHeader } from '../../../components/admin/page-header.tsx';
import { requireAdminPage } from '../_server/admin-access.ts';
import { findAdminDocuments } from '../_server/admin-documents.ts';

export const metadata: Metadata = { title: 'Documents' };

/** /admin/documents: every document, its grants and ingestion state; upload and manage. */
export default async function AdminDocumentsPage() {
  const scope = await requireAdminPage();
  const db = getDb();
  const [documents, roles] = await Promise.all([
    findAdminDocuments(db, scope),
    findRoles({ db, actor: scope }),
  ]);
  return (
    <>
      <PageHeader
        title="Documents"
        description="Upload documents and decide which roles may read them. A document granted to no role is readable by nobody."
      />
      <DocumentsManager
        initialDocuments={documents}
        roles={roles.map((role) => ({ id: role.id, name: role.name }))}
      />
    </>
  );
}
