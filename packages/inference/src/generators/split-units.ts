/** What an answerable unit is: prose sentence, list item (bullet or step), table row, record, heading. */
export type UnitKind = 'sentence' | 'item' | 'row' | 'record' | 'heading';

/**
 * One answerable unit of a passage: a sentence, a list item, a table row or record read as a sentence, or
 * a heading. `block` numbers the passage's blocks (paragraphs, lists, tables): a list's steps or a table's
 * rows share one, so an answer can keep a procedure's steps together or list a table's matching rows.
 */
export type TextUnit = {
  text: string;
  heading: boolean;
  kind: UnitKind;
  block: number;
  /**
   * Items only: which line of its list the unit is on (a step of two sentences is two units of one item),
   * by the number written before it ("7.") or else by its position; `numbered` when written.
   */
  item?: { number: number; numbered: boolean };
};

const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const RECORD_FIELD = /^[^:|]{1,40}:\s*\S/;
const LIST_ITEM = /^\s*(?:[-*•]|\d+[.)])\s+/;
const NUMBERED_ITEM = /^\s*(\d+)[.)]\s+/;
// A sentence ends at . ! ? followed by a capital or digit, except after an abbreviation or an initial
// ("Fr. Sorin", "St. Mary's", "e.g. the", "J. Smith"): those stay in their sentence.
const SENTENCE_BOUNDARY =
  /(?<!\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Prof|Fr|Rev|St|Sr|Jr|Mt|Gen|Col|Capt|Lt|Sgt|No|Nos|Inc|Ltd|Co|Corp|vs|etc|e\.g|i\.e|approx|ca|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)(?<=[.!?])["”')\]]*\s+(?=["“([]?[\p{Lu}\p{N}])/u;

function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => stripMarkup(cell));
}

/** Markdown emphasis, code ticks, list bullets and task-list boxes are layout, not words of the answer. */
export function stripMarkup(text: string): string {
  return text
    .replace(LIST_ITEM, '')
    .replace(/^\s*\[[ xX]\]\s*/, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/^#+\s+/, '')
    .trim();
}

/** A title-like line: short, no sentence punctuation and no figures (those are facts, not headings). */
function looksLikeHeading(text: string): boolean {
  return !/[.!?:;]$/.test(text) && text.split(/\s+/).length <= 6 && !/\d/.test(text);
}

/**
 * Splits a passage into answerable units. Prose splits into sentences; bullet and numbered lines are
 * items of their list's block; a markdown table row becomes "first cell: header value; header value" with
 * its table's header (header and separator rows are not units); a block of "key: value" lines (a CSV
 * record, a form) is one record; short title-like lines and markdown headings are headings.
 */
export function splitUnits(text: string): TextUnit[] {
  const units: TextUnit[] = [];
  let block = 0;
  let previousWasList = false;
  // The list the last item line belonged to, and that line's number.
  let listBlock = -1;
  let itemNumber = 0;
  for (const paragraph of text.split(/\n\s*\n/)) {
    const lines = paragraph.split('\n').filter((line) => line.trim() !== '');
    // List items written as paragraphs of their own (one per blank line) still make one list.
    const isList = lines.length > 0 && lines.every((line) => LIST_ITEM.test(line));
    if (!(isList && previousWasList)) block++;
    previousWasList = isList;
    // Bullets that open with a label ("- Jury service: paid leave ...") are a list, not a record.
    if (
      lines.length >= 2 &&
      !isList &&
      lines.every((line) => RECORD_FIELD.test(line) && !TABLE_ROW.test(line))
    ) {
      units.push({
        text: lines.map((line) => stripMarkup(line)).join('; '),
        heading: false,
        kind: 'record',
        block,
      });
      continue;
    }
    let header: string[] | undefined;
    let inList = false;
    lines.forEach((line, i) => {
      if (TABLE_SEPARATOR.test(line)) return;
      if (TABLE_ROW.test(line)) {
        const cells = tableCells(line);
        if (TABLE_SEPARATOR.test(lines[i + 1] ?? '')) {
          header = cells;
          return;
        }
        const [first, ...rest] = cells;
        const values = rest.map((cell, c) => {
          const name = header?.[c + 1];
          return name ? `${name} ${cell}` : cell;
        });
        units.push({ text: `${first}: ${values.join('; ')}`, heading: false, kind: 'row', block });
        return;
      }
      const item = LIST_ITEM.test(line);
      // A list starts its own block, so its steps stay together apart from the sentence introducing it.
      if (item !== inList && !(item && isList && i === 0)) {
        block++;
      }
      inList = item;
      let position: TextUnit['item'];
      if (item) {
        if (listBlock !== block) itemNumber = 0;
        listBlock = block;
        const written = NUMBERED_ITEM.exec(line)?.[1];
        itemNumber = written ? Number(written) : itemNumber + 1;
        position = { number: itemNumber, numbered: written !== undefined };
      }
      const isMarkdownHeading = /^\s*#{1,6}\s/.test(line);
      for (const sentence of line.split(SENTENCE_BOUNDARY)) {
        const clean = stripMarkup(sentence);
        if (!clean) continue;
        const heading = isMarkdownHeading || (!item && looksLikeHeading(clean));
        const kind = heading ? 'heading' : item ? 'item' : 'sentence';
        units.push({ text: clean, heading, kind, block, ...(kind === 'item' ? { item: position } : {}) });
      }
    });
  }
  return units;
}
