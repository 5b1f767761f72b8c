import 'server-only';
import { getDb, isEmbeddedDatabase } from '@clearance/db';
import {
  describeModels,
  findInstalledModels,
  getInferenceEnv,
  type ModelDescription,
} from '@clearance/inference';

export type Health = {
  status: 'ok' | 'degraded';
  reasons?: string[];
  database: { kind: 'embedded' | 'external'; pgvector: string | null; reachable: boolean };
  worker: { lastHeartbeat: string | null };
  models: ModelDescription[];
  generator: string;
};

// A health check must answer fast even when the database hangs: load balancers time out in seconds.
const DATABASE_TIMEOUT_MS = 2_000;
// The worker beats every few seconds; 30 s without one means it is down or stuck.
const HEARTBEAT_STALE_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function probeDatabase(): Promise<{ pgvector: string | null; lastHeartbeat: Date | null }> {
  const db = getDb();
  const [extension, heartbeat] = await Promise.all([
    db.$queryRaw<
      { version: string }[]
    >`SELECT extversion AS version FROM pg_extension WHERE extname = 'vector'`,
    db.$queryRaw<{ at: Date | null }[]>`SELECT max(beat_at) AS at FROM worker_heartbeats`,
  ]);
  return { pgvector: extension[0]?.version ?? null, lastHeartbeat: heartbeat[0]?.at ?? null };
}

function isEmbedderInstalled(): boolean {
  try {
    const { embedder } = getInferenceEnv();
    const name = embedder.split('/').pop();
    return findInstalledModels().some(
      (model) => model.name === embedder || model.name.split('/').pop() === name,
    );
  } catch {
    return false;
  }
}

/**
 * The state of every part the app needs, for GET /api/health. Reasons are fixed phrases: no URLs,
 * credentials or error details (those go to the server log).
 */
export async function checkHealth(): Promise<Health> {
  const reasons: string[] = [];
  let kind: 'embedded' | 'external' = 'embedded';
  try {
    kind = isEmbeddedDatabase() ? 'embedded' : 'external';
  } catch {
    reasons.push('configuration: database settings are invalid');
  }
  let pgvector: string | null = null;
  let lastHeartbeat: Date | null = null;
  let reachable = false;
  try {
    ({ pgvector, lastHeartbeat } = await withTimeout(probeDatabase(), DATABASE_TIMEOUT_MS));
    reachable = true;
    if (!pgvector) reasons.push('database: the vector extension is not installed');
  } catch (error) {
    console.error('health: database probe failed:', error instanceof Error ? error.message : error);
    reasons.push('database: unreachable');
  }
  if (reachable && (!lastHeartbeat || Date.now() - lastHeartbeat.getTime() > HEARTBEAT_STALE_MS)) {
    reasons.push('worker: no heartbeat in the last 30 s');
  }
  let models: ModelDescription[] = [];
  let generator = 'unknown';
  try {
    models = await describeModels();
    generator = models.find((model) => model.kind === 'generator')?.id ?? generator;
    if (!isEmbedderInstalled())
      reasons.push('models: the embedding model is not installed (npm run models:build)');
  } catch (error) {
    console.error('health: model description failed:', error instanceof Error ? error.message : error);
    reasons.push('models: configuration is invalid');
  }
  return {
    status: reasons.length ? 'degraded' : 'ok',
    ...(reasons.length ? { reasons } : {}),
    database: { kind, pgvector, reachable },
    worker: { lastHeartbeat: lastHeartbeat?.toISOString() ?? null },
    models,
    generator,
  };
}
