import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: [fileURLToPath(import.meta.resolve('@clearance/db/testing/global-setup'))],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Worker processes and the embedder share 2 cores: one test file at a time keeps timings sane.
    fileParallelism: false,
  },
});
