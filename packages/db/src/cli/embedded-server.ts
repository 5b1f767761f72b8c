// npm run db:server - serve the embedded database for DATA_DIR until Ctrl-C (for psql, tests, tooling).
import { startEmbeddedServer } from '../embedded-server.ts';
import { readDatabaseEnv } from '../env.ts';
import { migrate } from '../migrate.ts';

const env = readDatabaseEnv();
const server = await startEmbeddedServer({ dataDir: env.dataDir });
await migrate(server.url, { log: (line) => console.log(`[db] ${line}`) });
console.log(`[db] embedded PostgreSQL for ${env.dataDir} on ${server.url}`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
