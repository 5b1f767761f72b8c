// The admin console's document flows as the demo admin: upload several files and watch them become
// ready, grant and revoke, delete. Each test creates its own roles, users and documents (unique markers
// in the bytes: identical bytes would be deduplicated), and checks the outcome as the affected employee
// sees it, through search with their API key or the chat.
import { AdminConsole, roleIdOf, uploadDocument, waitForIngestion } from '../../fixtures/admin.ts';
import { flatten, searchWithKey } from '../../fixtures/api.ts';
import { cli, uniqueSuffix } from '../../fixtures/cli.ts';
import { createDocx, createPdf } from '../../fixtures/files.ts';
import { expect, test } from '../../fixtures/test.ts';

test('an admin creates a role and a user, uploads several files for the role, watches them become ready, and the user finds them', async ({
  page,
  signInAs,
}) => {
  test.setTimeout(180_000);
  const marker = `kestrel${uniqueSuffix()}`;
  const admin = new AdminConsole(page);

  // A role, in the console.
  const role = `e2e-docs-${uniqueSuffix()}`;
  await admin.open('roles', 'Roles');
  await page.getByLabel('Role name').fill(role);
  await page.getByRole('button', { name: 'Create role' }).click();
  await expect(
    page.getByRole('table', { name: 'Roles' }).getByRole('row').filter({ hasText: role }),
  ).toBeVisible();

  // A user holding it, in the console.
  const email = `e2e-docs-${uniqueSuffix()}@northwind.example`;
  const password = `pw-${uniqueSuffix()}-${uniqueSuffix()}`;
  await admin.open('people', 'People');
  await page.getByRole('button', { name: 'Create user' }).click();
  const createUser = admin.dialog('Create user');
  await createUser.getByLabel('Email', { exact: true }).fill(email);
  await createUser.getByLabel('Name', { exact: true }).fill('Docs Tester');
  await createUser.getByLabel('Initial password').fill(password);
  await createUser.getByRole('checkbox', { name: role, exact: true }).check();
  await createUser.getByRole('button', { name: 'Create user' }).click();
  await expect(createUser).toBeHidden();
  await expect(
    page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: email }),
  ).toBeVisible();

  // Three files of three types, uploaded together for that role.
  const files = [
    {
      name: `${marker}-gauges.md`,
      mimeType: 'text/markdown',
      buffer: Buffer.from(
        `# Gauge calibration ${marker}\n\nThe ${marker} pressure gauge is calibrated every 45 days by the metrology lab.\n`,
      ),
    },
    {
      name: `${marker}-wrenches.pdf`,
      mimeType: 'application/pdf',
      buffer: Buffer.from(
        await createPdf([
          `Torque wrench checks ${marker}\nThe ${marker} torque wrench is verified every 90 days.`,
        ]),
      ),
    },
    {
      name: `${marker}-ladders.docx`,
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: Buffer.from(
        await createDocx(`Ladder inspection ${marker}`, [
          `The ${marker} ladder inspection happens every 30 days.`,
        ]),
      ),
    },
  ];
  await admin.open('documents', 'Documents');
  await page.getByRole('button', { name: 'Upload documents' }).click();
  const upload = admin.dialog('Upload documents');
  await upload.getByLabel('Files to upload', { exact: true }).setInputFiles(files);
  await upload.getByRole('checkbox', { name: role, exact: true }).check();
  await upload.getByRole('button', { name: 'Start upload' }).click();
  for (const file of files) {
    await expect(upload.getByRole('progressbar', { name: `Upload of ${file.name}` })).toHaveJSProperty(
      'value',
      100,
    );
  }
  await upload.getByRole('button', { name: 'Close' }).click();
  await expect(upload).toBeHidden();

  // The table shows them and they become ready, each with chunks, granted to the role.
  await admin.searchDocuments(marker);
  const rows = admin.documentRows(marker);
  await expect(rows).toHaveCount(3);
  await expect(rows.and(page.locator('[data-status="ready"]'))).toHaveCount(3, { timeout: 90_000 });
  for (const file of files) {
    const row = rows.filter({ hasText: file.name });
    await expect(row.getByRole('list', { name: 'Granted roles' })).toHaveText(role);
  }

  // The user, in a second browser, finds them.
  const { chat } = await signInAs({ email, password, roles: [role] });
  const answer = await chat.ask(`How often is the ${marker} pressure gauge calibrated?`);
  await expect(answer).toContainText('45 days');
  await expect(chat.citations(answer).first()).toBeVisible();
  await expect(chat.sources).toContainText(`Gauge calibration ${marker}`);
});

test('granting a document to a role lets its users find it; revoking hides it on the next request', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const marker = `osprey${uniqueSuffix()}`;
  const [owner, reader] = await Promise.all([cli.createRole('e2e-owner'), cli.createRole('e2e-reader')]);
  const user = await cli.createUser({ roles: [reader], prefix: 'grants' });
  const key = await cli.createApiKey(user.email);
  const title = `Hangar door code ${marker}`;
  const { documentId } = await uploadDocument(page.request, {
    bytes: `# ${title}\n\nThe ${marker} hangar door code changes every Friday at noon.\n`,
    filename: `${marker}.md`,
    roleIds: [await roleIdOf(page.request, owner)],
    title,
  });
  expect((await waitForIngestion(page.request, documentId)).document.status).toBe('ready');
  const question = `When does the ${marker} hangar door code change?`;
  // Before the grant: the reader's scope doesn't contain it.
  expect(flatten(await searchWithKey(request, key, question, 50))).not.toContain(marker);

  const admin = new AdminConsole(page);
  await admin.open('documents', 'Documents');
  await admin.searchDocuments(marker);
  const row = admin.documentRows(marker);
  await expect(row).toHaveCount(1);
  await admin.editGrants(row, { [reader]: true });
  await expect(row.getByRole('list', { name: 'Granted roles' })).toContainText(reader);
  expect(flatten(await searchWithKey(request, key, question, 50))).toContain(marker);

  await admin.editGrants(row, { [reader]: false });
  await expect(row.getByRole('list', { name: 'Granted roles' })).not.toContainText(reader);
  expect(flatten(await searchWithKey(request, key, question, 50))).not.toContain(marker);
});

test('deleting a document asks for confirmation and removes it from its readers at once', async ({
  page,
  request,
}) => {
  const marker = `plover${uniqueSuffix()}`;
  const role = await cli.createRole('e2e-delete');
  const user = await cli.createUser({ roles: [role], prefix: 'delete' });
  const key = await cli.createApiKey(user.email);
  const { documentId } = await uploadDocument(page.request, {
    bytes: `# Spare keys ${marker}\n\nThe ${marker} spare keys are kept in cabinet 12.\n`,
    filename: `${marker}.md`,
    roleIds: [await roleIdOf(page.request, role)],
  });
  expect((await waitForIngestion(page.request, documentId)).document.status).toBe('ready');
  const question = `Where are the ${marker} spare keys kept?`;
  expect(flatten(await searchWithKey(request, key, question, 10))).toContain(marker);

  const admin = new AdminConsole(page);
  await admin.open('documents', 'Documents');
  await admin.searchDocuments(marker);
  const row = admin.documentRows(marker);
  await admin.documentAction(row, 'Delete');
  const confirm = admin.dialog('Delete document');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toHaveCount(1);
  expect(flatten(await searchWithKey(request, key, question, 10))).toContain(marker);

  await admin.documentAction(row, 'Delete');
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(row).toHaveCount(0);
  expect(flatten(await searchWithKey(request, key, question, 10))).not.toContain(marker);
});
