// npm run models -- build|list|similarity|pull - manage the models Clearance runs
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cosine, loadEmbedder } from '../embedder.ts';
import { getInferenceEnv } from '../env.ts';
import { buildGlove, DEFAULT_GLOVE_VOCAB, DEFAULT_SIF_A, GLOVE_MODEL_ID } from '../glove/build-glove.ts';
import { findInstalledModels, pullModel } from '../models.ts';
import { createProgressBar } from './progress.ts';

const USAGE = `usage: npm run models -- <command>
  build [--force] [--vocab N] [--sif-a A] [--out DIR]   build glove-100d into MODELS_DIR (cached)
  list                                                  show installed models
  similarity [--model NAME] [--kind query|document] <text> <text> ...
                                                        print a JSON cosine matrix (last line)
  pull <owner/name> [--revision REV] [--base-url URL]   download an ONNX model from Hugging Face`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const env = getInferenceEnv();
  switch (command) {
    case 'build': {
      const { values } = parseArgs({
        args: rest,
        options: {
          force: { type: 'boolean' },
          vocab: { type: 'string' },
          'sif-a': { type: 'string' },
          out: { type: 'string' },
        },
      });
      const outDir = values.out ?? join(env.modelsDir, GLOVE_MODEL_ID);
      const vocabSize = values.vocab ? Number(values.vocab) : DEFAULT_GLOVE_VOCAB;
      const sifA = values['sif-a'] ? Number(values['sif-a']) : DEFAULT_SIF_A;
      if (!Number.isInteger(vocabSize) || vocabSize < 1000)
        throw new Error('--vocab must be a whole number >= 1000');
      if (!Number.isFinite(sifA) || sifA < 0)
        throw new Error('--sif-a must be a number >= 0 (0 = unweighted mean)');
      const result = await buildGlove({
        outDir,
        vocabSize,
        sifA,
        force: values.force,
        onProgress: createProgressBar(GLOVE_MODEL_ID),
      });
      console.log(
        result.built
          ? `built ${GLOVE_MODEL_ID} in ${(result.ms / 1000).toFixed(1)}s -> ${outDir}`
          : `${GLOVE_MODEL_ID} is up to date in ${outDir} (use --force to rebuild)`,
      );
      return;
    }
    case 'list': {
      const models = findInstalledModels();
      if (models.length === 0) console.log(`no models in ${env.modelsDir}: run \`npm run models:build\``);
      for (const m of models) {
        const active = m.name === env.embedder || `onnx:${m.dir}` === env.generator ? ' (configured)' : '';
        console.log(
          `${m.name.padEnd(40)} ${m.kind.padEnd(10)} ${(m.bytes / 1e6).toFixed(1).padStart(8)} MB${active}`,
        );
      }
      return;
    }
    case 'similarity': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { model: { type: 'string' }, kind: { type: 'string' } },
      });
      if (positionals.length < 2) throw new Error('similarity needs at least two texts');
      const kind = values.kind === 'query' ? 'query' : 'document';
      const embedder = await loadEmbedder({ name: values.model });
      const vectors = await embedder.embed(positionals, { kind });
      const matrix = vectors.map((a) => vectors.map((b) => Math.round(cosine(a, b) * 1000) / 1000));
      console.log(`model ${embedder.id} (${embedder.dimension}-d, ${embedder.device})`);
      positionals.forEach((text, i) => {
        const best = matrix[i]!.map((s, j) => ({ s, j }))
          .filter((x) => x.j !== i)
          .sort((a, b) => b.s - a.s)[0]!;
        console.log(`[${i}] ${text.slice(0, 60).padEnd(60)} nearest [${best.j}] ${best.s.toFixed(3)}`);
      });
      console.log(JSON.stringify(matrix));
      return;
    }
    case 'pull': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { revision: { type: 'string' }, 'base-url': { type: 'string' } },
      });
      if (positionals.length !== 1)
        throw new Error('pull needs exactly one model id, e.g. Xenova/all-MiniLM-L6-v2');
      const { dir, bytes } = await pullModel(positionals[0]!, {
        revision: values.revision,
        baseUrl: values['base-url'],
        onProgress: createProgressBar('pull'),
      });
      console.log(`pulled ${positionals[0]} (${(bytes / 1e6).toFixed(1)} MB) -> ${dir}`);
      return;
    }
    default:
      console.error(USAGE);
      process.exitCode = command ? 1 : 0;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`models: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
