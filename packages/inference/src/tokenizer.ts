import { AutoTokenizer, env as hfEnv, type PreTrainedTokenizer } from '@huggingface/transformers';

let queue: Promise<unknown> = Promise.resolve();

/**
 * Loads tokenizer.json + tokenizer_config.json from a local model folder with transformers.js, never
 * from the network. Loads are serialised because transformers.js reads its settings from a global.
 */
export function loadTokenizer(modelDir: string, modelsDir: string): Promise<PreTrainedTokenizer> {
  const next = queue.then(async () => {
    hfEnv.allowRemoteModels = false;
    hfEnv.allowLocalModels = true;
    hfEnv.localModelPath = modelsDir.endsWith('/') ? modelsDir : `${modelsDir}/`;
    // An absolute folder is not a valid hub id, so transformers.js reads it as a plain path.
    return AutoTokenizer.from_pretrained(modelDir, { local_files_only: true });
  });
  queue = next.catch(() => undefined);
  return next;
}

export type { PreTrainedTokenizer };
