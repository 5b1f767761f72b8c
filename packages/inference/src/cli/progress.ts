/** A one-line progress bar with ETA on stderr (redrawn in place on a TTY, every ~10% otherwise). */
export function createProgressBar(
  label: string,
): (p: { stage: string; done: number; total: number }) => void {
  const started = Date.now();
  let lastPrinted = -1;
  return ({ stage, done, total }) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const elapsed = (Date.now() - started) / 1000;
    const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const line = `${label} ${stage.padEnd(6)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${elapsed.toFixed(1)}s elapsed, ETA ${eta.toFixed(1)}s`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}`);
      if (fraction >= 1) process.stderr.write('\n');
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile !== lastPrinted) {
        lastPrinted = decile;
        process.stderr.write(`${line}\n`);
      }
    }
  };
}
