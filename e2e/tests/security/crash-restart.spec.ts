// Power loss or the OOM killer, on the embedded default: `npm start`'s whole process group (database,
// web, worker, parser) SIGKILLed while documents are being added, three times. After each restart the
// app must be healthy and every document the CLI acknowledged must become searchable: committed uploads
// survive, interrupted ingestions are taken up again, and the data directory lock of the killed process
// never blocks the next start.
import { spawn } from 'node:child_process';
import { REPO_ROOT } from '../../fixtures/environment.ts';
import { createReader, Host, parseQueued, writeMarkedDocuments } from '../../fixtures/host.ts';
import { expect, test } from '../../fixtures/test.ts';

test.describe.configure({ timeout: 900_000 });

/**
 * Runs `document add <folder>` on the host and SIGKILLs the host once the CLI has acknowledged
 * `killAfter` files; returns the CLI's output (its acknowledgements).
 */
function addThenKill(host: Host, folder: string, role: string, killAfter: number): Promise<string> {
  return new Promise((resolve) => {
    const cli = spawn('npm', ['run', '--silent', 'admin', '--', 'document', 'add', folder, '--roles', role], {
      cwd: REPO_ROOT,
      env: host.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let killing = false;
    cli.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      if (!killing && parseQueued(output).size >= killAfter) {
        killing = true;
        void host.kill();
      }
    });
    cli.on('exit', () => resolve(output));
  });
}

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads a test's fixtures from this pattern.
test('npm start SIGKILLed three times while documents are added comes back healthy with every acknowledged document', async ({}, testInfo) => {
  const host = await Host.create({
    dir: testInfo.outputPath('host'),
    // A short lease: the killed worker's job is taken up again seconds after the restart.
    env: { SEED_DEMO: 'false', WORKER_LEASE_MS: '8000' },
  });
  try {
    host.start();
    await host.waitUntilHealthy();
    const { role, key } = await createReader(host);
    const acknowledged: { marker: string; documentId: string }[] = [];
    for (let round = 1; round <= 3; round++) {
      const batch = writeMarkedDocuments(testInfo.outputPath(`round-${round}`), 30);
      const output = await addThenKill(host, batch.folder, role, 4 + round * 3);
      const queued = parseQueued(output);
      expect(queued.size, `round ${round}: the CLI acknowledged uploads before the kill`).toBeGreaterThan(0);
      for (const { name, marker } of batch.files) {
        const documentId = queued.get(name);
        if (documentId) acknowledged.push({ marker, documentId });
      }

      host.start();
      await host.waitUntilHealthy();
      // Every acknowledged document so far, including earlier rounds' (a kill must not lose them either).
      for (const { marker, documentId } of acknowledged) {
        await expect
          .poll(() => host.searchDocumentIds(key, marker), {
            message: `round ${round}: ${marker}`,
            timeout: 180_000,
            intervals: [1_000],
          })
          .toContain(documentId);
      }
    }
  } finally {
    await host.stop();
  }
});
