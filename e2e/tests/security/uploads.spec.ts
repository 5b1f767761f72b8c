// Hostile uploads through POST /api/admin/documents as the demo admin: each gets a clear error (refused
// with a status, or ingested to `failed` with a reason the console shows), and nothing else is affected:
// a normal document uploaded after them still becomes ready and searchable. The burst case throttles an
// admin it creates, since the upload rate limit is per admin.
import type { APIRequestContext, APIResponse } from '@playwright/test';
import {
  AdminConsole,
  getDocument,
  postUpload,
  roleIdOf,
  uploadDocument,
  waitForIngestion,
} from '../../fixtures/admin.ts';
import { cli, uniqueSuffix } from '../../fixtures/cli.ts';
import { UPLOAD_MAX_BYTES } from '../../fixtures/environment.ts';
import {
  createDisguisedBinary,
  createEncryptedPdf,
  createMalformedPdf,
  createZipBombDocx,
} from '../../fixtures/files.ts';
import { UPLOAD_RATE_LIMIT } from '../../fixtures/limits.ts';
import { expect, test } from '../../fixtures/test.ts';

/** The admin's documents whose title or filename contains `text` (GET /api/admin/documents?q=). */
async function findDocuments(request: APIRequestContext, text: string) {
  const response = await request.get(`/api/admin/documents?q=${encodeURIComponent(text)}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { documents: { id: string; title: string }[] }).documents;
}

/** A fresh role and its id, so every upload of a test is granted to something only the test uses. */
async function createRoleId(request: APIRequestContext): Promise<string> {
  return roleIdOf(request, await cli.createRole('e2e-upload'));
}

/** Control: after the hostile uploads, an ordinary document still ingests. */
async function expectIngestionStillWorks(request: APIRequestContext, roleId: string): Promise<void> {
  const marker = `control${uniqueSuffix()}`;
  const { documentId } = await uploadDocument(request, {
    bytes: `# Control ${marker}\n\nThe ${marker} control document is ordinary.\n`,
    filename: `${marker}.md`,
    roleIds: [roleId],
  });
  expect((await waitForIngestion(request, documentId)).document.status).toBe('ready');
}

test('an upload over the size limit is refused with 413 and stores nothing', async ({ openAs }) => {
  const { request } = await openAs('admin');
  const roleId = await createRoleId(request);
  const marker = `huge${uniqueSuffix()}`;
  const response = await postUpload(request, {
    bytes: new Uint8Array(UPLOAD_MAX_BYTES + 1).fill(0x61),
    filename: `${marker}.txt`,
    roleIds: [roleId],
  });
  expect(response.status()).toBe(413);
  expect(JSON.stringify(await response.json())).toMatch(/larger than|limit/i);
  expect(await findDocuments(request, marker)).toEqual([]);
  // The control: a file under the limit is accepted.
  const small = await postUpload(request, {
    bytes: new TextEncoder().encode(`The ${marker} file is small.\n`),
    filename: `${marker}-small.txt`,
    roleIds: [roleId],
  });
  expect(small.status()).toBe(201);
});

test('a binary behind a document extension is refused with 415 naming the accepted types', async ({
  openAs,
}) => {
  const { request } = await openAs('admin');
  const roleId = await createRoleId(request);
  const marker = `disguised${uniqueSuffix()}`;
  for (const filename of [`${marker}.pdf`, `${marker}.docx`, `${marker}.md`]) {
    const response = await postUpload(request, {
      bytes: createDisguisedBinary(),
      filename,
      roleIds: [roleId],
    });
    expect(response.status(), filename).toBe(415);
    expect(JSON.stringify(await response.json()), filename).toMatch(/pdf/i);
  }
  expect(await findDocuments(request, marker)).toEqual([]);
});

test('zip bomb DOCX files, honest and lying about their size, never reach the parser', async ({ openAs }) => {
  test.setTimeout(120_000);
  const { request } = await openAs('admin');
  const roleId = await createRoleId(request);
  for (const lie of [false, true]) {
    const marker = `bomb${lie ? 'liar' : 'honest'}${uniqueSuffix()}`;
    const response = await postUpload(request, {
      bytes: createZipBombDocx(200, { lie }),
      filename: `${marker}.docx`,
      roleIds: [roleId],
    });
    // Refused at upload, or accepted and then failed by the worker's guard: either way with a reason.
    if (response.status() >= 400) {
      expect(response.status(), `${marker}: ${await response.text()}`).toBeLessThan(500);
      continue;
    }
    const { documentId } = (await response.json()) as { documentId: string };
    const settled = await waitForIngestion(request, documentId);
    expect(settled.document.status, marker).toBe('failed');
    expect(settled.document.error, marker).toMatch(/zip|too large|damaged|uncompressed/i);
  }
  await expectIngestionStillWorks(request, roleId);
});

