// One sign-in per demo persona through the real UI; later projects reuse the session (storageState).
import { readDemoPassword } from '../../fixtures/credentials.ts';
import { authFileOf, PERSONAS } from '../../fixtures/environment.ts';
import { SignInPage } from '../../fixtures/pages.ts';
import { test } from '../../fixtures/test.ts';

for (const persona of PERSONAS) {
  test(`sign in as ${persona.email} @${persona.id}`, async ({ page }) => {
    await new SignInPage(page).signIn(persona.email, readDemoPassword(persona.email));
    await page.context().storageState({ path: authFileOf(persona.id) });
  });
}
