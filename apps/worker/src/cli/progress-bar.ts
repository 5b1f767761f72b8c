/** A one-line progress bar with rate and ETA on a terminal's stderr; silent when stderr is not a terminal. */
export function createProgressBar(total: number, unit: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let lastDraw = 0;
  const draw = (done: number, force = false) => {
    if (!stream.isTTY) return;
    const now = performance.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const seconds = (now - started) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const eta = done > 0 && done < total ? ` ETA ${Math.ceil((total - done) / rate)} s` : '';
    const width = 30;
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${unit}  ${rate.toFixed(1)}/s${eta}   `,
    );
  };
  return {
    update: (done: number) => draw(done),
    done(done: number) {
      draw(done, true);
      if (stream.isTTY) stream.write('\n');
    },
  };
}
