import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**'],
    globalSetup: [fileURLToPath(import.meta.resolve('@clearance/db/testing/global-setup'))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
