// PUT /api/admin/documents/:id/grants - replace the roles that may read the document
import { setDocumentGrants } from '@clearance/auth';
import { getDb } from '@clearance/db';
import { z } from 'zod';
import { parseJsonBody } from '../../../../../../server/handle-route.ts';
import { handleAdminRoute } from '../../../../../admin/_server/admin-access.ts';

type Context = { params: Promise<{ id: string }> };

const ZGrantsBody = z.strictObject({ roleIds: z.array(z.uuid()).max(200) });

export function PUT(request: Request, { params }: Context) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { id } = await params;
    const { roleIds } = await parseJsonBody(request, ZGrantsBody);
    const roles = await setDocumentGrants({ db: getDb(), actor: scope, documentId: id, roleIds });
    return Response.json({ roles });
  });
}
