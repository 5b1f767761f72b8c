// Fault cases from the suite's contract: the database going away under the web app, and the worker
// SIGKILLed in the middle of an ingestion. Both stop processes, so each test runs its own throwaway stack
// (fixtures/isolated-stack.ts) instead of the suite's shared app.
import type { APIRequestContext } from '@playwright/test';
import { getDocument } from '../../fixtures/admin.ts';
import { uniqueSuffix } from '../../fixtures/cli.ts';
import { writeFixture } from '../../fixtures/files.ts';
import { expect, type IsolatedStack, test } from '../../fixtures/isolated-stack.ts';
import { SignInPage } from '../../fixtures/pages.ts';

// Each test starts a database, a web app and maybe a worker: one after the other, not side by side on the
// suite's 2 cores. Starting a stack and ingesting take tens of seconds, more while the suite runs.
test.describe.configure({ mode: 'default', timeout: 240_000 });

/** A role, a user holding it (admin when asked) and their API key, created in `stack` by its CLI. */
async function seedUser(stack: IsolatedStack, options: { admin?: boolean } = {}) {
  const role = `faults-${uniqueSuffix()}`;
  await stack.admin(['role', 'create', role]);
  const email = `faults-${uniqueSuffix()}@northwind.example`;
  const password = `pw-${uniqueSuffix()}-${uniqueSuffix()}`;
  await stack.admin([
    'user',
    'create',
    '--email',
    email,
    '--password',
    password,
    '--roles',
    role,
    ...(options.admin ? ['--admin'] : []),
  ]);
  const key = (await stack.admin(['apikey', 'create', '--email', email])).trim().split('\n').at(-1)!.trim();
  return { role, email, password, key };
}

test('the database restarted during a chat gives a fast, clear error and the next question works', async ({
  startStack,
  playwright,
}, testInfo) => {
  // No worker: `document add --wait` ingests in the CLI when none is running.
  const stack = await startStack({ worker: false });
  const { role, key } = await seedUser(stack);
  const marker = `per-diem-${uniqueSuffix()}`;
  const policy = writeFixture(
    testInfo.outputPath(),
    'travel.md',
    `# Travel policy\n\nThe domestic per diem code for travellers is ${marker}, worth 64 euros per day.\n`,
  );
  await stack.admin(['document', 'add', policy, '--roles', role, '--wait']);

  // The request timeout is the "fast" bound: a request that hangs on the dead database fails the test.
  const api = await playwright.request.newContext({ baseURL: stack.baseUrl, timeout: 20_000 });
  const ask = (body: Record<string, unknown>) =>
    api.post('/api/v1/chat', {
      headers: { authorization: `Bearer ${key}` },
      data: { stream: false, ...body },
    });
  const question = 'What is the domestic per diem code?';

  const before = await ask({ message: question });
  expect(before.status(), await before.text()).toBe(200);
  const first = (await before.json()) as { answer: string; conversationId: string };
  expect(first.answer).toContain(marker);

  await stack.stopDatabase();
  const down = await ask({ message: question, conversationId: first.conversationId });
  const text = await down.text();
  expect(down.status(), text).toBe(503);
  expect(down.headers()['retry-after']).toBeTruthy();
  const error = (JSON.parse(text) as { error: { code: string; message: string } }).error;
  expect(error.code).toBe('offline:database');
  expect(error.message).toMatch(/database/i);
  // Clear means for people: no stack trace, driver names or the database's address.
  expect(text).not.toMatch(/\bat .+:\d+|Prisma|postgres|127\.0\.0\.1|ECONNREFUSED/i);
  const health = await api.get('/api/health');
  expect(((await health.json()) as { database: { reachable: boolean } }).database.reachable).toBe(false);

  await stack.startDatabase();
  // The same conversation goes on: the web app reconnects by itself and nothing was lost.
  const after = await ask({ message: question, conversationId: first.conversationId });
  expect(after.status(), await after.text()).toBe(200);
  const next = (await after.json()) as { answer: string; conversationId: string };
  expect(next.conversationId).toBe(first.conversationId);
  expect(next.answer).toContain(marker);
  await api.dispose();
});

type Version = {
  id: string;
  status: string;
  stage: string;
  attempts: number;
  chunkCount: number;
  error: string | null;
};
type Detail = {
  document: { currentVersionId: string | null };
  versions: Version[];
  chunks: { ordinal: number; text: string }[];
  totalChunks: number;
};

async function documentDetail(request: APIRequestContext, documentId: string): Promise<Detail> {
  return (await getDocument(request, documentId)) as unknown as Detail;
}

function versionOf(detail: Detail, versionId: string): Version {
  const version = detail.versions.find((candidate) => candidate.id === versionId);
  if (!version) throw new Error(`version ${versionId} is missing`);
  return version;
}

