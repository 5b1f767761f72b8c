// Runs an operator command against the configured database: DATABASE_URL, or the embedded server for
// DATA_DIR (reused when `npm start` is running, started for the command's duration otherwise). Migrates first.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { findRepoRoot, openDatabase } from '@clearance/db';
import { loadDotEnv } from './load-env.ts';

// Each command is a script run in a child process, so it gets a clean module graph and its own exit code.
// `conditions`: resolve the script's imports as the web app's server code is resolved. Its modules import
// 'server-only', which is empty under the react-server condition and throws without it.
const COMMANDS: Record<string, { script: string; describe: string; conditions?: string[] }> = {
  migrate: { script: '', describe: 'apply pending migrations' },
  seed: {
    script: 'prisma/seed.ts',
    describe: 'seed the demo organisation (first run only; --force to re-run)',
  },
  admin: { script: 'apps/worker/src/cli/admin.ts', describe: 'operator CLI (role, user, apikey, document)' },
  reindex: {
    script: 'apps/worker/src/cli/reindex.ts',
    describe: 're-embed every chunk with the configured embedder',
  },
  'eval-leak': { script: 'scripts/eval-leak.ts', describe: 'canary leak audit across roles' },
  'eval-answers': {
    script: 'apps/web/bench/answers.ts',
    describe: 'answer quality on the demo questions',
    conditions: ['react-server'],
  },
  'bench-ingest': { script: 'apps/worker/bench/ingest.ts', describe: 'ingestion benchmark' },
  'bench-fair-ingest': {
    script: 'apps/worker/bench/fair-ingest.ts',
    describe: 'search latency while a large document is ingested and deleted',
  },
  'bench-retrieval': { script: 'packages/retrieval/bench/retrieval.ts', describe: 'retrieval benchmark' },
  'bench-chat': { script: 'apps/web/bench/chat.ts', describe: 'chat benchmark (needs a running web server)' },
};

async function main() {
  loadDotEnv();
  const [name, ...args] = process.argv.slice(2);
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(
      `usage: with-database <command> [args]\n${Object.entries(COMMANDS)
        .map(([key, value]) => `  ${key.padEnd(16)} ${value.describe}`)
        .join('\n')}`,
    );
    process.exit(2);
  }
  const database = await openDatabase({ log: (line) => console.error(`[db] ${line}`) });
  let code = 0;
  try {
    if (command.script) {
      code = await runScript(path.join(findRepoRoot(), command.script), args, command.conditions ?? []);
    }
  } finally {
    await database.close();
  }
  process.exit(code);
}

function runScript(script: string, args: string[], conditions: string[]): Promise<number> {
  return new Promise((resolve) => {
    const flags = conditions.map((condition) => `--conditions=${condition}`);
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', script, ...args], {
      stdio: 'inherit',
    });
    // Ctrl-C reaches the child through the terminal's process group; wait for it to finish cleanly.
    const forward = () => {};
    process.on('SIGINT', forward);
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
