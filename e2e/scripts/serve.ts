// The Playwright webServer command: a fresh data folder (unless E2E_KEEP_DATA=1), then `npm start`'s
// script with the suite's environment. A script rather than globalSetup because Playwright starts web
// servers before globalSetup runs, and the app must never see a previous run's data.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { appEnvironment, DATA_DIR, REPO_ROOT } from '../fixtures/environment.ts';
import { UPLOAD_RATE_LIMIT } from '../fixtures/limits.ts';

if (process.env.E2E_KEEP_DATA !== '1') {
  rmSync(DATA_DIR, { recursive: true, force: true });
  console.log(`[e2e] fresh data folder ${path.relative(REPO_ROOT, DATA_DIR)}`);
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/start.ts')], {
  cwd: REPO_ROOT,
  env: { ...process.env, ...appEnvironment(), UPLOAD_RATE_LIMIT: String(UPLOAD_RATE_LIMIT) },
  stdio: 'inherit',
});

// start.ts stops web, worker and the embedded database in order; pass the signal on and wait for it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
