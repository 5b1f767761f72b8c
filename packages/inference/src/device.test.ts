import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSession } from './device.ts';
import { writeTinyBert } from './testing/tiny-bert.ts';

// This machine (and CI) has the CPU build of onnxruntime-node only.
describe('device selection', () => {
  const model = writeTinyBert(join(mkdtempSync(join(tmpdir(), 'clearance-device-')), 'tiny'), 'mean');
  const onnx = join(model.dir, 'onnx', 'model.onnx');

  it('auto falls back to CPU with one line saying why', async () => {
    const lines: string[] = [];
    const { session, device } = await createSession(onnx, { device: 'auto', log: (l) => lines.push(l) });
    expect(device).toBe('cpu');
    expect(session.inputNames).toContain('input_ids');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/CUDA unavailable \(.+\); using CPU/);
  });

  it('cuda fails fast with the fix', async () => {
    const started = Date.now();
    await expect(createSession(onnx, { device: 'cuda' })).rejects.toThrow(
      /CLEARANCE_DEVICE=cuda .*ONNXRUNTIME_NODE_INSTALL=cuda12/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('cpu never tries CUDA', async () => {
    const lines: string[] = [];
    const { device } = await createSession(onnx, {
      device: 'cpu',
      intraOpThreads: 1,
      log: (l) => lines.push(l),
    });
    expect(device).toBe('cpu');
    expect(lines).toHaveLength(0);
  });

  it('opens a session whose threads do not spin between runs', async () => {
    const { session } = await createSession(onnx, { device: 'cpu', allowSpinning: false });
    expect(session.inputNames.length).toBeGreaterThan(0);
  });
});
