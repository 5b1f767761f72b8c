import { cli } from '../../fixtures/cli.ts';
import { authFileOf, BASE_URL } from '../../fixtures/environment.ts';
import { ChatPage, SignInPage } from '../../fixtures/pages.ts';
import { expect, test } from '../../fixtures/test.ts';

const GENERIC = /incorrect email or password/i;

test('an unknown email and a wrong password get the same answer', async ({ page }) => {
  const user = await cli.createUser({ roles: ['hr'], prefix: 'enum' });
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.submitCredentials(user.email, 'wrong-password-123');
  await expect(signIn.error).toHaveText(GENERIC);
  const wrongPassword = await signIn.error.textContent();
  await signIn.goto();
  await signIn.submitCredentials(`nobody-${Date.now()}@northwind.example`, 'wrong-password-123');
  await expect(signIn.error).toHaveText(wrongPassword!);
});

test('repeated wrong passwords are throttled, even when the right password follows', async ({ page }) => {
  const user = await cli.createUser({ roles: ['hr'], prefix: 'brute' });
  const signIn = new SignInPage(page);
  await signIn.goto();
  let throttled = false;
  // The per-account limit is 10 per fixed 15-minute window; stop as soon as the app says so. 21 attempts:
  // if a window boundary falls inside the loop, one of the two windows still sees more than 10.
  for (let attempt = 0; attempt < 21 && !throttled; attempt += 1) {
    await signIn.submitCredentials(user.email, `guess-${attempt}`);
    await expect(signIn.error).toBeVisible();
    throttled = /too many/i.test((await signIn.error.textContent()) ?? '');
  }
  expect(throttled).toBe(true);
  await signIn.submitCredentials(user.email, user.password);
  await expect(signIn.error).toHaveText(/too many/i);
  await expect(page).not.toHaveURL(/\/chat/);
});

test('the session cookie is rotated at sign-in and dead after sign-out', async ({ browser }) => {
  const user = await cli.createUser({ roles: ['hr'], prefix: 'session' });
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const page = await context.newPage();
    const signIn = new SignInPage(page);
    await signIn.goto();
    const before = (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`);
    await signIn.submitCredentials(user.email, user.password);
    const chat = new ChatPage(page);
    await chat.expectShell();
    const session = (await context.cookies()).find((cookie) => cookie.name.includes('session-token'));
    expect(session).toBeTruthy();
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).not.toBe('None');
    expect(before).not.toContain(`${session!.name}=${session!.value}`);

    await chat.signOutAndExpectSignIn();

    // Replaying the old cookie after sign-out must not open a session.
    const replay = await browser.newContext({ storageState: { cookies: [session!], origins: [] } });
    try {
      const replayed = await replay.newPage();
      await replayed.goto('/chat');
      await expect(new SignInPage(replayed).submit).toBeVisible();
      const api = await replay.request.post('/api/chat', {
        headers: { origin: BASE_URL },
        data: { message: 'hello' },
      });
      expect(api.status()).toBe(401);
    } finally {
      await replay.close();
    }
  } finally {
    await context.close();
  }
});

test('state-changing requests from another origin or Origin: null are rejected', async ({ playwright }) => {
  const employee = await playwright.request.newContext({
    baseURL: BASE_URL,
    storageState: authFileOf('finance'),
  });
  try {
    for (const origin of ['null', 'http://evil.example']) {
      const response = await employee.post('/api/chat', {
        headers: { origin, 'content-type': 'application/json' },
        data: { message: 'What was group revenue for Q3 2026?' },
      });
      expect(response.status(), `Origin: ${origin}`).toBe(403);
    }
    // The sign-in server action too: a cross-site form post must not sign anyone in.
    const action = await employee.post('/', {
      headers: { origin: 'null', 'next-action': 'x', 'content-type': 'text/plain' },
      data: '[]',
    });
    expect(action.status()).toBeGreaterThanOrEqual(400);
  } finally {
    await employee.dispose();
  }
});
