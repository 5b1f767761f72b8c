// Issue 5's "done when": an admin uploads a 200-page PDF in the browser and watches it go from queued to
// ready with a moving progress bar; an employee of the granted role finds a passage from page 150 (cited
// with its page), and an employee of another role does not.
import { AdminConsole } from '../../fixtures/admin.ts';
import { flatten, searchWithKey } from '../../fixtures/api.ts';
import { cli, uniqueSuffix } from '../../fixtures/cli.ts';
import { UploadDialog, watchIngestion } from '../../fixtures/pages.ts';
import { createTextPdf } from '../../fixtures/pdf.ts';
import { expect, test } from '../../fixtures/test.ts';

const PAGE_COUNT = 200;
const PASSAGE_PAGE = 150;
// Full pages: about 1.7 MB of text in all, so ingestion lasts several of the console's 1 s refreshes.
const LINES_PER_PAGE = 70;

const PARTS = ['fastener', 'seal', 'wiring loom', 'bracket', 'hinge', 'drain valve', 'access panel'];
const CHECKS = ['corrosion', 'chafing', 'cracks', 'loose torque stripes', 'fluid stains', 'wear'];

/**
 * A maintenance manual of `PAGE_COUNT` full pages with one passage, on `PASSAGE_PAGE` only, that names
 * `marker`.
 */
function createManual(marker: string): Promise<Uint8Array> {
  const pages = Array.from({ length: PAGE_COUNT }, (_, index) => {
    const page = index + 1;
    const lines = Array.from({ length: LINES_PER_PAGE }, (_, line) => {
      const part = PARTS[(page + line) % PARTS.length];
      const check = CHECKS[(page * 3 + line) % CHECKS.length];
      return `Zone ${page}.${line + 1}: inspect each ${part} for ${check}, clean the area and record the result in the zonal log.`;
    });
    if (page === PASSAGE_PAGE) {
      lines[LINES_PER_PAGE / 2] =
        `The ${marker} emergency bypass valve on the aft cargo door is torqued to 47 newton metres.`;
    }
    return [`Chapter ${page}: zonal inspection`, ...lines];
  });
  return createTextPdf(pages);
}

test('a 200-page PDF uploaded in the browser ingests with a moving progress bar; only the granted role finds page 150', async ({
  openAs,
  signInAs,
  request,
}) => {
  test.setTimeout(300_000);
  const marker = `quokka${uniqueSuffix()}`;
  const [granted, other] = await Promise.all([cli.createRole('e2e-manual'), cli.createRole('e2e-other')]);
  const [reader, outsider] = await Promise.all([
    cli.createUser({ roles: [granted], prefix: 'manual-reader' }),
    cli.createUser({ roles: [other], prefix: 'manual-outsider' }),
  ]);
  const outsiderKey = await cli.createApiKey(outsider.email);
  const file = {
    name: `${marker}-zonal-inspection.pdf`,
    mimeType: 'application/pdf',
    buffer: Buffer.from(await createManual(marker)),
  };

  // The admin uploads it in the browser, granted to the reader's role, and watches the row.
  const page = await openAs('admin');
  const admin = new AdminConsole(page);
  await admin.open('documents', 'Documents');
  await new UploadDialog(page).upload([file], [granted]);
  await admin.searchDocuments(marker);
  const row = admin.documentRows(marker);
  await expect(row).toHaveCount(1);
  const seen = await watchIngestion(row);
  await test
    .info()
    .attach('ingestion states', { body: JSON.stringify(seen), contentType: 'application/json' });

  const ingesting = seen.filter((state) => state.status === 'queued' || state.status === 'processing');
  expect(ingesting.length, JSON.stringify(seen)).toBeGreaterThan(0);
  const values = ingesting.map((state) => state.progress ?? 0);
  // Moving: some later value is above an earlier one (not just one value and then ready).
  expect(
    values.some((value, index) => index > 0 && value > Math.min(...values.slice(0, index))),
    `progress seen: ${JSON.stringify(seen)}`,
  ).toBe(true);
  expect(seen.at(-1)?.status, JSON.stringify(seen)).toBe('ready');
  await expect(row.getByRole('list', { name: 'Granted roles' })).toHaveText(granted);

  // The reader asks in chat and gets the page-150 passage, cited with its page.
  const question = `What torque does the ${marker} emergency bypass valve need?`;
  const { chat } = await signInAs(reader);
  const answer = await chat.ask(question);
  await expect(answer).toContainText('47 newton metres');
  await expect(chat.citations(answer).first()).toBeVisible();
  await expect(chat.sources).toContainText(`Page ${PASSAGE_PAGE}`);

  // Another role's employee finds nothing of it, even asking for many passages.
  expect(flatten(await searchWithKey(request, outsiderKey, question, 100))).not.toContain(marker);
});
