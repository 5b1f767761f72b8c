// Runs once per demo role (employee-finance, -operations, -hr): each asks its own role's facts.
import { factFor, foreignFactFor } from '../../fixtures/facts.ts';
import { ChatPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

test('an employee gets a cited answer from their documents and the citation opens the passage', async ({
  page,
  currentPersona,
}) => {
  const fact = factFor(currentPersona.role!);
  const chat = new ChatPage(page);
  await chat.goto();
  const answer = await chat.ask(fact.question);
  await expect(answer).toContainText(fact.answerContains);
  const citation = chat.citations(answer).first();
  await expect(citation).toBeVisible();
  await expect(chat.sources).toContainText(fact.passageContains);

  await chat.openPassage(answer);
  // The viewer shows the cited passage itself, marked so the reader sees where the answer came from.
  await expect(page.getByText(fact.passageContains).first()).toBeVisible();
});

test("an employee asking about another role's document is told nothing relevant is available", async ({
  page,
  currentPersona,
}) => {
  const foreign = foreignFactFor(currentPersona.role!);
  const chat = new ChatPage(page);
  await chat.goto();
  const answer = await chat.ask(foreign.question);
  await expect(answer).toContainText(
    /no relevant|nothing relevant|couldn.t find|could not find|not available/i,
  );
  await expect(answer).not.toContainText(foreign.passageContains);
  await expect(chat.citations(answer)).toHaveCount(0);
});
