// Screenshots of the main pages per persona, light and dark, saved to e2e/screenshots/ for review
// (not compared: they are for people, the specs assert behaviour).
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ADMIN_PAGES } from '../../fixtures/admin-surface.ts';
import { authFileOf, SCREENSHOTS_DIR } from '../../fixtures/environment.ts';
import { factFor } from '../../fixtures/facts.ts';
import { ChatPage, SignInPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

const SCHEMES = ['light', 'dark'] as const;

function shoot(page: Page, name: string, fullPage = false) {
  return page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage });
}

for (const colorScheme of SCHEMES) {
  test.describe(`${colorScheme}`, () => {
    test.use({ colorScheme, viewport: { width: 1280, height: 800 } });

    test(`sign-in page (${colorScheme})`, async ({ page }) => {
      await new SignInPage(page).goto();
      await shoot(page, `anonymous-sign-in-${colorScheme}`);
    });

    for (const role of ['finance', 'operations', 'hr']) {
      test(`${role} employee chat with a cited answer (${colorScheme})`, async ({ browser }) => {
        const context = await browser.newContext({ storageState: authFileOf(role), colorScheme });
        try {
          const page = await context.newPage();
          const chat = new ChatPage(page);
          await chat.goto();
          await shoot(page, `${role}-chat-empty-${colorScheme}`);
          const answer = await chat.ask(factFor(role).question);
          await expect(chat.citations(answer).first()).toBeVisible();
          await chat.citations(answer).first().click();
          await shoot(page, `${role}-chat-answer-${colorScheme}`);
          if (role === 'finance') {
            await chat.openPassage(answer);
            await expect(page.getByRole('region', { name: 'Cited passage' })).toBeVisible();
            await shoot(page, `${role}-document-viewer-${colorScheme}`);
            const refused = await page.goto('/admin');
            expect(refused?.status()).toBe(403);
            await expect(page.getByRole('heading', { level: 1, name: 'Administrators only' })).toBeVisible();
            await shoot(page, `${role}-admin-refused-${colorScheme}`);
          }
        } finally {
          await context.close();
        }
      });
    }

    test(`admin console pages (${colorScheme})`, async ({ browser }) => {
      test.setTimeout(120_000);
      const context = await browser.newContext({ storageState: authFileOf('admin'), colorScheme });
      try {
        const page = await context.newPage();
        for (const adminPath of ADMIN_PAGES) {
          const response = await page.goto(adminPath);
          expect(response?.status(), adminPath).toBe(200);
          await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
          await shoot(page, `admin-${adminPath.replace(/^\//, '').replace(/\//g, '-')}-${colorScheme}`, true);
        }

        // The dialogs and results a reviewer wants to see too.
        await page.goto('/admin/documents');
        await page.getByRole('button', { name: 'Upload documents' }).click();
        await expect(page.getByRole('dialog', { name: 'Upload documents' })).toBeVisible();
        await shoot(page, `admin-documents-upload-dialog-${colorScheme}`);

        await page.goto('/admin/documents');
        await page.getByTestId('document-row').first().getByRole('link').click();
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await shoot(page, `admin-document-detail-${colorScheme}`, true);

        await page.goto('/admin/see-as');
        await page.getByRole('checkbox', { name: 'finance', exact: true }).check();
        await page.getByLabel('Question').fill(factFor('finance').question);
        await page.getByRole('button', { name: 'Preview' }).click();
        await expect(page.getByRole('heading', { name: /^Retrieved passages/ })).toBeVisible();
        await shoot(page, `admin-see-as-preview-${colorScheme}`, true);

        await page.goto('/admin/roles');
        await page
          .getByRole('table', { name: 'Roles' })
          .getByRole('row')
          .filter({ has: page.getByText('finance', { exact: true }) })
          .getByRole('button', { name: 'Delete' })
          .click();
        await expect(page.getByRole('dialog', { name: 'Delete role "finance"' })).toBeVisible();
        await shoot(page, `admin-roles-delete-impact-${colorScheme}`);
      } finally {
        await context.close();
      }
    });
  });
}

// The same product on a phone (390 px): header menu, chat, reader, and admin tables as cards.
for (const colorScheme of SCHEMES) {
  test(`phone pages (${colorScheme})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const viewport = { width: 390, height: 844 };
    const employee = await browser.newContext({ storageState: authFileOf('finance'), colorScheme, viewport });
    try {
      const page = await employee.newPage();
      const chat = new ChatPage(page);
      await page.goto('/chat');
      await expect(chat.composer).toBeVisible();
      await shoot(page, `phone-finance-chat-empty-${colorScheme}`);
      const answer = await chat.ask(factFor('finance').question);
      await expect(chat.citations(answer).first()).toBeVisible();
      await shoot(page, `phone-finance-chat-answer-${colorScheme}`);
      await page.getByRole('button', { name: 'Menu' }).click();
      await shoot(page, `phone-finance-menu-${colorScheme}`);
      await page.keyboard.press('Escape');
      await chat.citations(answer).first().click();
      await page
        .getByRole('link', { name: /open passage/i })
        .first()
        .click();
      await expect(page.getByRole('region', { name: 'Cited passage' })).toBeInViewport();
      await shoot(page, `phone-finance-document-viewer-${colorScheme}`);
    } finally {
      await employee.close();
    }
    const admin = await browser.newContext({ storageState: authFileOf('admin'), colorScheme, viewport });
    try {
      const page = await admin.newPage();
      for (const adminPath of ['/admin/documents', '/admin/people', '/admin/audit', '/admin/usage']) {
        await page.goto(adminPath);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await shoot(page, `phone-admin-${adminPath.replace(/^\/admin\//, '')}-${colorScheme}`);
      }
    } finally {
      await admin.close();
    }
  });
}
