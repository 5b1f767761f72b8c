import { describe, expect, it, vi } from 'vitest';
import { processWide } from './process-wide.ts';

describe('processWide', () => {
  it('creates a value once per process and name, whichever copy of the module asks', async () => {
    let created = 0;
    const first = processWide('test-slot', () => ({ n: ++created }));
    // A second copy of the module (as Next's separate bundles load it) sees the same value.
    vi.resetModules();
    const copy = await import('./process-wide.ts');
    expect(copy.processWide).not.toBe(processWide);
    const second = copy.processWide('test-slot', () => ({ n: ++created }));
    expect(second).toBe(first);
    expect(created).toBe(1);
    expect(processWide('other-slot', () => 'x')).toBe('x');
  });
});
