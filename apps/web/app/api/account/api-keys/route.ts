// GET /api/account/api-keys - the signed-in user's API keys (admins: ?userId= for anyone's)
// POST /api/account/api-keys - create a key for the signed-in user; the secret is in this response only
import { createApiKey, findApiKeys } from '@clearance/auth';
import { z } from 'zod';
import { parseJsonBody } from '../../../../server/handle-route.ts';
import { LIMITS } from '../../../../server/rate-limits.ts';
import { handleSessionRoute } from '../../../../server/session-route.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return handleSessionRoute(request, async ({ db, scope }) => {
    const userId = new URL(request.url).searchParams.get('userId') ?? undefined;
    return Response.json({ keys: await findApiKeys(db, { actor: scope, ...(userId ? { userId } : {}) }) });
  });
}

const ZCreateKey = z.strictObject({
  name: z.string().trim().min(1, 'name the key').max(100),
  // The web form always sets an expiry: a forgotten key should still die.
  expiresInDays: z.int().min(1).max(365),
});

export async function POST(request: Request): Promise<Response> {
  return handleSessionRoute(
    request,
    async ({ db, scope }) => {
      const body = await parseJsonBody(request, ZCreateKey);
      const created = await createApiKey(db, { actor: scope, userId: scope.userId, ...body });
      return Response.json(created, { status: 201 });
    },
    { rateLimit: { name: 'apikey-create', ...LIMITS.apiKeyCreate } },
  );
}
