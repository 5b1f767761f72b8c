// GET /api/documents/:id/file - the original uploaded file, for users whose roles may read it (audited)
import { getDb } from '@clearance/db';
import { handleRoute } from '../../../../../server/handle-route.ts';
import { getOriginalFile } from '../../../../../server/reader/get-original-file.ts';
import { requireScope } from '../../../../../server/request-scope.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return handleRoute(async () => {
    const scope = await requireScope();
    const { id } = await context.params;
    const versionId = new URL(request.url).searchParams.get('version');
    const file = await getOriginalFile(getDb(), scope, { documentId: id, versionId });
    return new Response(Buffer.from(file.bytes), {
      headers: {
        // Always a download, never rendered here: an uploaded HTML file must not run on this origin.
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      },
    });
  });
}
