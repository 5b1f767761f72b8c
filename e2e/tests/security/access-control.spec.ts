// Access control by id: another role's document, chunk and viewer URL; another user's conversation;
// scope-widening parameters in bodies. Each assertion fails if the server-side check is removed.
import { randomUUID } from 'node:crypto';
import { chatWithKey, flatten, listDocumentsWithKey, searchWithKey } from '../../fixtures/api.ts';
import { cli } from '../../fixtures/cli.ts';
import { BASE_URL, PERSONAS } from '../../fixtures/environment.ts';
import { factFor, seedTitlesFor } from '../../fixtures/facts.ts';
import { expect, test } from '../../fixtures/test.ts';

test("another role's document and chunk by id answer 404, exactly like a document that doesn't exist", async ({
  request,
  openAs,
}) => {
  const insider = await cli.createUser({ roles: ['finance'], prefix: 'ac-in' });
  const outsider = await cli.createUser({ roles: ['operations'], prefix: 'ac-out' });
  const insiderKey = await cli.createApiKey(insider.email);
  const outsiderKey = await cli.createApiKey(outsider.email);
  const fact = factFor('finance');
  const [hit] = await searchWithKey(request, insiderKey, fact.question, 1);
  const documentId = String(hit?.documentId ?? (await listDocumentsWithKey(request, insiderKey))[0]?.id);
  const chunkId = String(hit?.chunkId ?? hit?.id ?? '');
  expect(documentId).toMatch(/[0-9a-f-]{36}/);

  const page = await openAs('operations');
  const foreign = await page.goto(`/documents/${documentId}?chunk=${chunkId}`);
  const missing = await page.goto(`/documents/${randomUUID()}?chunk=${randomUUID()}`);
  expect(foreign?.status()).toBe(404);
  expect(missing?.status()).toBe(404);
  await expect(page.getByText(fact.passageContains)).toHaveCount(0);

  // The API's view: the outsider's document list and search never show the document.
  expect((await listDocumentsWithKey(request, outsiderKey)).map((doc) => doc.id)).not.toContain(documentId);
  const stolen = await searchWithKey(request, outsiderKey, fact.passageContains, 50);
  expect(flatten(stolen)).not.toContain(fact.passageContains);
});

test('scope-widening fields in chat and search bodies are ignored', async ({ request }) => {
  const insider = await cli.createUser({ roles: ['finance'], prefix: 'mass-in' });
  const outsider = await cli.createUser({ roles: ['operations'], prefix: 'mass-out' });
  const insiderKey = await cli.createApiKey(insider.email);
  const outsiderKey = await cli.createApiKey(outsider.email);
  const fact = factFor('finance');
  const financeDocs = await listDocumentsWithKey(request, insiderKey);
  const documentIds = financeDocs.map((doc) => doc.id);
  const injected = {
    documentIds,
    roleIds: ['finance'],
    roles: ['finance'],
    userId: insider.email,
    ownerId: insider.email,
    isAdmin: true,
    all: true,
    scope: { roleIds: ['finance'], isAdmin: true },
  };

  const search = await request.post('/api/v1/search', {
    headers: { authorization: `Bearer ${outsiderKey}` },
    data: { query: fact.question, k: 50, ...injected },
  });
  // Either the unknown fields are rejected (400) or ignored: never honoured.
  if (search.status() === 200) expect(flatten(await search.json())).not.toContain(fact.passageContains);
  else expect(search.status()).toBe(400);

  const chat = await request.post('/api/v1/chat', {
    headers: { authorization: `Bearer ${outsiderKey}` },
    data: { message: fact.question, stream: false, ...injected },
  });
  if (chat.status() === 200) {
    const body = await chat.json();
    expect(body.answer).not.toContain(fact.answerContains);
    expect(flatten(body.citations)).not.toMatch(new RegExp(documentIds.join('|') || '^$'));
  } else expect(chat.status()).toBe(400);
});

