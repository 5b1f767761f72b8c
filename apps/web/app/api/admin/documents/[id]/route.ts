// GET /api/admin/documents/:id - one document with versions and a chunk preview
// PATCH /api/admin/documents/:id - rename it ({ title })
// DELETE /api/admin/documents/:id - delete it (removed from search at once)
import { getDb } from '@clearance/db';
import { deleteDocument } from '@clearance/retrieval';
import { parseJsonBody } from '../../../../../server/handle-route.ts';
import { handleAdminRoute } from '../../../../admin/_server/admin-access.ts';
import {
  getAdminDocument,
  renameDocument,
  ZRenameDocument,
} from '../../../../admin/_server/admin-documents.ts';

type Context = { params: Promise<{ id: string }> };

export function GET(request: Request, { params }: Context) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { id } = await params;
    return Response.json(await getAdminDocument(getDb(), scope, id));
  });
}

export function DELETE(request: Request, { params }: Context) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { id } = await params;
    return Response.json(await deleteDocument(getDb(), { actorId: scope.userId, documentId: id }));
  });
}

export function PATCH(request: Request, { params }: Context) {
  return handleAdminRoute(request, async ({ scope }) => {
    const { id } = await params;
    const body = await parseJsonBody(request, ZRenameDocument);
    return Response.json(await renameDocument(getDb(), scope, id, body));
  });
}
