// SSO through the local OpenID provider (e2e/oidc/provider.ts): first sign-in creates the user and the
// IdP's groups claim maps to Clearance roles (OIDC_ROLE_MAP idp-finance -> finance).
import { randomUUID } from 'node:crypto';
import { OIDC_ISSUER } from '../../fixtures/environment.ts';
import { ChatPage, SignInPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

test('a new user signs in with SSO and gets the roles their IdP groups map to', async ({ page }) => {
  // The provider's dev login page imports a web font; this machine is offline.
  await page.route('https://fonts.googleapis.com/**', (route) => route.abort());
  const email = `sso-finance-${randomUUID().slice(0, 8)}@northwind.example`;
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.sso.click();

  await expect(page).toHaveURL(new RegExp(`^${OIDC_ISSUER}/`));
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill('any-password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();

  const chat = new ChatPage(page);
  await chat.expectShell();
  await expect(chat.adminLink).toHaveCount(0);
  await page.getByRole('button', { name: /user menu/i }).click();
  const roles = page.getByRole('list', { name: /your roles/i });
  await expect(roles).toContainText('finance');
  await expect(roles).not.toContainText('operations');
});
