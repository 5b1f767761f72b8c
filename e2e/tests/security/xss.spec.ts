// Markup in questions, document titles, filenames and passages is shown as text, never run.
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { cli } from '../../fixtures/cli.ts';
import { writeFixture } from '../../fixtures/files.ts';
import { SignInPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

const payload = (tag: string) =>
  `<img src=x onerror="window.__xss='${tag}'"><script>window.__xss='${tag}'</script>`;

async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  await expect(page.locator('img[src="x"], script:not([src]):has-text("__xss")')).toHaveCount(0);
}

test('markup in a question, a title, a filename and a passage renders as inert text', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  page.on('dialog', (dialog) => {
    throw new Error(`script ran: ${dialog.message()}`);
  });
  const marker = `xss${randomUUID().slice(0, 8)}`;
  const role = await cli.createRole('xss');
  const file = writeFixture(
    testInfo.outputDir,
    `${marker}<img src=x onerror=alert(1)>.md`,
    `# Zephyr rota ${marker}\n\nThe zephyr rota ${marker} is posted on Mondays ${payload('passage')} and [click](javascript:alert(1)).\n`,
  );
  await cli.addDocument(file, { roles: [role], title: `Zephyr ${marker} ${payload('title')}` });
  const user = await cli.createUser({ roles: [role], prefix: 'xss' });
  const chat = await new SignInPage(page).signIn(user.email, user.password);

  const answer = await chat.ask(`When is the zephyr rota ${marker} posted? ${payload('question')}`);
  await expect(page.getByText(`window.__xss='question'`).first()).toBeVisible();
  await expect(chat.citations(answer).first()).toBeVisible();
  await expect(chat.sources).toContainText(marker);
  await expectInert(page);
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);

  await chat.openPassage(answer);
  await expect(page.getByText(`zephyr rota ${marker}`).first()).toBeVisible();
  await expectInert(page);
});
