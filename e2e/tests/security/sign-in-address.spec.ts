// Issue 15, finding 5: sign-in throttling keyed on a client-chosen X-Forwarded-For, an account limit that
// locked its owner out, one audit row per spoofed attempt. The client address now comes from the socket
// unless the socket is a trusted proxy (TRUSTED_PROXIES: the suite's 127.0.0.2); the account-wide limit
// spares addresses the owner signed in from; failures are audited in aggregate.
import type { APIRequestContext } from '@playwright/test';
import { findAuditEvents, openAdminRequest } from '../../fixtures/admin.ts';
import { cli } from '../../fixtures/cli.ts';
import { TRUSTED_PROXY_ADDRESS } from '../../fixtures/environment.ts';
import { signInOverHttp } from '../../fixtures/raw-http.ts';
import { expect, test } from '../../fixtures/test.ts';

type FailedSignIn = { data: { address: string; reason: string; accountFailures: number } };

function failedSignIns(admin: APIRequestContext, email: string): Promise<FailedSignIn[]> {
  return findAuditEvents<FailedSignIn>(admin, { actor: email, action: 'auth.sign_in_failed' });
}

test.describe('sign-in throttling and its audit', () => {
  let admin: APIRequestContext;
  test.beforeAll(async () => {
    admin = await openAdminRequest();
  });
  test.afterAll(async () => admin.dispose());

  test('X-Forwarded-For from a direct client is ignored, and failures leave a few rows, not one each', async () => {
    const user = await cli.createUser({ prefix: 'spoof' });
    const attempts = 8;
    for (let index = 0; index < attempts; index += 1) {
      expect(
        await signInOverHttp(user.email, `guess-${index}`, { forwardedFor: `203.0.113.${index + 1}` }),
      ).toBe('invalid');
    }
    const rows = await failedSignIns(admin, user.email);
    // Counts 1, 2, 4 and 8 of this window: four rows for eight attempts, each with the running count.
    expect(rows.length).toBeLessThan(attempts);
    expect(rows.map((row) => row.data.accountFailures).sort((a, b) => a - b)).toEqual([1, 2, 4, 8]);
    for (const row of rows) {
      expect(row.data.address).not.toMatch(/^203\.0\.113\./);
      expect(row.data.address).toMatch(/^(127\.0\.0\.1|::1)$/);
    }
  });

  test('control: through the trusted proxy, X-Forwarded-For names the client', async () => {
    const user = await cli.createUser({ prefix: 'proxied' });
    expect(
      await signInOverHttp(user.email, 'wrong password', {
        localAddress: TRUSTED_PROXY_ADDRESS,
        forwardedFor: '6.6.6.6, 198.51.100.7',
      }),
    ).toBe('invalid');
    const rows = await failedSignIns(admin, user.email);
    // The right-most hop the proxy appended; the left one was the client's own claim.
    expect(rows.map((row) => row.data.address)).toEqual(['198.51.100.7']);
  });

  test('guessing from many addresses is refused while the owner still signs in from a known one', async () => {
    const user = await cli.createUser({ prefix: 'owner' });
    const viaProxy = (forwardedFor: string) => ({ localAddress: TRUSTED_PROXY_ADDRESS, forwardedFor });
    const home = '198.51.100.20';
    expect(await signInOverHttp(user.email, user.password, viaProxy(home))).toBe('signed_in');

    const outcomes: string[] = [];
    for (let index = 0; index < 13; index += 1) {
      outcomes.push(await signInOverHttp(user.email, `guess-${index}`, viaProxy(`203.0.113.${index + 10}`)));
    }
    // Past 10 failures of the account, guesses from unknown addresses stop being tried at all.
    expect(outcomes.slice(0, 10).every((outcome) => outcome === 'invalid')).toBe(true);
    expect(outcomes.at(-1)).toBe('rate_limited');
    // Even the right password from a new address waits for the window...
    expect(await signInOverHttp(user.email, user.password, viaProxy('203.0.113.200'))).toBe('rate_limited');
    // ...but the owner at an address they signed in from before is not locked out.
    expect(await signInOverHttp(user.email, user.password, viaProxy(home))).toBe('signed_in');
  });
});
