// The whole employee journey with a user created for this test (signing out must not end the shared
// persona sessions other specs use).
import { cli } from '../../fixtures/cli.ts';
import { factFor } from '../../fixtures/facts.ts';
import { SignInPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

test('employee signs in, asks, opens the citation, follows up, rates the answer and signs out', async ({
  page,
}) => {
  const user = await cli.createUser({ roles: ['finance'], prefix: 'journey' });
  const first = factFor('finance', 0);
  const chat = await new SignInPage(page).signIn(user.email, user.password);

  // Streamed: the chat response arrives as a stream, not one JSON document.
  const streamed = page.waitForResponse((response) => response.url().includes('/api/chat'));
  const answer = await chat.ask(first.question);
  const response = await streamed;
  expect(response.headers()['content-type'] ?? '').toMatch(/event-stream|text\/plain|ndjson|octet-stream/);
  await expect(answer).toContainText(first.answerContains);
  await expect(chat.citations(answer).first()).toBeVisible();

  // A follow-up that only makes sense with the conversation: the standalone rewrite must use it.
  const followUp = await chat.ask('And what was it in the previous quarter?');
  await expect(followUp).toBeVisible();
  await expect(chat.answers()).toHaveCount(2);

  await chat.rate(answer, 'up');

  const conversationUrl = page.url();
  await page.reload();
  await expect(chat.answers()).toHaveCount(2);
  await expect(chat.answers().first()).toContainText(first.answerContains);
  expect(page.url()).toBe(conversationUrl);

  await chat.openPassage(chat.answers().first());
  await expect(page.getByText(first.passageContains).first()).toBeVisible();

  await page.goto('/chat');
  await chat.signOutAndExpectSignIn();
  await page.goto('/chat');
  await expect(new SignInPage(page).submit).toBeVisible();
});
