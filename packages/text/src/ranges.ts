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
