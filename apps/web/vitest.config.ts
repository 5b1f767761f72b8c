import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Server modules import 'server-only', which throws outside React's server condition (Next.js resolves
// it to an empty module for server code). Tests run server code, so they get that same empty module.
const serverOnly = path.join(path.dirname(createRequire(import.meta.url).resolve('server-only')), 'empty.js');

export default defineConfig({
  // tsconfig keeps jsx "preserve" for Next.js; tests compile JSX themselves.
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: { alias: { 'server-only': serverOnly } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '.next/**', '.next-*/**'],
    globalSetup: [fileURLToPath(import.meta.resolve('@clearance/db/testing/global-setup'))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
