import { findEntities } from './entities.ts';

/** A span of amounts a text states ("EUR 5,000.01 to EUR 25,000", "Up to EUR 250", "Above EUR 10,000"). */
export type AmountRange = { low: number; high: number };

const CURRENCY = String.raw`(?:EUR|USD|GBP|CHF|€|\$|£)`;
const FIGURE = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const SCALE = String.raw`(?:\s?(?:million|billion|thousand|bn|m|k)\b)?`;
/** An amount with its currency before or after it: "EUR 25,000", "€250", "25,000 euros". */
const AMOUNT = String.raw`(?:${CURRENCY}\s?(?:${FIGURE})${SCALE}|(?:${FIGURE})${SCALE}\s?(?:${CURRENCY}|euros?|dollars?|pounds?)\b)`;

const BOUNDED = new RegExp(
  String.raw`\bbetween\s+(${AMOUNT})\s+and\s+(${AMOUNT})|(${AMOUNT})\s*(?:to|–|—|-)\s*(${AMOUNT})`,
  'gi',
);
const AT_MOST = new RegExp(
  String.raw`\b(?:up to|under|below|less than|no more than|not more than|at most|maximum of|max\.?)\s+(${AMOUNT})`,
  'gi',
);
const AT_LEAST = new RegExp(
  String.raw`\b(?:above|over|more than|exceeding|greater than|at least|minimum of|from)\s+(${AMOUNT})`,
  'gi',
);

/** The value of an amount as written: "EUR 25,000" -> 25000, "EUR 1.2 million" -> 1200000. */
export function parseAmount(text: string): number | null {
  const match = new RegExp(String.raw`(${FIGURE})${SCALE}`, 'i').exec(text);
  if (!match) return null;
  const value = Number(match[1]!.replaceAll(',', ''));
  const scale = /million|\bm\b/i.test(match[0])
    ? 1e6
    : /billion|bn/i.test(match[0])
      ? 1e9
      : /thousand|\bk\b/i.test(match[0])
        ? 1e3
        : 1;
  return Number.isFinite(value) ? value * scale : null;
}

/**
 * The amount ranges a text states: "X to Y", "between X and Y", "up to X", "above X". Thresholds in
 * policies are written this way ("EUR 5,000.01 to EUR 25,000 | Department head"), and a question names
 * one value inside them ("who approves a purchase of 12,000 euros?").
 */
export function findAmountRanges(text: string): AmountRange[] {
  const ranges: AmountRange[] = [];
  const taken: [number, number][] = [];
  for (const match of text.matchAll(BOUNDED)) {
    const low = parseAmount(match[1] ?? match[3]!);
    const high = parseAmount(match[2] ?? match[4]!);
    if (low === null || high === null || high < low) continue;
    ranges.push({ low, high });
    taken.push([match.index, match.index + match[0].length]);
  }
  // An amount already read as a range's end ("from EUR 5,000 to EUR 25,000") is not a bound of its own.
  const free = (match: RegExpMatchArray) => {
    const index = (match.index ?? 0) + match[0].indexOf(match[1]!);
    return !taken.some(([start, end]) => index >= start && index < end);
  };
  for (const match of text.matchAll(AT_MOST)) {
    const high = parseAmount(match[1]!);
    if (high !== null && free(match)) ranges.push({ low: 0, high });
  }
  for (const match of text.matchAll(AT_LEAST)) {
    const low = parseAmount(match[1]!);
    if (low !== null && free(match)) ranges.push({ low, high: Number.POSITIVE_INFINITY });
  }
  return ranges;
}

/** The sums of money a question names, with the figure as the question writes it ("60000", "150,000"). */
export function findAmounts(text: string): { figure: string; value: number }[] {
  return findEntities(text).flatMap((entity) => {
    if (entity.type !== 'MONEY') return [];
    const figure = new RegExp(FIGURE).exec(entity.text)?.[0];
    const value = parseAmount(entity.text);
    return figure && value !== null ? [{ figure, value }] : [];
  });
}

/** A year as texts write it: 1000-2099. */
const YEAR = String.raw`(?:1\d{3}|20\d{2})`;
/**
 * A span of years: "from 1946 to 1952", "between 1987 and 2005", "(1987–2005)", "1952–87". Neither end
 * may touch another digit or hyphen, so an ISO date ("2026-10-15") is no span.
 */
const YEAR_SPAN = new RegExp(
  String.raw`(?<![\d.,-])(?:from\s+(${YEAR})\s+(?:to|until|till)\s+(${YEAR})|between\s+(${YEAR})\s+and\s+(${YEAR})|(${YEAR})\s?[–—-]\s?(${YEAR}|\d{2}))(?![\d.,]?\d|-)`,
  'gi',
);
/** "since 2005": from that year on. */
const SINCE_YEAR = new RegExp(String.raw`\bsince\s+(${YEAR})(?![\d.,]?\d|-)`, 'gi');
/** Longest span read as years: "1200-1500" may be a span of centuries, "1000-2000" is a figure range. */
const MAX_YEAR_SPAN = 300;

/**
 * The spans of years a text states, as ranges: a president "served from 1946 to 1952", a coach's
 * "(1918–31)", a leader "since 2005". A question naming a year inside one ("who was president in 1947?")
 * asks about what the span's sentence says.
 */
export function findYearSpans(text: string): AmountRange[] {
  const spans: AmountRange[] = [];
  for (const match of text.matchAll(YEAR_SPAN)) {
    const low = Number(match[1] ?? match[3] ?? match[5]);
    const end = match[2] ?? match[4] ?? match[6]!;
    // "1952–87": the end's century is the start's, or the next one ("1998–03").
    let high = Number(end);
    if (end.length === 2) {
      high += Math.floor(low / 100) * 100;
      if (high < low) high += 100;
    }
    if (high > low && high - low <= MAX_YEAR_SPAN) spans.push({ low, high });
  }
  for (const match of text.matchAll(SINCE_YEAR)) spans.push({ low: Number(match[1]), high: Infinity });
  return spans;
}

/** The years a question names ("in 1947"), with the figure as written. */
export function findYears(text: string): { figure: string; value: number }[] {
  return [...text.matchAll(new RegExp(String.raw`(?<![\d.,-])(${YEAR})(?![\d.,]?\d|-)`, 'g'))].map(
    (match) => ({ figure: match[1]!, value: Number(match[1]) }),
  );
}
