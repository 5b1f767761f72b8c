import { ChatPage, SignInPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

test('an anonymous visitor sees the sign-in page at /', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await expect(signIn.email).toBeVisible();
  await expect(signIn.password).toBeVisible();
  await expect(new ChatPage(page).composer).toHaveCount(0);
  await expect(page.getByRole('link', { name: /^admin$/i })).toHaveCount(0);
});

test('an anonymous visitor who opens /chat is sent to sign in', async ({ page }) => {
  await page.goto('/chat');
  await expect(new SignInPage(page).submit).toBeVisible();
  await expect(new ChatPage(page).composer).toHaveCount(0);
});

test('SSO is offered when an OpenID provider is configured', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await expect(signIn.sso).toBeVisible();
});

test('a wrong password is refused with a message and no session', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.submitCredentials('finance@northwind.example', 'definitely-not-the-password');
  await expect(page.getByText(/invalid|incorrect|wrong|not recognised|didn.t match/i).first()).toBeVisible();
  await page.goto('/chat');
  await expect(signIn.submit).toBeVisible();
});
