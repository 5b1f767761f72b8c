// What a paying user notices while reading and chatting: Stop that really stops (and keeps what was
// shown), failures that say what happened and can be retried, a reader that opens at the cited passage
// with the document rendered, and screens that never scroll sideways on a phone or a laptop.
import type { Page } from '@playwright/test';
import {
  AdminConsole,
  getDocument,
  roleIdOf,
  uploadDocument,
  waitForIngestion,
} from '../../fixtures/admin.ts';
import { ADMIN_PAGES } from '../../fixtures/admin-surface.ts';
import { cli, uniqueSuffix } from '../../fixtures/cli.ts';
import { authFileOf } from '../../fixtures/environment.ts';
import { factFor, readFacts } from '../../fixtures/facts.ts';
import { ChatPage, SignInPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

/** The rendered text of an answer (its Markdown body, without the action buttons); "" while it has none. */
async function answerText(page: Page, index: number): Promise<string> {
  const body = page
    .getByRole('article', { name: /^answer$/i })
    .nth(index)
    .getByTestId('answer-text');
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a reader sees
  return (await body.count()) ? body.innerText() : '';
}

/** Finance's chat page, and finance's demo fact number `factIndex` to ask there. */
async function openFinanceChat(openAs: (personaId: string) => Promise<Page>, factIndex: number) {
  const page = await openAs('finance');
  const chat = new ChatPage(page);
  await chat.goto();
  return { page, chat, fact: factFor('finance', factIndex) };
}

test('Stop keeps exactly what was shown: after a reload the stored answer is the same, marked stopped', async ({
  openAs,
}) => {
  const { page, chat } = await openFinanceChat(openAs, 0);
  // A question whose answer is a whole list (the corporate card rules, ~700 characters): still arriving
  // over the slow connection below when Stop is pressed. A one-sentence fact arrives before the click.
  const fact = { question: 'What are the rules for using the corporate card?', answerContains: 'EUR 5,000' };

  // A slow connection: the answer is still on its way when Stop is pressed, while the server has long
  // finished generating it (the case where the whole answer used to be stored).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 20,
    downloadThroughput: 2_000,
    uploadThroughput: -1,
  });
  await chat.composer.fill(fact.question);
  await chat.send.click();
  // Stop while the answer is on its way (the engine has it complete within milliseconds).
  const answer = chat.answers().first();
  await expect(answer).toHaveAttribute('data-status', 'streaming');
  const stopSaved = page.waitForResponse((response) => /\/api\/messages\/[^/]+\/stop$/.test(response.url()));
  await chat.stop.click();
  await expect(answer).toHaveAttribute('data-status', 'stopped');
  await expect(answer).toContainText('Stopped');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  // The stored copy is cut to what was on screen once the stop request has answered.
  expect((await stopSaved).status()).toBe(200);
  const shown = await answerText(page, 0);

  // The conversation's address must be in the URL before reloading, or the reload opens a new chat.
  await expect(page).toHaveURL(/[?&]c=/);
  await page.reload();
  await expect(chat.answers()).toHaveCount(1);
  await expect(chat.answers().first()).toHaveAttribute('data-status', 'stopped');
  await expect(chat.answers().first()).toContainText('Stopped');
  expect(await answerText(page, 0)).toBe(shown);

  // And it really was cut short: the full answer to the same question is longer.
  const full = await chat.ask(fact.question);
  await expect(full).toContainText(fact.answerContains);
  expect((await answerText(page, 1)).length).toBeGreaterThan(shown.length);
});

test('Regenerate replaces the last answer: one question, one answer, also after a reload', async ({
  openAs,
}) => {
  const { page, chat, fact } = await openFinanceChat(openAs, 3);
  const first = await chat.ask(fact.question);
  await expect(first).toContainText(fact.answerContains);

  const regenerated = page.waitForResponse(
    (response) =>
      response.url().endsWith('/api/chat') && /"regenerate":true/.test(response.request().postData() ?? ''),
  );
  await first.getByRole('button', { name: 'Regenerate' }).click();
  expect((await regenerated).status()).toBe(200);
  await expect(chat.stop).toHaveCount(0, { timeout: 60_000 });
  await expect(chat.answers()).toHaveCount(1);
  await expect(chat.answers().first()).toHaveAttribute('data-status', 'complete');
  await expect(chat.answers().first()).toContainText(fact.answerContains);

  await expect(page).toHaveURL(/[?&]c=/);
  await page.reload();
  await expect(page.getByTestId('user-message')).toHaveCount(1);
  await expect(chat.answers()).toHaveCount(1);
  await expect(chat.answers().first()).toContainText(fact.answerContains);
});

