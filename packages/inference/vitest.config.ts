import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The first run builds glove-100d (~8 s) when no cached build exists.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
