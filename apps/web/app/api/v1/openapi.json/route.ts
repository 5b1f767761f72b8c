// GET /api/v1/openapi.json - the OpenAPI 3.1 description of /api/v1 (public)
import { createOpenApiDocument } from '../../../../server/openapi.ts';

export function GET(request: Request): Response {
  return Response.json(createOpenApiDocument(new URL(request.url).origin), {
    headers: { 'cache-control': 'public, max-age=300' },
  });
}
