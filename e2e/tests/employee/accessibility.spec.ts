import { expectNoSeriousViolations } from '../../fixtures/accessibility.ts';
import { cli } from '../../fixtures/cli.ts';
import { factFor } from '../../fixtures/facts.ts';
import { ChatPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

test('the chat page with an answer has no serious accessibility violations', async ({
  page,
  currentPersona,
}) => {
  const chat = new ChatPage(page);
  await chat.goto();
  await expectNoSeriousViolations(page);
  await chat.ask(factFor(currentPersona.role!).question);
  await expectNoSeriousViolations(page);
});

test('a question can be asked with the keyboard alone', async ({ signInAs, currentPersona }) => {
  const fact = factFor(currentPersona.role!);
  // A user of this role with no history: the demo persona's conversation list grows with every run,
  // and this test counts Tab presses from the top of the page.
  const user = await cli.createUser({ roles: [currentPersona.role!], prefix: 'keyboard' });
  const { page, chat } = await signInAs(user);
  await chat.goto();
  // Tab from the top of the page until the composer has focus: it must be reachable without a mouse.
  let reached = false;
  for (let step = 0; step < 30 && !reached; step += 1) {
    await page.keyboard.press('Tab');
    reached = await chat.composer.evaluate((element) => element === document.activeElement);
  }
  expect(reached).toBe(true);
  await page.keyboard.type(fact.question);
  await page.keyboard.press('Enter');
  await expect(chat.answers().last()).toContainText(fact.answerContains, { timeout: 60_000 });
});