test("another user's conversation can't be read or continued, even by someone with the same role", async ({
  request,
  openAs,
}) => {
  const owner = await cli.createUser({ roles: ['finance'], prefix: 'conv-owner' });
  const other = await cli.createUser({ roles: ['finance'], prefix: 'conv-other' });
  const ownerKey = await cli.createApiKey(owner.email);
  const otherKey = await cli.createApiKey(other.email);
  const secretQuestion = `What was group revenue for Q3 2026? (${randomUUID()})`;
  const { conversationId } = await chatWithKey(request, ownerKey, { message: secretQuestion });

  const continued = await request.post('/api/v1/chat', {
    headers: { authorization: `Bearer ${otherKey}` },
    data: { message: 'Summarise our conversation so far', conversationId, stream: false },
  });
  expect(continued.status()).toBe(404);

  // The admin is no exception: conversations are private to their owner.
  const adminPage = await openAs('admin');
  const viewed = await adminPage.goto(`/chat/${conversationId}`);
  expect(viewed?.status()).toBe(404);
  await expect(adminPage.getByText(secretQuestion)).toHaveCount(0);
});

test('a user with no roles finds nothing, and an API key dies with its owner', async ({ request }) => {
  const nobody = await cli.createUser({ roles: [], prefix: 'noroles' });
  const key = await cli.createApiKey(nobody.email);
  for (const role of ['finance', 'operations', 'hr']) {
    expect(await searchWithKey(request, key, factFor(role).question, 1000)).toEqual([]);
  }
  expect(await listDocumentsWithKey(request, key)).toEqual([]);
});

test("another user's conversation can't be listed, renamed or deleted, whatever the query string says", async ({
  signInAs,
}) => {
  const [ownerUser, otherUser] = await Promise.all([
    cli.createUser({ roles: ['hr'], prefix: 'conv-a' }),
    cli.createUser({ roles: ['hr'], prefix: 'conv-b' }),
  ]);
  const owner = (await signInAs(ownerUser)).page.request;
  const other = (await signInAs(otherUser)).page.request;
  const headers = { origin: BASE_URL };
  const title = `Private notes ${randomUUID()}`;
  const created = await owner.post('/api/conversations', { headers, data: { title } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect(id).toBeTruthy();

  // Scope-widening query parameters on the list are ignored: the list is always the caller's own.
  expect(flatten(await (await owner.get('/api/conversations')).json())).toContain(id);
  for (const query of [`userId=${ownerUser.email}`, 'all=true', `ownerId=${id}`, `search=${title}`]) {
    const listed = await other.get(`/api/conversations?${query}`);
    expect(listed.status(), query).toBeLessThan(500);
    expect(flatten(await listed.json()), query).not.toContain(id);
  }
  expect(
    (await other.patch(`/api/conversations/${id}`, { headers, data: { title: 'pwned' } })).status(),
  ).toBe(404);
  expect((await other.delete(`/api/conversations/${id}`, { headers })).status()).toBe(404);

  // The control: the owner can still see, rename and delete it.
  expect(
    flatten(await (await owner.get(`/api/conversations?search=${encodeURIComponent(title)}`)).json()),
  ).toContain(id);
  expect(
    (await owner.patch(`/api/conversations/${id}`, { headers, data: { title: `${title} (kept)` } })).status(),
  ).toBe(200);
  expect((await owner.delete(`/api/conversations/${id}`, { headers })).status()).toBe(204);
});

test('document lists ignore injected userId, roleId and all parameters', async ({ request }) => {
  const outsider = await cli.createUser({ roles: ['operations'], prefix: 'list-out' });
  const key = await cli.createApiKey(outsider.email);
  const financeTitles = seedTitlesFor('finance');
  for (const query of [
    'all=true',
    'roleId=finance',
    `userId=${PERSONAS[1]!.email}`,
    'includeAll=1&admin=true',
  ]) {
    const response = await request.get(`/api/v1/documents?${query}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status(), query).toBeLessThan(500);
    const listed = flatten(await response.json());
    for (const title of financeTitles) expect(listed, query).not.toContain(title);
  }
  // The control: the same key lists its own role's documents.
  const own = flatten(await listDocumentsWithKey(request, key));
  for (const title of seedTitlesFor('operations')) expect(own).toContain(title);
});
