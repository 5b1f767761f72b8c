// Issue 15, finding 2: reads of document text off the record. /api/v1/search and the document viewer
// left no audit row; an admin with no data role read full text in the admin document view, the audit
// viewer's passages and see-as. Every read of text now writes an audit row first (search with its query),
// and admin views show text only for documents the admin's own roles may read (admin is management).
import type { APIRequestContext } from '@playwright/test';
import { findAuditEvents, openAdminRequest } from '../../fixtures/admin.ts';
import { searchWithKey } from '../../fixtures/api.ts';
import { cli, uniqueSuffix } from '../../fixtures/cli.ts';
import { BASE_URL } from '../../fixtures/environment.ts';
import { factFor } from '../../fixtures/facts.ts';
import { ChatPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

type AuditView = {
  action: string;
  question?: string;
  data: { surface?: string; retrieved?: { documentId: string }[]; cited?: { documentId: string }[] };
  retrieved?: { documentId: string; text: string | null; hidden?: string }[];
};

function auditOf(admin: APIRequestContext, filters: Record<string, string>): Promise<AuditView[]> {
  return findAuditEvents<AuditView>(admin, filters);
}

test.describe('reads of document text are on the record', () => {
  let admin: APIRequestContext;
  test.beforeAll(async () => {
    admin = await openAdminRequest();
  });
  test.afterAll(async () => admin.dispose());

  test('an API search is audited with its query and the passages it returned', async ({ request }) => {
    const user = await cli.createUser({ roles: ['finance'], prefix: 'read-search' });
    const key = await cli.createApiKey(user.email);
    const query = `${factFor('finance').question} ${uniqueSuffix()}`;
    const results = await searchWithKey(request, key, query, 3);
    expect(results.length).toBeGreaterThan(0);
    const [event] = await auditOf(admin, { actor: user.email, action: 'search.query' });
    expect(event?.question).toBe(query);
    expect(event?.data.retrieved?.map((ref) => ref.documentId)).toEqual(
      results.map((result) => result.documentId),
    );
  });

  test('a chat question is on the record with what it retrieved and cited, also after its conversation is deleted', async ({
    signInAs,
  }) => {
    const asker = await cli.createUser({ roles: ['finance'], prefix: 'read-chat' });
    const fact = factFor('finance');
    const { page } = await signInAs(asker);
    const chat = new ChatPage(page);
    await chat.goto();
    await expect(await chat.ask(fact.question)).toContainText(fact.answerContains);
    await expect(page).toHaveURL(/[?&]c=/);
    const conversationId = new URL(page.url()).searchParams.get('c')!;
    const deleted = await page.request.delete(`/api/conversations/${conversationId}`, {
      headers: { origin: BASE_URL },
    });
    expect(deleted.status()).toBeLessThan(300);
    // Control: the conversation is gone for its owner.
    expect((await page.request.get(`/api/conversations/${conversationId}/messages`)).status()).toBe(404);

    const [question] = await auditOf(admin, { actor: asker.email, action: 'chat.question' });
    expect(question?.question).toBe(fact.question);
    expect(question?.data.retrieved?.length).toBeGreaterThan(0);
    const [answer] = await auditOf(admin, { actor: asker.email, action: 'chat.answer' });
    expect(answer?.data.cited?.length).toBeGreaterThan(0);
  });

  test('opening a passage in the viewer is audited; a refused viewer (404) reads and records nothing', async ({
    request,
    signInAs,
  }) => {
    const reader = await cli.createUser({ roles: ['finance'], prefix: 'read-viewer' });
    const outsider = await cli.createUser({ roles: ['hr'], prefix: 'read-outsider' });
    const fact = factFor('finance');
    const [hit] = await searchWithKey(request, await cli.createApiKey(reader.email), fact.question, 1);
    const url = `/documents/${hit!.documentId}?chunk=${hit!.chunkId}`;

    const { page } = await signInAs(reader);
    await page.goto(url);
    await expect(page.getByTestId('cited-passage')).toBeVisible();
    const reads = await auditOf(admin, { actor: reader.email, action: 'document.read' });
    expect(reads[0]?.data).toMatchObject({
      surface: 'viewer',
      retrieved: expect.arrayContaining([expect.objectContaining({ documentId: hit!.documentId })]),
    });

    const other = await signInAs(outsider);
    const refused = await other.page.goto(url);
    expect(refused?.status()).toBe(404);
    expect(await auditOf(admin, { actor: outsider.email, action: 'document.read' })).toEqual([]);
  });

  test('admin without a data role sees document structure, not text; an admin with the role reads it, audited', async ({
    request,
    openAs,
    signInAs,
  }) => {
    const fact = factFor('finance');
    const asker = await cli.createUser({ roles: ['finance'], prefix: 'read-admin-src' });
    const [hit] = await searchWithKey(request, await cli.createApiKey(asker.email), fact.question, 1);

    // The demo admin holds no role: the chunk preview shows ordinals and tokens, never the passage.
    const page = await openAs('admin');
    await page.goto(`/admin/documents/${hit!.documentId}`);
    await expect(page.getByTestId('text-hidden')).toBeVisible();
    await expect(page.getByTestId('chunk-preview').first()).toBeVisible();
    await expect(page.locator('main')).not.toContainText(fact.passageContains);
    // The audit viewer's passages of the asker's search: hidden for the same reason.
    const [search] = await auditOf(admin, { actor: asker.email, action: 'search.query' });
    expect(search?.retrieved?.[0]).toMatchObject({ text: null, hidden: 'not_cleared' });

    // Control: an admin who also holds finance reads the text, and each read is on the record.
    const cleared = await cli.createUser({ roles: ['finance'], admin: true, prefix: 'read-admin-finance' });
    const { page: clearedPage } = await signInAs(cleared);
    await clearedPage.goto(`/admin/documents/${hit!.documentId}`);
    await expect(clearedPage.getByTestId('chunk-preview').first()).toBeVisible();
    await expect(clearedPage.getByTestId('text-hidden')).toHaveCount(0);
    const [clearedView] = await auditOf(clearedPage.request, { actor: asker.email, action: 'search.query' });
    expect(clearedView?.retrieved?.[0]?.text).toBeTruthy();
    const surfaces = (await auditOf(admin, { actor: cleared.email, action: 'document.read' })).map(
      (event) => event.data.surface,
    );
    expect(surfaces).toEqual(expect.arrayContaining(['admin.document', 'admin.audit']));
  });
});
