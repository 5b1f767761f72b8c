import type { Generation, GenerationResult } from './types.ts';

export type Producer = (
  emit: (delta: string) => void,
) => Promise<Omit<GenerationResult, 'ttftMs' | 'totalMs'>>;

/**
 * Runs a producer eagerly and exposes its deltas as an async iterable (buffered, so a slow reader loses
 * nothing) plus a result promise. Errors surface from both the iterator and `result`.
 */
export function createGeneration(produce: Producer): Generation {
  const started = performance.now();
  let ttftMs: number | null = null;
  const buffer: string[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const emit = (delta: string) => {
    if (!delta) return;
    ttftMs ??= performance.now() - started;
    buffer.push(delta);
    notify();
  };
  const result = (async () => {
    try {
      const r = await produce(emit);
      return { ...r, ttftMs, totalMs: performance.now() - started };
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      finished = true;
      notify();
    }
  })();
  // Consumers that only iterate still see the error there; don't also crash on an unobserved rejection.
  result.catch(() => {});
  return {
    result,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (buffer.length > 0) {
          yield buffer.shift()!;
          continue;
        }
        if (finished) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((r) => {
          wake = r;
        });
      }
    },
  };
}

/** Streams text out while holding back anything that could be the start of a stop string. */
export class StopStringFilter {
  private text = '';
  private emitted = 0;
  private hit = false;
  private readonly holdBack: number;

  constructor(private readonly stops: string[]) {
    this.holdBack = Math.max(0, ...stops.map((s) => s.length - 1));
  }

  /** Appends text; returns the safe delta and whether a stop string was hit. */
  push(delta: string): { delta: string; hit: boolean } {
    if (this.hit) return { delta: '', hit: true };
    this.text += delta;
    let cut = -1;
    for (const s of this.stops) {
      const at = s ? this.text.indexOf(s, Math.max(0, this.emitted - s.length)) : -1;
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      const out = this.text.slice(this.emitted, Math.max(cut, this.emitted));
      this.emitted = Math.max(cut, this.emitted);
      this.hit = true;
      return { delta: out, hit: true };
    }
    const safeEnd = Math.max(this.emitted, this.text.length - this.holdBack);
    const out = this.text.slice(this.emitted, safeEnd);
    this.emitted = safeEnd;
    return { delta: out, hit: false };
  }

  /** What is still held back once the stream ends without a stop. */
  flush(): string {
    if (this.hit) return '';
    const out = this.text.slice(this.emitted);
    this.emitted = this.text.length;
    return out;
  }
}
