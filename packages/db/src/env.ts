import path from 'node:path';
import { z } from 'zod';
import { findRepoRoot } from './repo-root.ts';

const ZDatabaseEnv = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined))
    .refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
      message: 'must be a postgres:// URL (or unset to use the embedded database)',
    }),
  DATA_DIR: z.string().trim().min(1).default('.clearance'),
});

export type DatabaseEnv = { databaseUrl: string | undefined; dataDir: string };

/** Thrown for a bad configuration value; the message is one line naming the variable and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the database configuration once; relative DATA_DIR resolves against the repo root. */
export function readDatabaseEnv(source: NodeJS.ProcessEnv = process.env): DatabaseEnv {
  const parsed = ZDatabaseEnv.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')} ${issue.message}. Fix it in .env (see .env.example).`);
  }
  return {
    databaseUrl: parsed.data.DATABASE_URL,
    dataDir: path.resolve(findRepoRoot(), parsed.data.DATA_DIR),
  };
}
