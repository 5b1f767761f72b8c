// The OpenAPI 3.1 description of /api/v1. Its component schemas are generated from the zod schemas the
// routes parse and answer with (api-v1-schemas.ts); only the paths around them are written here.
import 'server-only';
import { z } from 'zod';
import { API_V1_SCHEMAS } from './api-v1-schemas.ts';

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of every /api/v1 body, keyed by component name. */
function generateComponentSchemas(): Record<string, Record<string, unknown>> {
  const { schemas } = z.toJSONSchema(API_V1_SCHEMAS, {
    target: 'draft-2020-12',
    // Requests are described as callers may send them: a field with a default is optional.
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => {
      // A uuid or date-time `format` already says what zod's regular expression checks, and z.int()'s
      // safe-integer bounds say nothing a reader needs.
      if (jsonSchema.format) delete jsonSchema.pattern;
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    },
  });
  // Each is a component of this document, not a standalone schema with its own identity.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]),
  );
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const commonErrors = {
  '400': errorResponse('The request is not valid; the message says what is wrong.'),
  '401': errorResponse('Missing, unknown or revoked API key.'),
  '429': {
    ...errorResponse('Rate limit exceeded for this key.'),
    headers: {
      'Retry-After': { schema: { type: 'integer' }, description: 'Seconds until the next window.' },
    },
  },
};

/** The OpenAPI 3.1 document for GET /api/v1/openapi.json, with `origin` as the server URL. */
export function createOpenApiDocument(origin: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Clearance API',
      version: '1.0.0',
      description:
        'Ask questions of, and search, the documents an API key’s owner is cleared to read. Every call is limited to the roles the key’s owner holds at that moment.',
    },
    servers: [{ url: origin }],
    security: [{ bearerAuth: [] }],
    paths: {
      '/api/v1/chat': {
        post: {
          operationId: 'chat',
          summary: 'Answer a question from the caller’s documents, with citations',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ChatRequest' } } },
          },
          responses: {
            '200': {
              description:
                'The answer (stream false), or server-sent events (stream true): meta, delta*, citations, done — or error.',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/ChatResponse' } },
                'text/event-stream': {
                  schema: {
                    type: 'string',
                    description: 'Events `meta`, `delta` {text}, `citations`, `done`, `error`.',
                  },
                },
              },
            },
            ...commonErrors,
            '404': errorResponse('The conversation does not exist or is not the caller’s.'),
          },
        },
      },
      '/api/v1/search': {
        post: {
          operationId: 'search',
          summary: 'Ranked passages from the caller’s documents',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/SearchRequest' } } },
          },
          responses: {
            '200': {
              description: 'Passages, best first.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/SearchResponse' } } },
            },
            ...commonErrors,
          },
        },
      },
      '/api/v1/documents': {
        get: {
          operationId: 'listDocuments',
          summary: 'The documents the caller may read',
          responses: {
            '200': {
              description: 'Readable, searchable documents, newest first.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/DocumentList' } } },
            },
            '401': commonErrors['401'],
            '429': commonErrors['429'],
          },
        },
      },
      '/api/v1/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1 document.', content: { 'application/json': {} } } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal API key (`npm run admin -- apikey create --email …`), e.g. clr_ab12cd34_…',
        },
      },
      schemas: generateComponentSchemas(),
    },
  };
}
