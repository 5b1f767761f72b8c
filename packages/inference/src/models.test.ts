import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGlove } from './glove/build-glove.ts';
import { findInstalledModels, pullModel } from './models.ts';
import { writeTinyBert } from './testing/tiny-bert.ts';
import { writeTinyDecoder } from './testing/tiny-decoder.ts';

describe('models pull', () => {
  const modelsDir = mkdtempSync(join(tmpdir(), 'clearance-pull-'));

  it('rejects ids that are not <owner>/<name>', async () => {
    for (const id of ['all-MiniLM-L6-v2', '../../etc/passwd', 'a/b/c', 'owner/..']) {
      await expect(pullModel(id, { modelsDir })).rejects.toThrow(/Invalid model id/);
    }
  });

  it('fails with one clear line when the hub is unreachable', async () => {
    const port = await closedPort();
    const error = await pullModel('Xenova/all-MiniLM-L6-v2', {
      modelsDir,
      baseUrl: `http://127.0.0.1:${port}`,
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^Cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): .*internet/,
    );
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('models list and build', () => {
  it('lists installed embedders and generators', () => {
    const modelsDir = mkdtempSync(join(tmpdir(), 'clearance-list-'));
    writeTinyBert(join(modelsDir, 'tiny-bert'), 'mean');
    writeTinyDecoder(join(modelsDir, 'acme', 'tiny-chat'));
    const models = findInstalledModels(modelsDir);
    expect(models.map((m) => [m.name, m.kind])).toEqual([
      ['acme/tiny-chat', 'generator'],
      ['tiny-bert', 'embedder'],
    ]);
  });

  it('builds glove-100d reproducibly and reuses a finished build', async () => {
    const root = mkdtempSync(join(tmpdir(), 'clearance-glove-'));
    const options = { vocabSize: 5000 };
    await buildGlove({ outDir: join(root, 'a'), ...options });
    await buildGlove({ outDir: join(root, 'b'), ...options });
    for (const file of ['onnx/model.onnx', 'tokenizer.json', 'config.json']) {
      expect(readFileSync(join(root, 'a', file)).equals(readFileSync(join(root, 'b', file)))).toBe(true);
    }
    expect((await buildGlove({ outDir: join(root, 'a'), ...options })).built).toBe(false);
  });
});

/** A local port nothing listens on, so the connection fails fast without touching the network. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
