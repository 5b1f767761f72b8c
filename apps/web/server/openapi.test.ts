import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ZApiSearchRequest } from './api-v1-schemas.ts';
import { MAX_QUESTION_CHARS } from './chat/answer-question.ts';
import { createOpenApiDocument } from './openapi.ts';

function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, refs);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') refs.push(child);
      else collectRefs(child, refs);
    }
  }
  return refs;
}

describe('OpenAPI document', () => {
  const document = createOpenApiDocument('http://localhost:3000');

  it('is OpenAPI 3.1 with every route of /api/v1 and resolvable references', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/v1/chat',
      '/api/v1/documents',
      '/api/v1/openapi.json',
      '/api/v1/search',
    ]);
    for (const ref of collectRefs(document)) {
      const name = ref.replace('#/components/schemas/', '');
      expect(ref.startsWith('#/components/schemas/')).toBe(true);
      expect(document.components.schemas).toHaveProperty(name);
    }
    for (const [path, item] of Object.entries(document.paths)) {
      for (const operation of Object.values(item)) {
        expect(Object.keys(operation.responses), path).toContain('200');
      }
    }
  });

  it('has component schemas that are valid JSON Schema 2020-12 (the dialect of OpenAPI 3.1)', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const schemas = JSON.parse(
      JSON.stringify(document.components.schemas).replaceAll('#/components/schemas/', 'components#/$defs/'),
    );
    ajv.addSchema({ $id: 'components', $defs: schemas });
    for (const name of Object.keys(schemas)) {
      const validate = ajv.getSchema(`components#/$defs/${name}`);
      expect(validate, name).toBeTypeOf('function');
    }
    const validateSearch = ajv.compile(schemas.SearchRequest);
    expect(validateSearch({ query: 'travel', k: 5 })).toBe(true);
    expect(validateSearch({ query: 'travel', k: 5000 })).toBe(false);
    const validateChat = ajv.compile(schemas.ChatResponse);
    const answer = {
      answer: 'x',
      citations: [],
      conversationId: '00000000-0000-4000-8000-000000000000',
      messageId: '00000000-0000-4000-8000-000000000001',
      unanswered: false,
    };
    expect(validateChat(answer)).toBe(true);
    expect(validateChat({ ...answer, messageId: undefined })).toBe(false);
  });

  it('describes requests as the routes parse them (generated from their zod schemas)', () => {
    const { ChatRequest, SearchRequest } = document.components.schemas;
    expect(ChatRequest).toMatchObject({
      required: ['message'],
      properties: { message: { maxLength: MAX_QUESTION_CHARS }, stream: { default: false } },
    });
    expect(SearchRequest).toMatchObject({ properties: { k: { maximum: 1000, default: 10 } } });
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const validateSearch = ajv.compile(SearchRequest!);
    for (const body of [{ query: 'travel' }, { query: 'travel', k: 0 }, { query: '' }, { k: 3 }]) {
      expect(validateSearch(body), JSON.stringify(body)).toBe(ZApiSearchRequest.safeParse(body).success);
    }
  });
});
