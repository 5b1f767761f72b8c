import { readAuthEnv } from '@clearance/auth';
import { ConfigError, readDatabaseEnv } from '@clearance/db';
import { getInferenceEnv } from '@clearance/inference';
import { getIngestEnv } from '@clearance/retrieval';
import { z } from 'zod';

const ZStartEnv = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});

export type StartConfiguration = { port: number };

/**
 * Parses every package's configuration once, before anything starts, so a wrong value stops `npm start`
 * with one line naming the variable and the fix rather than failing later inside web or worker.
 */
export function validateConfiguration(): StartConfiguration {
  readDatabaseEnv();
  getInferenceEnv();
  readAuthEnv();
  try {
    getIngestEnv();
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. Fix it in .env (see .env.example).`);
  }
  const parsed = ZStartEnv.safeParse(process.env);
  if (!parsed.success) {
    throw new ConfigError(`PORT must be a port number (1-65535), e.g. PORT=3000. Fix it in .env.`);
  }
  return { port: parsed.data.PORT };
}
