import { ChatPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

test('a demo employee sees the chat shell without the Admin link', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.goto();
  await expect(chat.composer).toBeVisible();
  await expect(chat.send).toBeVisible();
  await expect(chat.adminLink).toHaveCount(0);
});

test('a signed-in employee who opens / lands in the chat shell', async ({ page }) => {
  await page.goto('/');
  await new ChatPage(page).expectShell();
});

test('an employee who types /admin is refused', async ({ page }) => {
  const response = await page.goto('/admin');
  // Either a 403/404 page or a redirect away from the console: never the console itself.
  if (response && response.status() < 400) await expect(page).not.toHaveURL(/\/admin/);
  else expect([403, 404]).toContain(response?.status());
});
