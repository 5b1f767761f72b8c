/** A one-line progress bar with rate and ETA on stderr (a plain line per 10% when not a terminal). */
export function createProgressBar(label: string, total: number) {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    update(done: number) {
      const now = Date.now();
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const elapsed = (now - started) / 1000;
      const rate = elapsed > 0 ? done / elapsed : 0;
      const eta = rate > 0 ? (total - done) / rate : 0;
      const line = `${label} ${bar(fraction)} ${done}/${total} ${rate.toFixed(1)}/s ETA ${formatSeconds(eta)}`;
      if (tty) {
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        process.stderr.write(`\r${line}\u001b[K`);
      } else {
        const decile = Math.floor(fraction * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          process.stderr.write(`${line}\n`);
        }
      }
    },
    finish() {
      const seconds = (Date.now() - started) / 1000;
      process.stderr.write(
        `${tty ? '\r' : ''}${label} ${bar(1)} ${total}/${total} in ${formatSeconds(seconds)}\u001b[K\n`,
      );
    },
  };
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}