test('encrypted and malformed PDFs end failed with a reason the console shows', async ({ openAs }) => {
  test.setTimeout(120_000);
  const page = await openAs('admin');
  const roleId = await createRoleId(page.request);
  const marker = `badpdf${uniqueSuffix()}`;
  const cases = [
    { name: `${marker}-encrypted.pdf`, bytes: createEncryptedPdf(), reason: /password|encrypted|protected/i },
    {
      name: `${marker}-truncated.pdf`,
      bytes: createMalformedPdf(),
      reason: /damaged|malformed|corrupt|invalid|read/i,
    },
  ];
  for (const item of cases) {
    const response = await postUpload(page.request, {
      bytes: item.bytes,
      filename: item.name,
      roleIds: [roleId],
    });
    if (response.status() >= 400) {
      // Refusing at upload is also acceptable, as long as it says why.
      expect(response.status(), item.name).toBeLessThan(500);
      expect(JSON.stringify(await response.json()), item.name).toMatch(item.reason);
      continue;
    }
    const { documentId } = (await response.json()) as { documentId: string };
    const settled = await waitForIngestion(page.request, documentId);
    expect(settled.document.status, item.name).toBe('failed');
    expect(settled.document.error, item.name).toMatch(item.reason);

    const admin = new AdminConsole(page);
    await admin.open('documents', 'Documents');
    await admin.searchDocuments(item.name.replace(/\.pdf$/, ''));
    const row = admin.documentRows(item.name);
    await expect(row).toHaveAttribute('data-status', 'failed');
    await expect(row.getByTestId('failure-reason')).toHaveText(item.reason);
    await row.getByRole('button', { name: /^Actions for / }).click();
    await expect(page.getByRole('menuitem', { name: 'Retry' })).toBeVisible();
    await page.keyboard.press('Escape');
  }
  await expectIngestionStillWorks(page.request, roleId);
});

test('path-traversal and very long filenames are stored as inert display names', async ({ openAs }) => {
  const page = await openAs('admin');
  const roleId = await createRoleId(page.request);
  const marker = `traversal${uniqueSuffix()}`;
  const names = [
    `../../../../etc/${marker}-passwd.md`,
    `..\\..\\windows\\system32\\${marker}-hosts.md`,
    `${marker}-${'a'.repeat(1000)}.md`,
    `${marker}-\u202Egpj.md`,
  ];
  for (const [index, filename] of names.entries()) {
    const { documentId } = await uploadDocument(page.request, {
      bytes: `# Inert ${marker} ${index}\n\nThe ${marker} file number ${index} is harmless.\n`,
      filename,
      roleIds: [roleId],
    });
    const settled = await waitForIngestion(page.request, documentId);
    expect(settled.document.status, filename.slice(0, 60)).toBe('ready');
    const stored = (await getDocument(page.request, documentId)).document.filename ?? '';
    expect(stored).toContain(marker);
    expect(stored).not.toMatch(/[/\\]|\.\.|\u202E/);
    expect(stored.length).toBeLessThanOrEqual(255);
  }
  // The console lists them as text.
  const admin = new AdminConsole(page);
  await admin.open('documents', 'Documents');
  await admin.searchDocuments(marker);
  await expect(admin.documentRows(marker)).toHaveCount(names.length);
});

/** Uploads `upload` again and again until the app answers 429; fails if it never does. */
async function uploadUntilThrottled(
  request: APIRequestContext,
  upload: Parameters<typeof postUpload>[1],
): Promise<APIResponse> {
  // 2 x limit + 1: if a window boundary falls inside the burst, one of the two windows still sees more
  // than the limit.
  for (let attempt = 0; attempt < 2 * UPLOAD_RATE_LIMIT + 1; attempt += 1) {
    const response = await postUpload(request, upload);
    if (response.status() === 429) return response;
    // The same bytes each time: after the first, each is deduplicated and queues no ingestion.
    expect([200, 201], await response.text()).toContain(response.status());
  }
  throw new Error(`${2 * UPLOAD_RATE_LIMIT + 1} uploads in a row were all accepted: no upload rate limit`);
}

test('a burst of uploads is throttled with 429, stores nothing, and leaves other admins alone', async ({
  openAs,
  signInAs,
}) => {
  test.setTimeout(120_000);
  // A fresh admin: the limit is per admin, so the demo admin's uploads in other specs stay unthrottled.
  const burster = await cli.createUser({ admin: true, prefix: 'burst' });
  const { page } = await signInAs(burster);
  const roleId = await createRoleId(page.request);
  const marker = `burst${uniqueSuffix()}`;
  const repeated = {
    bytes: new TextEncoder().encode(`# Burst ${marker}\n\nThe ${marker} file is uploaded again and again.\n`),
    filename: `${marker}.md`,
    roleIds: [roleId],
  };
  let refused = await uploadUntilThrottled(page.request, repeated);
  // The probe below must land in the same window: too close to its end, start over in the next one.
  const secondsLeft = Number(refused.headers()['retry-after']);
  if (secondsLeft < 5) {
    await page.waitForTimeout(secondsLeft * 1000);
    refused = await uploadUntilThrottled(page.request, repeated);
  }

  const retryAfter = Number(refused.headers()['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = (await refused.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('rate_limited:upload');
  expect(body.error.message).toMatch(/too many uploads.*try again/i);

  // A new file while throttled is refused too, and nothing of it is stored.
  const probeMarker = `burstprobe${uniqueSuffix()}`;
  const probe = await postUpload(page.request, {
    bytes: new TextEncoder().encode(`# Probe ${probeMarker}\n\nThe ${probeMarker} file must not be kept.\n`),
    filename: `${probeMarker}.md`,
    roleIds: [roleId],
  });
  expect(probe.status()).toBe(429);
  expect(await findDocuments(page.request, probeMarker)).toEqual([]);
  // The burst itself made one document: the repeats were deduplicated, the refusals stored nothing.
  expect(await findDocuments(page.request, marker)).toHaveLength(1);

  // Only this admin's uploads are throttled: the demo admin uploads and ingests as usual.
  const other = await openAs('admin');
  await expectIngestionStillWorks(other.request, roleId);
});
