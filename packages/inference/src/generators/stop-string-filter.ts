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
