// GET /api/health - public health of database, worker and models (no secrets)
import { checkHealth } from '../../../server/health.ts';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const health = await checkHealth();
  // 200 even when degraded: the body says what is wrong; 503 would hide it behind proxies' error pages.
  return Response.json(health, { headers: { 'cache-control': 'no-store' } });
}
