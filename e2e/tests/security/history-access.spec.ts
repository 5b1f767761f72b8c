// Issue 15, finding 3: after a role was revoked (or a document deleted), the user's old answers still
// showed the facts, in the thread and through conversation search. A stored answer citing a document the
// user can no longer read now comes back hidden, saying why, and search no longer matches its words.
import { cli } from '../../fixtures/cli.ts';
import { factFor } from '../../fixtures/facts.ts';
import { expect, test } from '../../fixtures/test.ts';

type Thread = { messages: { role: string; content: string; hidden?: string; citations: unknown[] }[] };

test('an answer citing a document the user can no longer read is hidden in history and search', async ({
  signInAs,
}) => {
  const user = await cli.createUser({ roles: ['finance', 'hr'], prefix: 'history' });
  const fact = factFor('finance');
  const { page, chat } = await signInAs(user);
  const answer = await chat.ask(fact.question);
  await expect(answer).toContainText(fact.answerContains);
  await expect(chat.citations(answer).first()).toBeVisible();
  await expect(page).toHaveURL(/[?&]c=/);
  const conversationId = new URL(page.url()).searchParams.get('c')!;
  const search = async () =>
    (
      (await (await page.request.get(`/api/conversations?search=${fact.answerContains}`)).json()) as {
        conversations: { id: string }[];
      }
    ).conversations.map((conversation) => conversation.id);

  // Control: while the role holds, the thread shows the fact and search finds the conversation by it.
  expect(await search()).toContain(conversationId);

  await cli.setUserRoles(user.email, ['hr']);

  const thread = (await (
    await page.request.get(`/api/conversations/${conversationId}/messages`)
  ).json()) as Thread;
  const stored = thread.messages.find((message) => message.role === 'assistant')!;
  expect(stored).toMatchObject({ hidden: 'access_revoked', content: '', citations: [] });
  expect(JSON.stringify(thread)).not.toContain(fact.answerContains);
  expect(await search()).not.toContain(conversationId);

  await page.goto(`/chat?c=${conversationId}`);
  await expect(page.getByTestId('hidden-answer')).toContainText(/can no longer read/);
  await expect(page.getByTestId('assistant-message').first()).not.toContainText(fact.answerContains);
  // The user's own question stays: it is theirs, not the document's.
  await expect(page.getByTestId('user-message').first()).toContainText(fact.question);
});