/** Polls until the version is ready; the poll's last value shows a failure's reason. */
async function waitUntilReady(
  request: APIRequestContext,
  documentId: string,
  versionId: string,
): Promise<Detail> {
  let detail: Detail | undefined;
  await expect
    .poll(
      async () => {
        detail = await documentDetail(request, documentId);
        const version = versionOf(detail, versionId);
        return version.error ? `${version.status}: ${version.error}` : version.status;
      },
      { timeout: 120_000, intervals: [250, 500, 1000] },
    )
    .toBe('ready');
  return detail!;
}

/** A long manual (about 2 MB of Markdown, ~2,000 chunks): ingesting it takes several seconds. */
function longManual(marker: string): string {
  const words =
    'hydraulic pump inspection torque seal pressure valve manifold filter reservoir actuator gauge'.split(
      ' ',
    );
  const sections: string[] = [`# Maintenance manual ${marker}\n`];
  for (let section = 0; section < 400; section++) {
    sections.push(`\n## Section ${section + 1}\n`);
    for (let paragraph = 0; paragraph < 5; paragraph++) {
      const text = Array.from(
        { length: 120 },
        (_, i) => words[(section * 7 + paragraph * 3 + i * i) % words.length],
      );
      sections.push(`${text.join(' ')} Reference code ${marker}-${section}-${paragraph}.\n\n`);
    }
  }
  return sections.join('');
}

test('the worker killed during ingestion is recovered with exact chunk counts', async ({
  startStack,
  browser,
}, testInfo) => {
  // A short lease, so the killed worker's job is retried within seconds instead of the default minute.
  const stack = await startStack({ env: { WORKER_LEASE_MS: '4000', WORKER_POLL_MS: '200' } });
  const admin = await seedUser(stack, { admin: true });
  const context = await browser.newContext({
    baseURL: stack.baseUrl,
    storageState: { cookies: [], origins: [] },
  });
  const page = await context.newPage();
  await new SignInPage(page).signIn(admin.email, admin.password);
  const request = page.request;

  const file = writeFixture(testInfo.outputPath(), 'manual.md', longManual(`MX${uniqueSuffix()}`));
  const queued = await stack.admin(['document', 'add', file, '--roles', admin.role]);
  const [, documentId, versionId] = /queued: document (\S+) version (\S+)/.exec(queued) ?? [];
  expect(documentId, queued).toBeTruthy();

  // Kill as soon as the version is past parsing: its chunks exist only in the worker's memory.
  let killedAt: Version | undefined;
  while (!killedAt) {
    const version = versionOf(await documentDetail(request, documentId!), versionId!);
    expect(version.status, 'the version finished before the worker could be killed').not.toMatch(
      /ready|failed/,
    );
    if (['chunking', 'embedding', 'indexing'].includes(version.stage)) {
      await stack.killWorkers();
      killedAt = version;
    }
  }
  testInfo.annotations.push({
    type: 'killed at',
    description: `${killedAt.stage} (attempt ${killedAt.attempts})`,
  });

  // Nothing half-published: the version is not ready and no chunk of it is searchable.
  const afterKill = await documentDetail(request, documentId!);
  expect(versionOf(afterKill, versionId!).status).toBe('processing');
  expect(afterKill.document.currentVersionId).toBeNull();
  expect(afterKill.totalChunks).toBe(0);

  await stack.startWorker();
  const recovered = await waitUntilReady(request, documentId!, versionId!);
  const version = versionOf(recovered, versionId!);
  // A second attempt ran (the first died with the worker) and published every chunk exactly once.
  expect(version.attempts).toBeGreaterThanOrEqual(2);
  expect(recovered.document.currentVersionId).toBe(versionId);
  expect(version.chunkCount).toBeGreaterThan(100);
  expect(recovered.totalChunks).toBe(version.chunkCount);
  const ordinals = recovered.chunks.map((chunk) => chunk.ordinal);
  expect(ordinals).toEqual(ordinals.map((_, index) => index));

  // A clean ingestion of the same bytes (re-index: a new version, no kill) yields exactly as many chunks.
  const reindex = await request.post(`/api/admin/documents/${documentId}/reindex`, {
    headers: { origin: stack.baseUrl },
  });
  expect(reindex.status(), await reindex.text()).toBe(202);
  const clean = ((await reindex.json()) as { versionId: string }).versionId;
  const reindexed = await waitUntilReady(request, documentId!, clean);
  const cleanVersion = versionOf(reindexed, clean);
  expect(cleanVersion.attempts).toBe(1);
  expect(cleanVersion.chunkCount).toBe(version.chunkCount);
  expect(reindexed.totalChunks).toBe(version.chunkCount);
  expect(reindexed.chunks.map((chunk) => chunk.text)).toEqual(recovered.chunks.map((chunk) => chunk.text));
  await context.close();
});
