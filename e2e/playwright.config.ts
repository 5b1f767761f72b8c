import { existsSync } from 'node:fs';

import { defineConfig, devices } from '@playwright/test';
import { authFileOf, BASE_URL, E2E_DIR, OIDC_ISSUER, PERSONAS } from './fixtures/environment.ts';
import type { PersonaOptions } from './fixtures/test.ts';

const isCi = Boolean(process.env.CI);
// Debian's chromium on these machines; Playwright's own browser on a laptop that has downloaded it.
const systemChromium = '/usr/bin/chromium';

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    ...(existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

const authFile = authFileOf;
const setupProjects = PERSONAS.map((persona) => ({
  name: `setup-${persona.id}`,
  testMatch: /tests\/setup\/.*\.setup\.ts/,
  grep: new RegExp(`@${persona.id}\\b`),
  use: chromium,
}));
const allSetups = setupProjects.map((project) => project.name);
// Screenshots are for people reviewing the product: in a whole-suite run they are taken first, on the
// demo organisation, before the other projects fill lists with test users, canaries and hostile filenames.
// Not when a developer runs a few specs (a file path, --grep or --project): dependency projects always run
// in full, and a one-spec run shouldn't wait for every screenshot.
const cliArgs = process.argv.slice(process.argv.indexOf('test') + 1);
const runsSubset = cliArgs.some(
  (arg) => /^(-g|--grep|--project|--last-failed|--only-changed)/.test(arg) || /\/|\.ts$|\.spec/.test(arg),
);
const SCREENSHOTS_FIRST = runsSubset ? [] : ['screenshots'];

export default defineConfig<PersonaOptions>({
  testDir: './tests',
  outputDir: './test-results',
  // 2 cores: the app (next + worker + embedded database) needs one of them.
  workers: 2,
  fullyParallel: true,
  retries: isCi ? 1 : 0,
  forbidOnly: isCi,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: './playwright-report' }]],
  use: {
    ...chromium,
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    ...setupProjects,
    { name: 'anonymous', testMatch: /tests\/anonymous\/.*\.spec\.ts/ },
    {
      name: 'admin',
      testMatch: /tests\/admin\/.*\.spec\.ts/,
      dependencies: ['setup-admin', ...SCREENSHOTS_FIRST],
      use: { storageState: authFile('admin') },
    },
    ...PERSONAS.filter((persona) => persona.role).map((persona) => ({
      name: `employee-${persona.role}`,
      testMatch: /tests\/employee\/.*\.spec\.ts/,
      dependencies: [`setup-${persona.id}`, ...SCREENSHOTS_FIRST],
      use: { storageState: authFile(persona.id), persona: persona.id },
    })),
    // Security cases, journeys and screenshots play several personas at once: each test opens its own
    // contexts from the storageState files (or signs in users it created), so they need every setup.
    {
      name: 'security',
      testMatch: /tests\/security\/.*\.spec\.ts/,
      dependencies: [...allSetups, ...SCREENSHOTS_FIRST],
    },
    {
      name: 'journeys',
      testMatch: /tests\/journeys\/.*\.spec\.ts/,
      dependencies: [...allSetups, ...SCREENSHOTS_FIRST],
    },
    { name: 'screenshots', testMatch: /tests\/screenshots\/.*\.spec\.ts/, dependencies: allSetups },
  ],
  webServer: [
    {
      command: 'node --import tsx oidc/provider.ts',
      cwd: E2E_DIR,
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      reuseExistingServer: !isCi,
      timeout: 30_000,
    },
    // E2E_EXTERNAL_SERVER=1: test an app you already started yourself on the same port and DATA_DIR.
    ...(process.env.E2E_EXTERNAL_SERVER === '1'
      ? []
      : [
          {
            command: 'node --import tsx scripts/serve.ts',
            cwd: E2E_DIR,
            url: `${BASE_URL}/api/health`,
            // First run builds the models and the web app: minutes on 2 cores.
            timeout: 600_000,
            reuseExistingServer: !isCi,
            stdout: 'pipe' as const,
            stderr: 'pipe' as const,
            // start.ts stops web and worker, then flushes the embedded database: give it time.
            gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 20_000 },
          },
        ]),
  ],
});
