// The bodies /api/v1 reads and writes. Routes parse requests with these schemas and type their responses
// with them, and the OpenAPI document is generated from them (openapi.ts), so the three cannot drift.
import 'server-only';
import { z } from 'zod';
import { MAX_QUESTION_CHARS } from './chat/answer-question.ts';

/** POST /api/v1/chat. Fields it doesn't name are dropped: a request cannot widen its own scope. */
export const ZApiChatRequest = z.object({
  message: z.string('must be a string').trim().min(1, 'must not be empty').max(MAX_QUESTION_CHARS),
  conversationId: z
    .uuid('must be a conversation id (uuid)')
    .optional()
    .meta({ description: 'Continue one of the caller’s conversations.' }),
  stream: z
    .boolean('must be true or false')
    .default(false)
    .meta({ description: 'Send server-sent events instead of one JSON body.' }),
});

/** POST /api/v1/search. */
export const ZApiSearchRequest = z.object({
  query: z.string('must be a string').trim().min(1, 'must not be empty').max(10_000),
  k: z.int('must be an integer').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(10),
});

export const ZApiError = z.object({
  error: z.object({
    code: z.string().meta({ examples: ['bad_request:body'] }),
    message: z.string().meta({ examples: ['k: must be at most 1000'] }),
  }),
});

// Where a passage comes from, as citations and search results both name it.
const ZPassageSource = z.object({
  chunkId: z.uuid(),
  documentId: z.uuid(),
  versionId: z.uuid(),
  title: z.string(),
  page: z.int().nullable(),
  headingPath: z.array(z.string()),
});

export const ZApiCitation = z.object({
  marker: z.int().meta({ description: 'The [n] marker in the answer.' }),
  ...ZPassageSource.shape,
  quote: z.string(),
});

export const ZApiChatResponse = z.object({
  answer: z.string().meta({ description: 'Markdown with [n] markers, each backed by a citation.' }),
  citations: z.array(ZApiCitation),
  conversationId: z.uuid(),
  messageId: z.uuid(),
  unanswered: z.boolean().meta({ description: 'True when nothing readable answered the question.' }),
});
export type ApiChatResponse = z.input<typeof ZApiChatResponse>;

export const ZApiSearchResult = z.object({
  rank: z.int().min(1),
  ...ZPassageSource.shape,
  text: z.string(),
  snippet: z
    .object({ before: z.string(), match: z.string(), after: z.string() })
    .meta({ description: 'The best matching words of the text, with their context either side.' }),
  charStart: z.int().meta({ description: 'Where the passage starts in its version’s text.' }),
  charEnd: z.int(),
});

export const ZApiSearchResponse = z.object({
  query: z.string().meta({ description: 'The text that was searched (trimmed, shortened when long).' }),
  truncated: z.boolean().meta({ description: 'True when a long query was shortened.' }),
  results: z.array(ZApiSearchResult),
});
export type ApiSearchResponse = z.input<typeof ZApiSearchResponse>;

export const ZApiDocument = z.object({
  id: z.uuid(),
  title: z.string(),
  filename: z.string().nullable(),
  versionId: z.uuid(),
  mime: z.string(),
  pageCount: z.int().nullable(),
  chunkCount: z.int(),
  updatedAt: z.iso.datetime(),
});

export const ZApiDocumentList = z.object({ documents: z.array(ZApiDocument) });
export type ApiDocumentList = z.input<typeof ZApiDocumentList>;

/** The schemas of /api/v1 by their name under #/components/schemas. */
export const API_V1_SCHEMAS = z.registry<{ id: string }>();
for (const [id, schema] of Object.entries({
  Error: ZApiError,
  ChatRequest: ZApiChatRequest,
  Citation: ZApiCitation,
  ChatResponse: ZApiChatResponse,
  SearchRequest: ZApiSearchRequest,
  SearchResult: ZApiSearchResult,
  SearchResponse: ZApiSearchResponse,
  Document: ZApiDocument,
  DocumentList: ZApiDocumentList,
})) {
  API_V1_SCHEMAS.add(schema, { id });
}
