// `npm run reindex`: re-embed every live chunk with the configured embedder (CLEARANCE_EMBEDDER), then
// switch search to it. Safe to interrupt and re-run.
import { getDb } from '@clearance/db';
import { loadEmbedder } from '@clearance/inference';
import { reembedChunks } from '../reembed-chunks.ts';

async function main() {
  const db = getDb();
  const embedder = await loadEmbedder();
  const started = Date.now();
  console.error(`re-embedding live chunks with ${embedder.id} (${embedder.dimension}-d, ${embedder.device})`);
  const result = await reembedChunks(db, embedder, {
    onProgress: ({ done, total }) => {
      const elapsed = (Date.now() - started) / 1000;
      const rate = done / Math.max(elapsed, 0.001);
      const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} chunks, ETA ${eta}s   `,
      );
    },
  });
  process.stderr.write('\n');
  console.log(
    `active embedder is now ${embedder.id}: ${result.done} chunks re-embedded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  await db.$disconnect();
}

main().catch((error: unknown) => {
  console.error(`reindex: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
