import { expectNoSeriousViolations } from '../../fixtures/accessibility.ts';
import { ADMIN_PAGES } from '../../fixtures/admin-surface.ts';
import { expect, test } from '../../fixtures/test.ts';

for (const path of ADMIN_PAGES) {
  test(`${path} has no serious accessibility violations`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoSeriousViolations(page);
  });
}
