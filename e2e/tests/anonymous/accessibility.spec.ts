import { expectNoSeriousViolations } from '../../fixtures/accessibility.ts';
import { SignInPage } from '../../fixtures/pages.ts';
import { test } from '../../fixtures/test.ts';

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the sign-in page has no serious accessibility violations (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await new SignInPage(page).goto();
    await expectNoSeriousViolations(page);
  });
}
