// Every admin page and route refuses employees (403) and anonymous callers (401), including requests
// carrying `x-middleware-subrequest`, the header that once let callers skip Next.js middleware.
import { ADMIN_REFUSED_PAGES, ADMIN_ROUTES, SOME_ID } from '../../fixtures/admin-surface.ts';
import { authFileOf, BASE_URL } from '../../fixtures/environment.ts';
import { expect, test } from '../../fixtures/test.ts';

const BYPASS = { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' };

for (const { method, path, data } of ADMIN_ROUTES) {
  const body = data ? ` ${Object.keys(data).join(',')}` : '';
  test(`${method} ${path}${body} answers 401 to anonymous and 403 to an employee`, async ({ playwright }) => {
    const anonymous = await playwright.request.newContext({ baseURL: BASE_URL });
    const employee = await playwright.request.newContext({
      baseURL: BASE_URL,
      storageState: authFileOf('finance'),
    });
    const admin = await playwright.request.newContext({
      baseURL: BASE_URL,
      storageState: authFileOf('admin'),
    });
    try {
      const send = (context: typeof anonymous, headers: Record<string, string> = {}) =>
        context.fetch(path, { method, data, headers: { origin: BASE_URL, ...headers }, maxRedirects: 0 });
      expect((await send(anonymous)).status()).toBe(401);
      expect((await send(anonymous, BYPASS)).status()).toBe(401);
      expect((await send(employee)).status()).toBe(403);
      expect((await send(employee, BYPASS)).status()).toBe(403);
      // The control: an admin gets past the gate with the same request (reads, and writes aimed at an id
      // that doesn't exist, so nothing changes).
      if (method === 'GET' || JSON.stringify({ path, data }).includes(SOME_ID)) {
        expect([401, 403]).not.toContain((await send(admin)).status());
      }
    } finally {
      await anonymous.dispose();
      await employee.dispose();
      await admin.dispose();
    }
  });
}

test('admin pages never render for an employee or an anonymous visitor', async ({
  openAs,
  openAnonymous,
}) => {
  const employee = await openAs('operations');
  const anonymous = await openAnonymous();
  await anonymous.context().setExtraHTTPHeaders(BYPASS);
  for (const path of ADMIN_REFUSED_PAGES) {
    const asEmployee = await employee.goto(path);
    expect(asEmployee?.status(), `${path} as employee`).toBeGreaterThanOrEqual(400);
    await expect(employee.getByRole('link', { name: /^admin$/i })).toHaveCount(0);
    await anonymous.goto(path);
    await expect(anonymous, `${path} as anonymous`).toHaveURL(`${BASE_URL}/`);
    await expect(anonymous.getByRole('button', { name: /^sign in$/i })).toBeVisible();
  }
});
