import { existsSync } from 'node:fs';
import path from 'node:path';
import { findRepoRoot } from '@clearance/db';

/**
 * Loads the repo's .env into process.env (values already in the environment win), so every entry point
 * sees the same configuration. Node's own loader: no dependency, same syntax as dotenv for simple files.
 */
export function loadDotEnv(): void {
  const file = path.join(findRepoRoot(), '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
