import { chatWithKey, flatten, searchWithKey } from '../../fixtures/api.ts';
import { cli } from '../../fixtures/cli.ts';
import { factFor, seedTitlesFor } from '../../fixtures/facts.ts';
import { expect, test } from '../../fixtures/test.ts';

test('an API key from the CLI searches and chats in its owner scope', async ({ request }) => {
  const user = await cli.createUser({ roles: ['operations'], prefix: 'apikey' });
  const key = await cli.createApiKey(user.email);
  const fact = factFor('operations');

  const results = await searchWithKey(request, key, fact.question, 5);
  expect(results.length).toBeGreaterThan(0);
  expect(flatten(results)).toContain(fact.passageContains);

  const answer = await chatWithKey(request, key, { message: fact.question });
  expect(answer.answer).toContain(fact.answerContains);
  expect(answer.citations.length).toBeGreaterThan(0);
  expect(answer.conversationId).toBeTruthy();

  const documents = await request.get('/api/v1/documents', { headers: { authorization: `Bearer ${key}` } });
  expect(documents.status()).toBe(200);
  const listed = flatten(await documents.json());
  for (const title of seedTitlesFor('operations')) expect(listed).toContain(title);
  for (const title of [...seedTitlesFor('finance'), ...seedTitlesFor('hr')])
    expect(listed).not.toContain(title);
});

test('the API streams chat as server-sent events when asked to', async ({ request }) => {
  const user = await cli.createUser({ roles: ['finance'], prefix: 'apisse' });
  const key = await cli.createApiKey(user.email);
  const response = await request.post('/api/v1/chat', {
    headers: { authorization: `Bearer ${key}` },
    data: { message: factFor('finance').question, stream: true },
  });
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/event-stream');
  expect(await response.text()).toMatch(/^data: /m);
});

test('the API refuses a missing, malformed or disabled key and bad input', async ({ request }) => {
  expect((await request.post('/api/v1/search', { data: { query: 'x', k: 5 } })).status()).toBe(401);
  const bogus = await request.post('/api/v1/search', {
    headers: { authorization: 'Bearer clr_not-a-real-key' },
    data: { query: 'x', k: 5 },
  });
  expect(bogus.status()).toBe(401);

  const user = await cli.createUser({ roles: ['finance'], prefix: 'apidisabled' });
  const key = await cli.createApiKey(user.email);
  const bad = await request.post('/api/v1/search', {
    headers: { authorization: `Bearer ${key}` },
    data: { query: '', k: 'many' },
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error ?? (await bad.text())).toBeTruthy();

  await cli.disableUser(user.email);
  const afterDisable = await request.post('/api/v1/search', {
    headers: { authorization: `Bearer ${key}` },
    data: { query: 'revenue', k: 5 },
  });
  expect(afterDisable.status()).toBe(401);
});

test('GET /api/v1/openapi.json describes the API as OpenAPI 3.1', async ({ request }) => {
  const response = await request.get('/api/v1/openapi.json');
  expect(response.status()).toBe(200);
  const document = await response.json();
  expect(document.openapi).toMatch(/^3\.1\./);
  for (const path of ['/api/v1/chat', '/api/v1/search', '/api/v1/documents']) {
    expect(Object.keys(document.paths).some((key) => key.endsWith(path.replace('/api/v1', '')))).toBe(true);
  }
});