test('a failed question says what happened in plain words and Retry answers it', async ({ openAs }) => {
  const { page, chat, fact } = await openFinanceChat(openAs, 1);
  let failures = 0;
  await page.route('**/api/chat', async (route) => {
    if (failures++ === 0) {
      await route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'internal:server', message: 'Something went wrong (request x).' },
        }),
      });
    } else {
      await route.continue();
    }
  });
  await chat.composer.fill(fact.question);
  await chat.send.click();
  const failed = chat.answers().first();
  const alert = failed.getByRole('alert');
  await expect(alert).toContainText(/went wrong on our side/i);
  await expect(alert).not.toContainText(/500|failed to fetch/i);
  await failed.getByRole('button', { name: 'Retry' }).click();

  await expect(chat.answers().first()).toContainText(fact.answerContains);
  await expect(chat.answers().first().getByRole('alert')).toHaveCount(0);
  // The question is asked once, not once per attempt.
  await expect(page.getByTestId('user-message')).toHaveCount(1);
  await expect(page).toHaveURL(/[?&]c=/);
  await page.reload();
  await expect(page.getByTestId('user-message')).toHaveCount(1);
  await expect(chat.answers().first()).toContainText(fact.answerContains);

  // A connection that drops is explained too, and Retry works the same way.
  await page.unrouteAll();
  await page.route('**/api/chat', (route) => route.abort('internetdisconnected'), { times: 1 });
  const second = factFor('finance', 2);
  await chat.composer.fill(second.question);
  await chat.send.click();
  await expect(chat.answers().nth(1).getByRole('alert')).toContainText(/couldn.t be reached/i);
  await chat.answers().nth(1).getByRole('button', { name: 'Retry' }).click();
  await expect(chat.answers().nth(1)).toContainText(second.answerContains);
});

test('the reader opens at the cited passage, in view and highlighted, with the Markdown table rendered', async ({
  openAs,
}) => {
  const page = await openAs('operations');
  const chat = new ChatPage(page);
  await chat.goto();
  const fact = readFacts().find((entry) => entry.passageContains.startsWith('Main landing gear'))!;
  const answer = await chat.ask(fact.question);
  await expect(chat.citations(answer).first()).toBeVisible();
  await chat.citations(answer).first().click();
  const links = await chat.sources
    .getByRole('link', { name: /open passage/i })
    .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
  let found = false;
  for (const href of links) {
    await page.goto(href);
    const cited = page.getByRole('region', { name: 'Cited passage' });
    await expect(cited).toBeInViewport();
    if (!((await cited.textContent()) ?? '').includes(fact.passageContains)) continue;
    found = true;
    // A table, not pipes: the row is a row of cells.
    const row = cited.getByRole('row').filter({ hasText: fact.passageContains });
    await expect(row.getByRole('cell')).toHaveCount(4);
    await expect(cited).not.toContainText('|---');
    break;
  }
  expect(found, 'one cited passage holds the table row').toBe(true);

  // The whole document is there (its first heading too), and the original downloads.
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download original' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.md$/);
});

