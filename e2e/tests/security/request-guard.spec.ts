// Issue 15, finding 7: a NUL byte in a query was a 500 (and went unaudited), TRACE was a 500, per-user
// JSON had no Cache-Control: no-store, conversation creation had no rate limit. Session routes now share
// one guard (same-origin, session scope, per-route rate limit, no-store), like the admin and API ones.
import { cli } from '../../fixtures/cli.ts';
import { authFileOf, BASE_URL } from '../../fixtures/environment.ts';
import { rawRequest } from '../../fixtures/raw-http.ts';
import { expect, test } from '../../fixtures/test.ts';

test('a NUL byte in a query, a JSON body or an API search is a 400, the same request without it works', async ({
  playwright,
  request,
}) => {
  const finance = await playwright.request.newContext({
    baseURL: BASE_URL,
    storageState: authFileOf('finance'),
  });
  try {
    expect((await finance.get('/api/conversations?search=a%00b')).status()).toBe(400);
    expect((await finance.get('/api/conversations?search=ab')).status()).toBe(200);
    const nulBody = await finance.post('/api/conversations', {
      headers: { origin: BASE_URL },
      data: { title: 'a\u0000b' },
    });
    expect(nulBody.status()).toBe(400);
    expect(((await nulBody.json()) as { error: { code: string } }).error.code).toBe('bad_request:nul');
    expect(
      (
        await finance.post('/api/conversations', { headers: { origin: BASE_URL }, data: { title: 'ab' } })
      ).status(),
    ).toBe(201);
  } finally {
    await finance.dispose();
  }
  const user = await cli.createUser({ roles: ['finance'], prefix: 'nul' });
  const key = await cli.createApiKey(user.email);
  const search = (query: string) =>
    request.post('/api/v1/search', { headers: { authorization: `Bearer ${key}` }, data: { query, k: 3 } });
  expect((await search('per diem\u0000')).status()).toBe(400);
  expect((await search('per diem')).status()).toBe(200);
});

test('TRACE and other unsupported methods are 405 with Allow; GET still works', async () => {
  for (const [method, path] of [
    ['TRACE', '/'],
    ['TRACE', '/api/health'],
    ['PROPFIND', '/api/conversations'],
  ] as const) {
    const response = await rawRequest(path, { method });
    expect(response.status, `${method} ${path}`).toBe(405);
    expect(response.headers.allow).toContain('GET');
  }
  expect((await rawRequest('/api/health')).status).toBe(200);
});

test('per-user responses say Cache-Control: no-store', async ({ playwright, request }) => {
  const finance = await playwright.request.newContext({
    baseURL: BASE_URL,
    storageState: authFileOf('finance'),
  });
  const admin = await playwright.request.newContext({ baseURL: BASE_URL, storageState: authFileOf('admin') });
  try {
    for (const response of [
      await finance.get('/api/conversations'),
      await finance.get('/api/account/api-keys'),
      await admin.get('/api/admin/roles'),
      await finance.get('/api/conversations/00000000-0000-0000-0000-000000000000/messages'),
    ]) {
      expect(response.headers()['cache-control'], response.url()).toContain('no-store');
    }
    const user = await cli.createUser({ roles: ['hr'], prefix: 'nostore' });
    const key = await cli.createApiKey(user.email);
    const documents = await request.get('/api/v1/documents', { headers: { authorization: `Bearer ${key}` } });
    expect(documents.status()).toBe(200);
    expect(documents.headers()['cache-control']).toContain('no-store');
    // Control: the public API description may be cached.
    expect((await request.get('/api/v1/openapi.json')).headers()['cache-control']).toContain('public');
  } finally {
    await finance.dispose();
    await admin.dispose();
  }
});

test('creating conversations is rate limited per user; another user is unaffected', async ({ signInAs }) => {
  const flooder = await cli.createUser({ roles: ['hr'], prefix: 'flood' });
  const bystander = await cli.createUser({ roles: ['hr'], prefix: 'bystander' });
  const { page } = await signInAs(flooder);
  const statuses: number[] = [];
  for (let index = 0; index < 25 && !statuses.includes(429); index += 1) {
    const response = await page.request.post('/api/conversations', {
      headers: { origin: BASE_URL },
      data: { title: `flood ${index}` },
    });
    statuses.push(response.status());
    if (response.status() === 429) expect(Number(response.headers()['retry-after'])).toBeGreaterThan(0);
  }
  expect(statuses[0]).toBe(201);
  expect(statuses).toContain(429);
  const other = await signInAs(bystander);
  expect(
    (
      await other.page.request.post('/api/conversations', { headers: { origin: BASE_URL }, data: {} })
    ).status(),
  ).toBe(201);
});

test('session routes refuse cross-site writes: minting an API key from another origin is a 403', async ({
  signInAs,
}) => {
  const user = await cli.createUser({ roles: ['hr'], prefix: 'csrf-key' });
  const { page } = await signInAs(user);
  const mint = (origin: string) =>
    page.request.post('/api/account/api-keys', {
      headers: { origin },
      data: { name: 'x', expiresInDays: 7 },
    });
  expect((await mint('http://evil.example')).status()).toBe(403);
  expect((await mint('null')).status()).toBe(403);
  expect((await mint(BASE_URL)).status()).toBe(201);
});
