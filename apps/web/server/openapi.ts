// The OpenAPI 3.1 description of /api/v1, written by hand to match the zod schemas of the routes.

const error = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', examples: ['bad_request:body'] },
        message: { type: 'string', examples: ['k: must be at most 1000'] },
      },
    },
  },
} as const;

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
      schemas: {
        Error: error,
        ChatRequest: {
          type: 'object',
          required: ['message'],
          properties: {
            message: { type: 'string', minLength: 1, maxLength: 4000 },
            conversationId: {
              type: 'string',
              format: 'uuid',
              description: 'Continue one of the caller’s conversations.',
            },
            stream: {
              type: 'boolean',
              default: false,
              description: 'Send server-sent events instead of one JSON body.',
            },
          },
        },
        Citation: {
          type: 'object',
          required: ['marker', 'chunkId', 'documentId', 'versionId', 'title', 'page', 'headingPath', 'quote'],
          properties: {
            marker: { type: 'integer', description: 'The [n] marker in the answer.' },
            chunkId: { type: 'string', format: 'uuid' },
            documentId: { type: 'string', format: 'uuid' },
            versionId: { type: 'string', format: 'uuid' },
            title: { type: 'string' },
            page: { type: ['integer', 'null'] },
            headingPath: { type: 'array', items: { type: 'string' } },
            quote: { type: 'string' },
          },
        },
        ChatResponse: {
          type: 'object',
          required: ['answer', 'citations', 'conversationId'],
          properties: {
            answer: { type: 'string', description: 'Markdown with [n] markers, each backed by a citation.' },
            citations: { type: 'array', items: { $ref: '#/components/schemas/Citation' } },
            conversationId: { type: 'string', format: 'uuid' },
            messageId: { type: 'string', format: 'uuid' },
            unanswered: { type: 'boolean', description: 'True when nothing readable answered the question.' },
          },
        },
        SearchRequest: {
          type: 'object',
          required: ['query'],
          properties: {
            query: { type: 'string', minLength: 1 },
            k: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
          },
        },
        SearchResult: {
          type: 'object',
          required: ['rank', 'chunkId', 'documentId', 'versionId', 'title', 'text'],
          properties: {
            rank: { type: 'integer', minimum: 1 },
            chunkId: { type: 'string', format: 'uuid' },
            documentId: { type: 'string', format: 'uuid' },
            versionId: { type: 'string', format: 'uuid' },
            title: { type: 'string' },
            page: { type: ['integer', 'null'] },
            headingPath: { type: 'array', items: { type: 'string' } },
            text: { type: 'string' },
            snippet: {
              type: 'object',
              properties: {
                before: { type: 'string' },
                match: { type: 'string' },
                after: { type: 'string' },
              },
            },
            charStart: { type: 'integer' },
            charEnd: { type: 'integer' },
          },
        },
        SearchResponse: {
          type: 'object',
          required: ['results'],
          properties: {
            query: { type: 'string' },
            truncated: { type: 'boolean' },
            results: { type: 'array', items: { $ref: '#/components/schemas/SearchResult' } },
          },
        },
        Document: {
          type: 'object',
          required: ['id', 'title', 'versionId'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            title: { type: 'string' },
            filename: { type: ['string', 'null'] },
            versionId: { type: 'string', format: 'uuid' },
            mime: { type: 'string' },
            pageCount: { type: ['integer', 'null'] },
            chunkCount: { type: 'integer' },
            updatedAt: { type: 'string', format: 'date-time' },
          },
        },
        DocumentList: {
          type: 'object',
          required: ['documents'],
          properties: { documents: { type: 'array', items: { $ref: '#/components/schemas/Document' } } },
        },
      },
    },
  };
}
