import { AdminPage, ChatPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

test('a demo admin sees the Admin link and reaches the console', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.goto();
  await expect(chat.adminLink).toBeVisible();
  await chat.adminLink.click();
  await expect(page).toHaveURL(/\/admin/);
  await expect(page.getByRole('heading').first()).toBeVisible();
});

test('the admin console answers 200 for an admin', async ({ page }) => {
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(200);
  await new AdminPage(page).goto();
});
