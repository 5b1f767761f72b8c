import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getInferenceEnv } from '../env.ts';
import { buildGlove, GLOVE_MODEL_ID, isGloveBuilt } from '../glove/build-glove.ts';

/** The built glove-100d folder: the shared MODELS_DIR build when present, else a cached build in tmp. */
export async function getTestGloveDir(): Promise<string> {
  const shared = join(getInferenceEnv().modelsDir, GLOVE_MODEL_ID);
  if (isGloveBuilt(shared)) return shared;
  const dir = join(tmpdir(), 'clearance-test-models', GLOVE_MODEL_ID);
  await buildGlove({ outDir: dir });
  return dir;
}