for (const width of [390, 1280]) {
  test(`no chat or admin page scrolls sideways at ${width} px`, async ({ browser }) => {
    test.setTimeout(180_000);
    const viewport = { width, height: 844 };
    const fits = async (page: Page, what: string) => {
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(scrollWidth, `${what} at ${width} px`).toBeLessThanOrEqual(innerWidth);
    };
    const employee = await browser.newContext({ storageState: authFileOf('finance'), viewport });
    try {
      const page = await employee.newPage();
      const chat = new ChatPage(page);
      await page.goto('/chat');
      await expect(chat.composer).toBeVisible();
      await fits(page, '/chat (empty)');
      const answer = await chat.ask(factFor('finance', 0).question);
      await expect(chat.citations(answer).first()).toBeVisible();
      await fits(page, '/chat (answer)');
      await chat.citations(answer).first().click();
      // The sources panel on a laptop, the sources sheet on a phone.
      await page
        .getByRole('link', { name: /open passage/i })
        .first()
        .click();
      await expect(page.getByRole('region', { name: 'Cited passage' })).toBeVisible();
      await fits(page, 'the reader');
      if (width < 640) {
        await page.goto('/chat');
        await page.getByRole('button', { name: 'Menu' }).click();
        await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport();
        await fits(page, '/chat with the menu open');
      }
    } finally {
      await employee.close();
    }
    const admin = await browser.newContext({ storageState: authFileOf('admin'), viewport });
    try {
      const page = await admin.newPage();
      for (const adminPath of ADMIN_PAGES) {
        await page.goto(adminPath);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await fits(page, adminPath);
      }
    } finally {
      await admin.close();
    }
  });
}

test('the documents table shows every row action without sideways scrolling at 1280 px', async ({
  browser,
}) => {
  const context = await browser.newContext({
    storageState: authFileOf('admin'),
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = await context.newPage();
    await page.goto('/admin/documents');
    const rows = page.getByTestId('document-row');
    await expect(rows.first()).toBeVisible();
    const table = page.getByRole('table', { name: 'Documents' });
    const overflow = await table.evaluate((element) => {
      const box = element.parentElement!;
      return box.scrollWidth - box.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    // Every row's actions sit inside the window's width (no sideways scrolling to reach them).
    const edges = await rows.getByRole('button', { name: /^Actions for / }).evaluateAll((buttons) =>
      buttons.map((button) => ({
        left: button.getBoundingClientRect().left,
        right: button.getBoundingClientRect().right,
      })),
    );
    expect(edges.length).toBeGreaterThan(0);
    for (const edge of edges) {
      expect(edge.left).toBeGreaterThanOrEqual(0);
      expect(edge.right).toBeLessThanOrEqual(1280);
    }
    // Compact rows: a ready document takes one line, so ten fit on a laptop screen (a failed one also
    // shows its reason).
    const heights = await rows
      .and(page.locator('[data-status="ready"]'))
      .evaluateAll((elements) => elements.map((row) => row.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThanOrEqual(56);

    await rows
      .first()
      .getByRole('button', { name: /^Actions for / })
      .click();
    for (const action of ['Edit grants', 'Delete']) {
      await expect(page.getByRole('menuitem', { name: action })).toBeInViewport();
    }
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test('a disabled user is told the account is disabled when signing in', async ({ page }) => {
  const user = await cli.createUser({ roles: ['finance'], prefix: 'disabled' });
  await cli.disableUser(user.email);
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.submitCredentials(user.email, user.password);
  await expect(signIn.error).toContainText(/account has been disabled/i);
  await expect(page).not.toHaveURL(/\/chat/);
  // A wrong password learns nothing about the account.
  await signIn.submitCredentials(user.email, `${user.password}-wrong`);
  await expect(signIn.error).toContainText(/incorrect email or password/i);
});

test('an uploaded document is titled by its own first heading, and the admin can change the title', async ({
  openAs,
}) => {
  const page = await openAs('admin');
  const marker = `titled${uniqueSuffix()}`;
  const { documentId } = await uploadDocument(page.request, {
    bytes: `# Crew rest rules ${marker}\n\nThe ${marker} crew rest period is 10 hours.\n`,
    filename: `${marker}-zod-README.md`,
    roleIds: [await roleIdOf(page.request, 'operations')],
  });
  expect((await waitForIngestion(page.request, documentId)).document.status).toBe('ready');
  expect((await getDocument(page.request, documentId)).document.title).toBe(`Crew rest rules ${marker}`);

  const admin = new AdminConsole(page);
  await page.goto(`/admin/documents/${documentId}`);
  await page.getByLabel('Title', { exact: true }).fill(`Crew rest ${marker}`);
  await page.getByRole('button', { name: 'Save title' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Crew rest ${marker}` })).toBeVisible();
  await admin.open('documents', 'Documents');
  await admin.searchDocuments(marker);
  await expect(admin.documentRows(marker)).toContainText(`Crew rest ${marker}`);
});
