import { expect, test } from '../../fixtures/test.ts';

test('pages carry a Content-Security-Policy that blocks third-party scripts and images', async ({
  request,
}) => {
  const response = await request.get('/');
  const csp = response.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  const directive = (name: string) =>
    csp
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.startsWith(`${name} `)) ?? '';
  expect(directive('script-src')).not.toMatch(/\*|https?:|'unsafe-inline'(?!.*'strict-dynamic')/);
  expect(directive('img-src')).not.toMatch(/\*|https?:/);
  expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
});

test('a third-party image injected into the page is blocked by the CSP', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) violations.push(message.text());
  });
  let requested = false;
  await page.route('https://tracker.example/**', (route) => {
    requested = true;
    return route.abort();
  });
  await page.goto('/');
  await page.evaluate(() => {
    const image = document.createElement('img');
    image.src = 'https://tracker.example/pixel.png';
    document.body.append(image);
  });
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(requested).toBe(false);
});
