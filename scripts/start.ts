// npm start - one command for the whole product: database (embedded unless DATABASE_URL), migrations,
// demo seed on first run, default models, production build of the web app, then web + worker until Ctrl-C.
// npm run dev - the same with `next dev` and a worker that restarts on change.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadOrCreateAuthSecret } from '@clearance/auth';
import { ConfigError, findRepoRoot, type OpenDatabase, openDatabase, readDatabaseEnv } from '@clearance/db';
import { loadDotEnv } from './load-env.ts';
import { validateConfiguration } from './validate-configuration.ts';

const root = findRepoRoot();
const isDev = process.argv.includes('--dev');
const log = (line: string) => console.log(`[clearance] ${line}`);
const children: ChildProcess[] = [];
let database: OpenDatabase | undefined;
let stopping = false;

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? root,
      env: options.env ?? process.env,
      stdio: 'inherit',
    });
    children.push(child);
    child.on('exit', (code, signal) => {
      children.splice(children.indexOf(child), 1);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${path.basename(args[1] ?? command)} ${args.slice(2).join(' ')} failed (${signal ?? `exit ${code}`})`,
          ),
        );
    });
  });
}

function startService(name: string, args: string[], cwd = root) {
  const child = spawn(process.execPath, args, { cwd, env: process.env, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code, signal) => {
    children.splice(children.indexOf(child), 1);
    if (!stopping) {
      log(`${name} stopped unexpectedly (${signal ?? `exit ${code}`}); shutting down`);
      void shutdown(1);
    }
  });
  return child;
}

/** A fingerprint of everything the web build depends on: rebuild only when it changes. */
function sourceStamp(): string {
  const hash = createHash('sha256');
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      // Build outputs and files next build writes itself must not make the next start rebuild.
      if (['node_modules', 'generated', '.turbo', 'next-env.d.ts'].includes(entry.name)) continue;
      if (entry.name.startsWith('.next') || entry.name.endsWith('.tsbuildinfo')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else {
        const stat = statSync(full);
        hash.update(`${full}:${stat.size}:${stat.mtimeMs}\n`);
      }
    }
  };
  for (const dir of [
    'apps/web',
    'packages/auth/src',
    'packages/db/src',
    'packages/inference/src',
    'packages/retrieval/src',
  ]) {
    if (existsSync(path.join(root, dir))) visit(path.join(root, dir));
  }
  hash.update(readFileSync(path.join(root, 'package-lock.json')));
  return hash.digest('hex');
}

async function buildWebIfStale() {
  const stampFile = path.join(root, 'apps/web/.next/clearance-build-stamp');
  const stamp = sourceStamp();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    log('web build is up to date');
    return;
  }
  log('building the web app (next build, about a minute on 2 cores)...');
  const started = Date.now();
  await run(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: path.join(root, 'apps/web'),
  });
  writeFileSync(stampFile, stamp);
  log(`web app built in ${Math.round((Date.now() - started) / 1000)} s`);
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

async function waitForChildren(ms: number) {
  const deadline = Date.now() + ms;
  while (children.some(isRunning) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function shutdown(code: number, signal?: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  // Ctrl-C in a terminal already sent SIGINT to web and worker (same process group): let them finish
  // their graceful stop before escalating, so the worker releases its job instead of being cut off.
  if (signal === 'SIGINT') await waitForChildren(5_000);
  for (const child of children.filter(isRunning)) child.kill('SIGTERM');
  await waitForChildren(10_000);
  for (const child of children.filter(isRunning)) child.kill('SIGKILL');
  // The embedded database closes last, after web and worker released their connections, so PGlite
  // flushes a consistent data directory.
  await database?.close();
  log('stopped');
  process.exit(code);
}

async function main() {
  loadDotEnv();
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  process.env.TURBO_TELEMETRY_DISABLED = '1';
  const config = validateConfiguration();
  process.on('SIGINT', () => void shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => void shutdown(0));

  database = await openDatabase({ log: (line) => log(line), role: 'server', waitMs: 60_000 });
  log(
    `database: ${database.kind} PostgreSQL ${database.info.serverVersion}, pgvector ${database.info.pgvector}`,
  );

  await run(process.execPath, ['--import', 'tsx', path.join(root, 'prisma/seed.ts')]);
  await run(process.execPath, [
    '--import',
    'tsx',
    path.join(root, 'packages/inference/src/cli/models.ts'),
    'build',
  ]);

  if (!process.env.AUTH_SECRET) {
    // A fresh clone has no .env: keep a generated secret in DATA_DIR so sessions survive restarts.
    process.env.AUTH_SECRET = loadOrCreateAuthSecret(readDatabaseEnv().dataDir);
    log(
      'AUTH_SECRET is not set: using the generated one in DATA_DIR/auth-secret (set it when running several web hosts)',
    );
  }
  const port = config.port;
  process.env.PORT = String(port);
  process.env.AUTH_URL ??= `http://localhost:${port}`;
  const next = path.join(root, 'node_modules/next/dist/bin/next');
  if (isDev) {
    startService('web', [next, 'dev', '-p', String(port)], path.join(root, 'apps/web'));
    startService('worker', ['--import', 'tsx', '--watch', path.join(root, 'apps/worker/src/main.ts')]);
  } else {
    await buildWebIfStale();
    startService('web', [next, 'start', '-p', String(port)], path.join(root, 'apps/web'));
    startService('worker', ['--import', 'tsx', path.join(root, 'apps/worker/src/main.ts')]);
  }
  await waitForHealth(port);
  log(`ready: ${process.env.AUTH_URL}  (Ctrl-C stops web, worker${database.owned ? ' and database' : ''})`);
  const credentials = path.join(readDatabaseEnv().dataDir, 'demo-credentials.txt');
  if (existsSync(credentials)) console.log(readFileSync(credentials, 'utf8'));
}

async function waitForHealth(port: number) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok || response.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

main().catch(async (error: Error) => {
  console.error(error instanceof ConfigError ? `config error: ${error.message}` : `error: ${error.message}`);
  await shutdown(1);
});
