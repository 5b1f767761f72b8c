// Runs once per demo role (employee-finance, -operations, -hr): each asks its own documents the way people
// ask - in other words than the document's, with typos, two questions in one - and says hi. The questions
// and what a right answer contains come from the development set (prisma/seed/documents/DEVSET.json).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../fixtures/environment.ts';
import { ChatPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

type DevsetEntry = { category: string; role: string; question: string; expect: string[] };

const devset = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'prisma/seed/documents/DEVSET.json'), 'utf8'),
) as DevsetEntry[];

/**
 * The development-set questions each role asks here, by kind. Paraphrases that share no word, synonym or
 * near neighbour with the passage ("take my own car to a customer visit" for "use your own car for
 * business") are still declined by the offline engine; `npm run eval:answers -- --devset` measures them.
 */
const ASKED: Record<string, { paraphrase: string; misspelt: string; twoPart: string }> = {
  finance: {
    paraphrase: 'Up to what amount can my own manager sign off a claim?',
    misspelt: 'whats the internatonal per deim?',
    twoPart: 'What is the domestic per diem and the mileage rate?',
  },
  operations: {
    paraphrase: 'How close to a hangar door may I smoke?',
    misspelt: 'torqe value for the pump mouting nuts?',
    twoPart: 'What torque goes on the pressure line B-nut, and what on the suction line?',
  },
  hr: {
    paraphrase: 'What day of the month does my salary come in?',
    misspelt: 'phone numbr of the employe assistance programe?',
    twoPart: 'How long is maternity leave and how much of it is on full pay?',
  },
};

const DECLINE = /no relevant|nothing relevant|couldn.t find|could not find|not available/i;
/** A reply to "hi": a greeting or a word about what the assistant can help with. */
const GREETING =
  /\b(hi|hello|hey|welcome|good (morning|afternoon|evening|day))\b|\bI can (help|answer|find)\b|\bassistant\b|\bask me\b/i;

function entryOf(question: string): DevsetEntry {
  const entry = devset.find((candidate) => candidate.question === question);
  if (!entry) throw new Error(`DEVSET.json has no question "${question}"`);
  return entry;
}

for (const kind of ['paraphrase', 'misspelt', 'twoPart'] as const) {
  const label = { paraphrase: 'in other words', misspelt: 'with typos', twoPart: 'in two parts' }[kind];
  test(`an employee asking ${label} gets the right, cited answer`, async ({ page, currentPersona }) => {
    const entry = entryOf(ASKED[currentPersona.role!]![kind]);
    expect(entry.role).toBe(currentPersona.role);
    const chat = new ChatPage(page);
    await chat.goto();
    const answer = await chat.ask(entry.question);
    await expect(answer).not.toContainText(DECLINE);
    // Every part of the question is answered: each expected figure is in the answer.
    for (const expected of entry.expect) await expect(answer).toContainText(expected);
    await expect(chat.citations(answer).first()).toBeVisible();
  });
}

test('an employee saying hi is greeted, without sources', async ({ page }) => {
  const chat = new ChatPage(page);
  await chat.goto();
  const answer = await chat.ask('hi');
  await expect(answer).toContainText(GREETING);
  await expect(answer).not.toContainText(DECLINE);
  await expect(chat.citations(answer)).toHaveCount(0);
});
