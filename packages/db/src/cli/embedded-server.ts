// npm run db:server [-- --port N] - serve the embedded database for DATA_DIR until Ctrl-C (for psql,
// tests, tooling). --port keeps the address stable across restarts, as a PostgreSQL server's is: web and
// worker processes keep the URL they resolved at start and reconnect to it once the database is back.
import { parseArgs } from 'node:util';
import { redactUrl } from '../check-database.ts';
import { startEmbeddedServer } from '../embedded-server.ts';
import { readDatabaseEnv } from '../env.ts';
import { migrate } from '../migrate.ts';
import { secureDataDir } from '../secure-data-dir.ts';

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65_536)) {
  console.error(`[db] --port must be a TCP port number, got ${JSON.stringify(values.port)}`);
  process.exit(2);
}
const env = readDatabaseEnv();
secureDataDir(env.dataDir);
let server: Awaited<ReturnType<typeof startEmbeddedServer>>;
try {
  server = await startEmbeddedServer({ dataDir: env.dataDir, port });
} catch (error) {
  console.error(`[db] ${(error as Error).message}`);
  process.exit(1);
}
await migrate(server.url, { log: (line) => console.log(`[db] ${line}`) });
// The password stays in DATA_DIR/pg-password (and pg.json's url), never in logs.
console.log(`[db] embedded PostgreSQL for ${env.dataDir} on ${redactUrl(server.url)}`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
