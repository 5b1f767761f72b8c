import type { ItemEntity } from 'wink-nlp';
import { getNlp, tokenOffsets } from './nlp.ts';

/**
 * Kinds of facts an answer can be: wink-nlp's entity types (DATE, TIME, DURATION, MONEY, PERCENT, CARDINAL,
 * ORDINAL, EMAIL, URL), plus what its lite model leaves untagged in workplace documents: amounts with a
 * currency code ("EUR 240"), phone numbers, reference codes ("AFC-2026-0917"), figures with a unit
 * ("15 metres", "8 km/h", "22 Nm") and proper names (wink's PROPN tags, for who/where questions).
 */
export type EntityType =
  | 'DATE'
  | 'TIME'
  | 'DURATION'
  | 'MONEY'
  | 'PERCENT'
  | 'CARDINAL'
  | 'ORDINAL'
  | 'EMAIL'
  | 'URL'
  | 'PHONE'
  | 'CODE'
  | 'QUANTITY'
  | 'NAME';

export type Entity = { type: EntityType; text: string; start: number; end: number };

const NUMBER = String.raw`\d+(?:[.,]\d+)*`;
const SCALE = String.raw`(?:\s?(?:million|billion|thousand|bn|[mk])\b)?`;
const CURRENCY_CODE = '(?:EUR|USD|GBP|CHF|SEK|NOK|DKK|JPY|CAD|AUD|PLN|CZK)';
/** Patterns for what wink's lite model doesn't tag; each wins over the plain numbers it overlaps. */
const PATTERNS: [EntityType, RegExp][] = [
  ['EMAIL', /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g],
  [
    'MONEY',
    new RegExp(
      String.raw`(?:${CURRENCY_CODE}|[€$£])\s?${NUMBER}${SCALE}|${NUMBER}${SCALE}\s?(?:${CURRENCY_CODE}|euros?|dollars?|pounds?)\b`,
      'g',
    ),
  ],
  ['PERCENT', new RegExp(String.raw`${NUMBER}\s?(?:%|percent\b|per cent\b)`, 'g')],
  // Seven or more digits in groups, optionally international: "+44 20 7946 0958", "(020) 7946-0958".
  ['PHONE', /(?:\+\d{1,3}[\s-]?)?(?:\(\d{1,5}\)[\s-]?)?\d{2,5}(?:[\s-]\d{2,5}){1,4}\b/g],
  // An internal line: "extension 2222", "ext. 2650".
  ['PHONE', /\b(?:extension|ext\.?|extn\.?)\s?\d{2,6}\b/gi],
  ['TIME', /\b(?:[01]?\d|2[0-3])[:.][0-5]\d\b(?:\s?[ap]\.?m\.?)?|\b(?:1[0-2]|0?\d)\s?[ap]\.?m\.?/gi],
  // Letters and digits joined by hyphens or slashes, or a capital-led code with digits: AFC-2026-0917, S3.
  ['CODE', /\b(?:[A-Za-z]+[-/]?\d[\w/-]*|\d+[-/][A-Za-z][\w/-]*|[A-Z]{2,}[-/][A-Z0-9][\w/-]*)\b/g],
  [
    'QUANTITY',
    new RegExp(
      String.raw`${NUMBER}[\s-]?(?:[a-zA-Zµ°]{1,3}(?:/[a-zA-Z]{1,3})?|[a-z]{3,}(?:\s(?:hours?|days?|per\s[a-z]+))?)\b`,
      'g',
    ),
  ],
];

const PHONE_MIN_DIGITS = 7;
const SPECIFIC: ReadonlySet<EntityType> = new Set([
  'EMAIL',
  'MONEY',
  'PERCENT',
  'PHONE',
  'TIME',
  'CODE',
  'DATE',
]);

/** The entities of a text, in order of appearance, overlaps resolved in favour of the more specific. */
export function findEntities(text: string): Entity[] {
  const nlp = getNlp();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const tokens = doc.tokens();
  const offsets = tokenOffsets(tokens.out(its.value), tokens.out(its.precedingSpaces));
  const found: Entity[] = [];
  doc.entities().each((entity: ItemEntity) => {
    const [first, last] = entity.out(its.span) as unknown as [number, number];
    const start = offsets[first]?.start ?? 0;
    const end = offsets[last]?.end ?? start;
    found.push({ type: entity.out(its.type) as EntityType, text: text.slice(start, end), start, end });
  });
  // Runs of proper nouns not inside another entity: names of people, places and organisations.
  const pos = tokens.out(its.pos);
  for (let i = 0; i < pos.length; i++) {
    if (pos[i] !== 'PROPN') continue;
    let j = i;
    while (pos[j + 1] === 'PROPN') j++;
    const start = offsets[i]?.start ?? 0;
    const end = offsets[j]?.end ?? start;
    // A capitalised first word of a sentence alone is not a name.
    if (j > i || i > 0) found.push({ type: 'NAME', text: text.slice(start, end), start, end });
    i = j;
  }
  for (const [type, pattern] of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const value = match[0].trim();
      if (type === 'PHONE' && !/^ext/i.test(value) && (value.match(/\d/g)?.length ?? 0) < PHONE_MIN_DIGITS)
        continue;
      if (type === 'CODE' && !/\d/.test(value)) continue;
      // "14-story", "12-hour", "45-minute": a measure written as one word, not a code.
      if (type === 'CODE' && /^\d+-[a-z]+$/.test(value)) continue;
      found.push({ type, text: value, start: match.index, end: match.index + value.length });
    }
  }
  return resolveOverlaps(found);
}

/** Keeps, of overlapping entities, the specific over the generic, then the longer. */
function resolveOverlaps(entities: Entity[]): Entity[] {
  const rank = (e: Entity) => (SPECIFIC.has(e.type) ? 2 : e.type === 'CARDINAL' || e.type === 'NAME' ? 0 : 1);
  const sorted = [...entities].sort(
    (a, b) => rank(b) - rank(a) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Entity[] = [];
  for (const entity of sorted) {
    if (!kept.some((k) => entity.start < k.end && k.start < entity.end)) kept.push(entity);
  }
  return kept.sort((a, b) => a.start - b.start);
}
