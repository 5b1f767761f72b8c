// Issue 15, finding 4: API keys could not be listed, revoked or expired, survived their owner's
// disable/enable and a password reset, and the web page README promised did not exist.
import type { APIRequestContext } from '@playwright/test';
import { openAdminRequest } from '../../fixtures/admin.ts';
import { cli, runAdminCli } from '../../fixtures/cli.ts';
import { BASE_URL } from '../../fixtures/environment.ts';
import { expect, test } from '../../fixtures/test.ts';

async function statusWithKey(request: APIRequestContext, key: string): Promise<number> {
  return (await request.get('/api/v1/documents', { headers: { authorization: `Bearer ${key}` } })).status();
}

type KeyRow = { id: string; name: string; revokedAt: string | null; expiresAt: string | null };

test('the API keys page lists, creates (with expiry) and revokes a key; revoked is dead, others live on', async ({
  signInAs,
  request,
}) => {
  const user = await cli.createUser({ roles: ['hr'], prefix: 'keys-page' });
  const cliKey = await cli.createApiKey(user.email);
  const { page } = await signInAs(user);
  await page.getByTestId('user-menu').click();
  await page.getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  // The CLI's key is listed with its expiry (90 days by default) and "Never" used.
  await expect(page.getByTestId('api-key-row')).toHaveCount(1);

  await page.getByLabel('Name').fill('reporting script');
  await page.getByLabel('Expires after').selectOption('30');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = (await page.getByTestId('new-api-key-secret').textContent())!.trim();
  expect(secret).toMatch(/^clr_[0-9a-f]{8}_/);
  const row = page.getByTestId('api-key-row').filter({ hasText: 'reporting script' });
  await expect(row).toHaveAttribute('data-state', 'active');
  expect(await statusWithKey(request, secret)).toBe(200);
  await page.reload();
  await expect(row.getByRole('cell').nth(3)).not.toHaveText('Never');

  await row.getByRole('button', { name: 'Revoke reporting script' }).click();
  await expect(row).toHaveAttribute('data-state', 'revoked');
  expect(await statusWithKey(request, secret)).toBe(401);
  // Control: the user's other key still works.
  expect(await statusWithKey(request, cliKey)).toBe(200);
  const listed = (await (await page.request.get('/api/account/api-keys')).json()) as { keys: KeyRow[] };
  expect(listed.keys.find((key) => key.name === 'API key')?.expiresAt).toBeTruthy();
});

test('a key dies with its owner disabled and stays dead after enable; a password reset kills keys too', async ({
  request,
}) => {
  // Eight operator CLI runs (each an npm + tsx start-up, seconds under a loaded CI machine): the
  // independent ones run side by side, and the test gets the time the remaining sequence needs.
  test.setTimeout(180_000);
  const [disabled, reset, bystander] = await Promise.all([
    cli.createUser({ roles: ['hr'], prefix: 'keys-disable' }),
    cli.createUser({ roles: ['hr'], prefix: 'keys-reset' }),
    cli.createUser({ roles: ['hr'], prefix: 'keys-bystander' }),
  ]);
  const [disabledKey, resetKey, bystanderKey] = await Promise.all([
    cli.createApiKey(disabled.email),
    cli.createApiKey(reset.email),
    cli.createApiKey(bystander.email),
  ]);
  for (const key of [disabledKey, resetKey, bystanderKey])
    expect(await statusWithKey(request, key)).toBe(200);

  await cli.disableUser(disabled.email);
  await runAdminCli(['user', 'enable', '--email', disabled.email]);
  expect(await statusWithKey(request, disabledKey)).toBe(401);

  const admin = await openAdminRequest();
  try {
    const users = (await (
      await admin.get(`/api/admin/users?${new URLSearchParams({ q: reset.email })}`)
    ).json()) as { users: { id: string; email: string }[] };
    const userId = users.users.find((candidate) => candidate.email === reset.email)!.id;
    const patch = await admin.patch(`/api/admin/users/${userId}`, {
      headers: { origin: BASE_URL },
      data: { password: `new-${reset.password}` },
    });
    expect(patch.status()).toBe(200);
  } finally {
    await admin.dispose();
  }
  expect(await statusWithKey(request, resetKey)).toBe(401);
  // Control: someone else's key is untouched.
  expect(await statusWithKey(request, bystanderKey)).toBe(200);
});

test("an admin revokes anyone's key; another user can't see or revoke it", async ({ request, signInAs }) => {
  const owner = await cli.createUser({ roles: ['hr'], prefix: 'keys-owner' });
  const stranger = await cli.createUser({ roles: ['hr'], prefix: 'keys-stranger' });
  const key = await cli.createApiKey(owner.email);
  const admin = await openAdminRequest();
  try {
    const users = (await (
      await admin.get(`/api/admin/users?${new URLSearchParams({ q: owner.email })}`)
    ).json()) as { users: { id: string; email: string }[] };
    const ownerId = users.users.find((candidate) => candidate.email === owner.email)!.id;
    const keys = (await (await admin.get(`/api/account/api-keys?userId=${ownerId}`)).json()) as {
      keys: KeyRow[];
    };
    expect(keys.keys).toHaveLength(1);
    const keyId = keys.keys[0]!.id;

    const { page } = await signInAs(stranger);
    expect((await page.request.get(`/api/account/api-keys?userId=${ownerId}`)).status()).toBe(404);
    expect(
      (
        await page.request.delete(`/api/account/api-keys/${keyId}`, { headers: { origin: BASE_URL } })
      ).status(),
    ).toBe(404);
    expect(await statusWithKey(request, key)).toBe(200);

    expect(
      (await admin.delete(`/api/account/api-keys/${keyId}`, { headers: { origin: BASE_URL } })).status(),
    ).toBe(204);
    expect(await statusWithKey(request, key)).toBe(401);
  } finally {
    await admin.dispose();
  }
});
