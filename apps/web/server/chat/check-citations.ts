import 'server-only';
import type { ChatCitation, ChatPassage } from './types.ts';

const MARKER = /\[(\d{1,3})\]/g;
// Longest text a marker can span ("[123]"): a trailing '[' with fewer characters may still become one.
const MAX_MARKER_LENGTH = 5;
const QUOTE_CHARS = 400;

/**
 * Removes every [n] marker that does not refer to a retrieved passage, and collapses the space it
 * leaves before punctuation.
 */
export function removeUnknownMarkers(text: string, allowed: ReadonlySet<number>): string {
  return text.replace(MARKER, (whole, digits: string) => (allowed.has(Number(digits)) ? whole : ''));
}

/**
 * Filters markers in a token stream as it arrives: markers that refer to no retrieved passage are
 * dropped, the others renumbered in order of first appearance (an answer citing passages 3 then 1 reads
 * [1] then [2]; `renumber` gives the passages their new numbers). Text after an unclosed '[' is held back
 * until it is clearly a marker or clearly not one, so the streamed text is exactly the stored answer.
 */
export function createMarkerFilter(allowed: ReadonlySet<number>) {
  let pending = '';
  const order = new Map<number, number>();
  const rewrite = (text: string) =>
    text.replace(MARKER, (_whole, digits: string) => {
      const marker = Number(digits);
      if (!allowed.has(marker)) return '';
      if (!order.has(marker)) order.set(marker, order.size + 1);
      return `[${order.get(marker)}]`;
    });
  return {
    /** Text safe to show now. */
    push(delta: string): string {
      pending += delta;
      const open = pending.lastIndexOf('[');
      let release = pending;
      let hold = '';
      if (open !== -1 && !pending.includes(']', open)) {
        const tail = pending.slice(open);
        if (tail.length <= MAX_MARKER_LENGTH && /^\[\d*$/.test(tail)) {
          release = pending.slice(0, open);
          hold = tail;
        }
      }
      pending = hold;
      return rewrite(release);
    },
    /** Whatever is still held back, at the end of the stream. */
    flush(): string {
      const rest = rewrite(pending);
      pending = '';
      return rest;
    },
    /**
     * The passages numbered as the answer cites them: cited ones 1..m in order of appearance, the rest
     * after them in their retrieval order.
     */
    renumber<T extends { marker: number }>(passages: T[]): T[] {
      let next = order.size;
      return passages
        .map((passage) => ({ ...passage, marker: order.get(passage.marker) ?? ++next }))
        .sort((a, b) => a.marker - b.marker);
    },
  };
}

/** A passage's quote for the sources panel and the citation row: its opening, cut at a word. */
export function quotePassage(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= QUOTE_CHARS) return clean;
  const cut = clean.lastIndexOf(' ', QUOTE_CHARS);
  return `${clean.slice(0, cut > QUOTE_CHARS / 2 ? cut : QUOTE_CHARS)}…`;
}

/**
 * The citations of an answer: one per distinct marker that refers to a passage retrieved in this
 * scope, in order of first appearance. Markers without such a passage get no citation (and are removed
 * from the text by removeUnknownMarkers / createMarkerFilter).
 */
export function checkCitations(answer: string, passages: ChatPassage[]): ChatCitation[] {
  const byMarker = new Map(passages.map((passage) => [passage.marker, passage]));
  const seen = new Set<number>();
  const citations: ChatCitation[] = [];
  for (const match of answer.matchAll(MARKER)) {
    const marker = Number(match[1]);
    const passage = byMarker.get(marker);
    if (!passage || seen.has(marker)) continue;
    seen.add(marker);
    citations.push({
      marker,
      chunkId: passage.chunkId,
      documentId: passage.documentId,
      versionId: passage.versionId,
      title: passage.title,
      page: passage.page,
      headingPath: passage.headingPath,
      quote: quotePassage(passage.text),
    });
  }
  return citations;
}
