import { fileURLToPath } from 'node:url';
// Brings the ProvidedContext typing (databaseUrl) that @clearance/db/testing's inject() relies on.
import type {} from '@clearance/db/testing/global-setup';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: [fileURLToPath(import.meta.resolve('@clearance/db/testing/global-setup'))],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
