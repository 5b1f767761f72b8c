import { cli } from '../../fixtures/cli.ts';
import { factFor } from '../../fixtures/facts.ts';
import { expect, test } from '../../fixtures/test.ts';

test("removing a role from a signed-in user takes effect on the user's next request", async ({
  signInAs,
}) => {
  const user = await cli.createUser({ roles: ['finance', 'hr'], prefix: 'revoke' });
  const fact = factFor('finance');
  const { chat } = await signInAs(user);
  const before = await chat.ask(fact.question);
  await expect(before).toContainText(fact.answerContains);

  // The admin (another context, another process) removes finance while the user stays signed in.
  await cli.setUserRoles(user.email, ['hr']);

  const after = await chat.ask(fact.question);
  await expect(after).not.toContainText(fact.passageContains);
  // A decline may show the asker's own closest passages (cited), never the other role's passage.
  await expect(chat.sources).not.toContainText(fact.passageContains);
  await expect(after).toContainText(
    /no relevant|nothing relevant|couldn.t find|could not find|not available/i,
  );
});
