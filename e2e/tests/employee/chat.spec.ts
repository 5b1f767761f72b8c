// Runs once per demo role (employee-finance, -operations, -hr): each asks its own role's facts.
import { factFor, foreignFactFor, seedTitleOf } from '../../fixtures/facts.ts';
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
  const title = seedTitleOf(fact.file);
  await expect(chat.sources).toContainText(title);
  const passageLinks = await chat.sources
    .getByRole('link', { name: /open passage/i })
    .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));

  // The first citation opens its passage in context, highlighted, in the cited document.
  await chat.openPassage(answer);
  await expect(page.getByRole('region', { name: 'Cited passage' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  // One of the cited passages is the sentence that answers the question (source quotes are truncated
  // previews, so read each cited passage in the viewer).
  const cited: string[] = [];
  for (const href of passageLinks) {
    await page.goto(href);
    cited.push((await page.getByRole('region', { name: 'Cited passage' }).textContent()) ?? '');
  }
  expect(cited.join('\n')).toContain(fact.passageContains);
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
  // A decline may show the asker's own closest passages (cited), never the other role's passage.
  await expect(chat.sources).not.toContainText(foreign.passageContains);
});
