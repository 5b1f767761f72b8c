import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // tsconfig keeps jsx "preserve" for Next.js; tests compile JSX themselves.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '.next/**', '.next-*/**'],
    globalSetup: [fileURLToPath(import.meta.resolve('@clearance/db/testing/global-setup'))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
