export { createSession, type Device, type DeviceChoice } from './device.ts';
export {
  cosine,
  type Embedder,
  type EmbedKind,
  findLoadedEmbedders,
  type LoadEmbedderOptions,
  loadEmbedder,
} from './embedder.ts';
export { getInferenceEnv, type InferenceEnv, parseInferenceEnv } from './env.ts';
export {
  CLOSEST_PASSAGES_TEXT,
  composeExtractiveAnswer,
  isNoAnswer,
  NO_ANSWER_TEXT,
} from './generators/extractive.ts';
export {
  createGroundedMessage,
  type GroundedQuestion,
  readGroundedQuestion,
} from './generators/grounded-question.ts';
export { findLoadedGenerators, loadGenerator } from './generators/load-generator.ts';
export { LocalChatModel } from './generators/local-chat-model.ts';
export { readGeneration, streamGeneration } from './generators/stream-generation.ts';
export type * from './generators/types.ts';
export {
  buildGlove,
  DEFAULT_GLOVE_VOCAB,
  DEFAULT_SIF_A,
  GLOVE_MODEL_ID,
  isGloveBuilt,
} from './glove/build-glove.ts';
export {
  type BuildProgress,
  describeModels,
  ensureDefaultModels,
  findInstalledModels,
  type InstalledModel,
  type ModelDescription,
  pullModel,
} from './models.ts';
