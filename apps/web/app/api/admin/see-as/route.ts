// POST /api/admin/see-as - run a question as a role set or a user: retrieved passages and hidden documents
import { getDb } from '@clearance/db';
import { parseJsonBody } from '../../../../server/handle-route.ts';
import { handleAdminRoute } from '../../../admin/_server/admin-access.ts';
import { previewAs, ZSeeAsInput } from '../../../admin/_server/admin-see-as.ts';

export function POST(request: Request) {
  return handleAdminRoute(request, async ({ scope }) => {
    const input = await parseJsonBody(request, ZSeeAsInput);
    return Response.json(await previewAs(getDb(), scope, input));
  });
}
