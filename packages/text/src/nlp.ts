import model from 'wink-eng-lite-web-model';
import winkNLP, { type WinkMethods } from 'wink-nlp';

// On globalThis: Next bundles the start-up preload (instrumentation) and the routes separately, and a
// module-level cache would load the model once for each copy.
const NLP_KEY = Symbol.for('clearance.text.nlp');
const shared = globalThis as { [NLP_KEY]?: WinkMethods };

/** wink-nlp with its English lite model, loaded once per process (~0.5 s, 4 MB). */
export function getNlp(): WinkMethods {
  shared[NLP_KEY] ??= winkNLP(model);
  return shared[NLP_KEY];
}

/** A span of a text read by wink-nlp: its tokens' character offsets (end exclusive). */
export type TokenSpan = { start: number; end: number };

/** Character offsets of each wink token of `text` (wink keeps token values and the spaces before them). */
export function tokenOffsets(values: string[], precedingSpaces: string[]): TokenSpan[] {
  const spans: TokenSpan[] = [];
  let at = 0;
  values.forEach((value, i) => {
    at += (precedingSpaces[i] ?? '').length;
    spans.push({ start: at, end: at + value.length });
    at += value.length;
  });
  return spans;
}
