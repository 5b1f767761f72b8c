import {
  type AmountRange,
  ANSWER_ENTITIES,
  type AnswerType,
  analyze,
  baseForms,
  classifyQuestion,
  correctSpelling,
  type Entity,
  type EntityType,
  findAmountRanges,
  findAmounts,
  findAttributes,
  findEntities,
  findRelatedWords,
  findSynonyms,
  findYearSpans,
  findYears,
  getNlp,
  isCompoundNoun,
  isDictionaryWord,
  isStopword,
  STOPWORDS,
  splitCompound,
  splitQuestion,
  stem,
  tokenize,
} from '@clearance/text';
import { cosine, type Embedder } from '../embedder.ts';
import { wordSpecificity } from '../word-specificity.ts';
import { splitUnits, type TextUnit, type UnitKind } from './split-units.ts';
import type { GroundingPassage } from './types.ts';

/** The extractive backend's reply when the passages don't answer; detect it with isNoAnswer. */
export const NO_ANSWER_TEXT = "I couldn't find an answer to that in the documents available to you.";
/** Opens the reply that shows the closest passages when none of their sentences answers. */
export const CLOSEST_PASSAGES_TEXT =
  "I couldn't find a direct answer to that in your documents. These passages look closest:";

/** True when a generated answer is a "couldn't find" reply (with or without closest passages). */
export function isNoAnswer(text: string): boolean {
  return text.trimStart().startsWith("I couldn't find");
}

/** How a question was answered: with sentences, with the closest passages only, or not at all. */
export type AnswerOutcome = 'answer' | 'closest' | 'none';
export type ComposedAnswer = { text: string; answered: boolean; outcome: AnswerOutcome };

// The wh-frame says what form the answer takes (how much, how long, what time, the name of): the answer
// type carries it, and its words ("long", "much", "time", "name") are not the subject a passage has to
// contain.
const QUESTION_FRAME =
  /\b(how (much|many|long|often|far|soon|big|large|close|fast|high|old)|what time|what (other )?(kinds?|sorts?|types?) of|stands? for|the (acronym|abbreviation|initials)|(walk|talk|take|run) (me|us) through|whats|what's|the (name|amount|size|number|total) of|at the moment|at present|right now|these days|as of now)\b/gi;
// What the asker already knows and leaves out ("Apart from holidays, what other kinds of leave are there?"):
// not words a passage must contain.
const EXCLUDED = /\b(apart from|other than|besides|except for|except|excluding)\s+[^,;?]+/gi;
// Words that name the form of an answer or the act of asking ("the Q3 revenue figures", "tell me the
// details of"), not its subject. "What happens on my first day?" asks for the events; a text describing
// them rarely says "happens". Hedges ("normally", "roughly", "still") qualify the question; the text
// states its facts without them.
const FORM_WORDS = new Set(
  `figure figures number numbers detail details information info please tell know need want let get got
  give show find say says said exactly currently actually like would could might may must shall allowed
  permitted supposed able happen happens happened normally usually typically generally roughly
  approximately around still`.split(/\s+/),
);

/** Weight of a question word matched through a WordNet synonym rather than itself. */
const SYNONYM_MATCH = 0.8;
/** A synonym makes a passage relevant at less: a word's senses stray ("rate" ~ "place", "car" ~ "machine"). */
const RELEVANT_SYNONYM_MATCH = 0.5;
/**
 * A word WordNet relates in a rarer sense or by derivation ("bill" ~ invoice, "fast" ~ speed) counts at
 * less than a synonym: senses stray further.
 */
const RELATED_MATCH = 0.5;
const RELEVANT_RELATED_MATCH = 0.4;
/** A unit stating a rate over the period the question asks per (see statesRateOver). */
const RATE_BONUS = 0.15;
/** Cosine from which a passage word counts as a near-synonym of a question word ("top" ~ "atop"). */
const SOFT_COSINE = 0.6;
/** A near-synonym counts this much times its cosine. */
const SOFT_MATCH = 0.6;
/**
 * For relevance only close neighbours count, and at less: averaged word vectors find some neighbour at
 * 0.6 for most words ("car" ~ "point"), which would let any passage "answer" another role's question.
 */
const RELEVANT_SOFT_COSINE = 0.7;
const RELEVANT_SOFT_MATCH = 0.5;
/** Weight of a question word found only in the unit's heading path or document title. */
const CONTEXT_MATCH = 0.5;
/** In ranking units, a question word of the title all passages share weighs this share (see rankingTerms). */
const SHARED_TITLE_WEIGHT = 0.3;
/** Score bonus, at most, for a unit whose passage covers the whole question (see relevance). */
const PASSAGE_RELEVANCE_WEIGHT = 0.1;
/** Score bonus, at most, for a unit holding the earlier parts' words (a later part's elided subject). */
const CARRIED_BONUS = 0.3;
/** Bonus for a unit that states what a "What is X?" question asks: "Core hours are 10:00 to 15:00". */
const STATES_SUBJECT_BONUS = 0.1;
/**
 * "What are the core hours" -> "the core hours": the subject a definition-like question asks about, compared
 * by its terms (articles and possessives are stopwords). Applied to the question with its spaces collapsed
 * and its question marks dropped: no two quantifiers can take the same characters, so a long message can't
 * make it backtrack.
 */
const ASKED_SUBJECT = /^(?:what|who|which) (?:is|are|was|were) (.+)$/i;
/** Verbs by which a sentence states what its opening subject is ("Core hours are ...", "The season runs"). */
const STATING_VERB = /^(?:is|are|was|were|means|runs?|lasts?)$/i;
/** Words read for a unit's opening subject: a subject longer than this is no short name of a thing. */
const SUBJECT_WORDS = 8;
/** Weight of a question word found only in the neighbouring sentence (pronouns refer back). */
const NEIGHBOUR_MATCH = 0.35;
/** Bonus for holding the question's phrases (consecutive words) as phrases, at most this much. */
const PHRASE_BONUS = 0.15;
/** Share of a unit's score from word coverage; the rest is its sentence-embedding similarity. */
const COVERAGE_WEIGHT = 0.7;
/**
 * A passage is about the question when it covers this share of the question's idf-weighted words
 * (itself, its title and headings, synonyms counted at SYNONYM_MATCH). A passage that shares one generic
 * word ("period") but lacks the subject ("probation") stays below: that is how another role's documents
 * get declined rather than "answered".
 */
const RELEVANT_COVERAGE = 0.55;
/** Below RELEVANT_COVERAGE but above this, the passage is shown as "closest" instead of an answer. */
const CLOSEST_COVERAGE = 0.4;
/** A unit must itself cover this share of the question (with context) to answer it. */
const MIN_UNIT_COVERAGE = 0.25;
/** Score bonus for a unit holding an entity of the answer type not already in the question. */
const TYPE_BONUS = 0.2;
const SECONDARY_TYPE_BONUS = 0.12;
/** Penalty for a unit without any entity of an entity-typed question ("How much ..." with no figure). */
const MISSING_TYPE_PENALTY = 0.1;
/**
 * Penalty for a list item whose label names nothing the question asks about: "Moving house: 1 day of paid
 * leave" is about moving house, not an answer to "How many days off do I get a year?".
 */
const UNASKED_LABEL_PENALTY = 0.1;
/** "Moving house: ..." - a list item's label, the subject of the rest. */
const ITEM_LABEL = /^([^:;,.]{2,40}):\s/;
/**
 * A figure of the question that no passage contains is often a value to place in a range ("a EUR 8,000
 * purchase" under "EUR 5,000 to 25,000"), not a missing subject: it weighs this share of a word.
 */
const NUMBER_WEIGHT = 0.3;
const NUMERIC: ReadonlySet<EntityType> = new Set(['CARDINAL', 'QUANTITY', 'DURATION', 'MONEY', 'PERCENT']);
/**
 * Entities one of which a unit must hold to answer a question of the type: any figure for "how much /
 * how many / how long / how far" ("27 days" answers "how many days", though wink reads it as a duration),
 * a clock time for "what time", a phone number, address or code for a contact. "When" needs no date:
 * "When do I need a receipt?" is answered by a condition ("for every expense of EUR 25 or more").
 */
const REQUIRED_ENTITIES: Partial<Record<AnswerType, ReadonlySet<EntityType>>> = {
  amount: NUMERIC,
  // "How many" counts things or days: a sum of money or a share is not a count of employees.
  count: new Set(['CARDINAL', 'QUANTITY', 'DURATION']),
  duration: NUMERIC,
  distance: NUMERIC,
  percent: NUMERIC,
  time: new Set(['TIME']),
  contact: new Set(['PHONE', 'EMAIL', 'URL', 'CODE']),
};
// A figure in words: "six months", "a dozen", "half a day", "an hour".
const NUMBER_WORD =
  /\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|thousand|million|billion|dozen|half|quarter|once|twice)\b/i;

/**
 * Whether an entity of a sentence states a figure: the lite model tags a bare "day" or "Days" as a
 * duration, which must not answer "how many employees"; "27 days", "six months" and "a week" do. A lone
 * "one" or "a" followed by a function word is a pronoun or an idiom ("matches your contributions one for
 * one", "one of the"), not a count.
 */
function statesFigure(entity: Entity, sentence: string): boolean {
  if (/\p{N}/u.test(entity.text)) return true;
  if (!NUMBER_WORD.test(entity.text)) return false;
  if (!/^\s*(?:one|an?)\s*$/i.test(entity.text)) return true;
  const next = /^[\s-]*([\p{L}']+)/u.exec(sentence.slice(entity.end))?.[1];
  return next !== undefined && !isStopword(next);
}

/** The periods a rate or a duration is counted in: one list for every check below. */
const PERIOD = '(minute|hour|day|night|week|month|quarter|year)';
const TIME_UNIT = new RegExp(String.raw`\b${PERIOD}s?\b`, 'gi');
const RATE = new RegExp(String.raw`\b(?:per|each|every|a|an)\s+${PERIOD}\b`, 'gi');
// "27 days per leave year": a word may stand between the rate word and the period.
const STATED_RATE = new RegExp(String.raw`\b(?:per|a|an|each|every)\s+(?:[\p{L}-]+\s+)?${PERIOD}\b`, 'giu');
const COUNTED_TIME =
  /\bhow many\s+(?:[\p{L}-]+\s+)?(minute|hour|day|night|week|month|quarter|year|shift)s?\b/iu;

/**
 * The periods a question asks a rate over ("how much can I claim each month", "per day", "a year"). A
 * duration of only those units is the rate's period repeated ("within 3 months"), not the amount asked.
 */
function ratePeriods(question: string): Set<string> {
  return new Set([...question.matchAll(RATE)].map((m) => m[1]!.toLowerCase()));
}

/**
 * Whether a count question counts time ("how many days", "how many working hours"): only then does a
 * duration answer it; "12 months" is no count of employees.
 */
function countsTime(question: string): boolean {
  return COUNTED_TIME.test(question);
}

const PERIOD_ADVERBS: Record<string, string> = {
  hourly: 'hour',
  daily: 'day',
  nightly: 'night',
  weekly: 'week',
  monthly: 'month',
  quarterly: 'quarter',
  yearly: 'year',
  annually: 'year',
};
const PERIOD_ADVERB = new RegExp(String.raw`\b(${Object.keys(PERIOD_ADVERBS).join('|')})\b`, 'gi');

/** Whether a sentence states a rate over one of the periods ("27 days per leave year", "EUR 65 a day"). */
function statesRateOver(text: string, periods: Set<string>): boolean {
  if (periods.size === 0) return false;
  for (const [, unit] of text.matchAll(STATED_RATE)) if (periods.has(unit!.toLowerCase())) return true;
  for (const [, adverb] of text.matchAll(PERIOD_ADVERB))
    if (periods.has(PERIOD_ADVERBS[adverb!.toLowerCase()]!)) return true;
  return false;
}

/** "per km", "each colleague": the unit a rate is counted in, written after the rate word. */
const RATE_UNIT = /\b(?:per|each|every)\s+(\p{L}[\p{L}-]*)/giu;
/** A period of time as a whole word ("days", "month"). */
const PERIOD_WORD = new RegExp(`^${PERIOD}s?$`, 'i');
/** A figure, then its rate unit: "EUR 0.38 per kilometre", "2 hours per aircraft". */
const FIGURE_PER_UNIT = /\d[\d.,]*\s*(?:\p{L}+\s+)?(?:per|each|every|a|an)\s+(\p{L}[\p{L}-]*)/giu;

/**
 * The question's terms naming the unit a rate is asked in, other than a period of time ("how much do I get
 * back per km?" -> km). Periods are everywhere in policies ("EUR 65 a day"); a unit like a kilometre is
 * not, and a sentence stating a figure per that unit states the very quantity asked.
 */
function rateUnits(question: string, terms: QuestionTerm[]): QuestionTerm[] {
  const units: QuestionTerm[] = [];
  for (const [, word] of question.matchAll(RATE_UNIT)) {
    if (PERIOD_WORD.test(word!)) continue;
    const term = terms.find((t) => t.stem === stem(word!.toLowerCase()));
    if (term) units.push(term);
  }
  return units;
}

/** Whether a text states a figure per one of the units (the unit itself or its synonym). */
function statesFigurePer(text: string, units: QuestionTerm[]): boolean {
  for (const [, word] of text.matchAll(FIGURE_PER_UNIT)) {
    const written = stem(word!.toLowerCase());
    if (units.some((u) => u.stem === written || u.synonyms.includes(written))) return true;
  }
  return false;
}

function isRatePeriod(entity: Entity, periods: Set<string>): boolean {
  if (entity.type !== 'DURATION' || periods.size === 0) return false;
  const units = [...entity.text.matchAll(TIME_UNIT)].map((m) => m[1]!.toLowerCase());
  return units.length > 0 && units.every((unit) => periods.has(unit));
}

/**
 * Whether terms hold a question word itself (or its base form), not a synonym: what a list is of must be
 * named ("suppliers" is not a card "provider").
 */
function names(term: QuestionTerm, terms: Set<string>): boolean {
  return terms.has(term.stem) || term.forms.some((form) => terms.has(form));
}

/** The things a "which X are ..." question lists ("Which invoices are on hold?" -> invoices). */
function listedTerm(question: string, terms: QuestionTerm[]): QuestionTerm | undefined {
  const word = /^\s*(?:which|what)\s+(?:\w+\s+)?(\w+s)\b/i.exec(question)?.[1];
  return word ? terms.find((t) => t.stem === stem(word.toLowerCase())) : undefined;
}

/**
 * Whether a unit is one of the things a "which X" question lists: it names X (itself or under its heading)
 * and something said of them ("Which tools are overdue for calibration?": a tool, and overdue or
 * calibration), not X alone ("EUR 1.5 million related to tooling").
 */
function listsWhatIsAsked(unit: Unit, listed: QuestionTerm, terms: QuestionTerm[]): boolean {
  if (!names(listed, new Set([...unit.terms, ...unit.context]))) return false;
  return terms.length < 2 || terms.some((t) => t !== listed && match(t, unit.terms) > 0);
}

/** A second unit scoring at least this share of the best one follows it (see composePart). */
const RUNNER_UP_SHARE = 0.9;
/** ...when both together stay this short. */
const RUNNER_UP_MAX_CHARS = 280;
/** Units longer than this lead with the answer span, so the fact comes first. */
const LONG_UNIT_CHARS = 220;
/** A whole list answers a procedure question when it covers this share of what the best single unit does. */
const LIST_RIVAL_SHARE = 0.8;
/** How much a list's heading matching the question adds to the list's coverage. */
const LIST_HEADING_WEIGHT = 0.25;
/** Most rows or steps listed for a list or procedure question. */
const MAX_LIST_ITEMS = 12;

type QuestionTerm = {
  word: string;
  stem: string;
  /** Stems of the word's other inflections that stem differently (its base form). */
  forms: string[];
  synonyms: string[];
  /** Stems of words WordNet relates to it less closely (findRelatedWords). */
  related: string[];
  /** Stems of the attributes the word measures, when it is an adjective ("cool" -> temperature). */
  attributes: string[];
  weight: number;
  /** Stems of the passages' words close to this one in the embedding space, with their cosine. */
  neighbours: Map<string, number>;
  /** The words a closed compound of the question is written from ("payday" -> pay, day), with synonyms. */
  parts?: { stem: string; synonyms: string[] }[];
  /** The other word of a compound noun the question uses ("dress" of "dress code"): needed beside it. */
  partner?: { stem: string; synonyms: string[] };
};

type Unit = {
  passage: number;
  marker: number;
  index: number;
  text: string;
  kind: UnitKind;
  block: number;
  terms: Set<string>;
  /** Pairs of consecutive terms ("main librari"): phrases of the question found as phrases. */
  bigrams: Set<string>;
  /** Terms of the document title and the headings the unit sits under. */
  context: Set<string>;
  /** The heading the unit sits under, as written ('' when none). */
  heading: string;
  /** List items only: the line of its list it is on (splitUnits). */
  item?: TextUnit['item'];
  /**
   * Its text, lower case with spaces collapsed: overlapping chunks repeat a passage's edge, and an answer
   * must not say the same sentence twice.
   */
  key: string;
  /** Terms of the sentences just before and after it in the same passage. */
  neighbours: Set<string>;
};

type Scored = {
  unit: Unit;
  coverage: number;
  /** How much of the earlier parts' words (a later part's elided subject) the unit holds; 0 for a first part. */
  carried: number;
  /** The unit opens by stating what a "What is X?" question asks (statesSubject). */
  statesSubject: boolean;
  score: number;
  entities: Entity[];
};

type PartAnswer = { text: string; units: Unit[]; coverage: number } | null;

/**
 * The question's subject words as the index reads them (tokenize + Snowball stems, the analysis search
 * uses), each with WordNet synonyms of its base form (wink-nlp's lemma: "kilometres" -> "kilometre").
 */
function questionTerms(question: string): QuestionTerm[] {
  const nlp = getNlp();
  const its = nlp.its;
  // "B.S." is read as "BS", the way undottedInitialisms reads the passages.
  const frameless = question
    .replace(QUESTION_FRAME, ' ')
    .replace(EXCLUDED, ' ')
    .replace(DOTTED_INITIALISM, (written) => {
      const letters = written.replace(/\./g, '');
      return letters.length <= MAX_INITIALISM ? `${letters} ` : written;
    });
  const tokens = nlp.readDoc(frameless).tokens();
  // wink's typings don't accept its.lemma (it needs the model's addons), though the model provides them.
  const lemmas = new Map<string, string>();
  const normals = tokens.out(its.normal);
  const lemmaList = (tokens.out as (f: unknown) => string[])(its.lemma);
  normals.forEach((word, i) => {
    lemmas.set(word, lemmaList[i] ?? word);
  });
  // "the 20th century" is "the 1900s" in many texts: the century's ordinal also reads as its hundreds.
  const centuries = new Map(
    [...frameless.matchAll(/\b(\d{1,2})(?:st|nd|rd|th) century\b/gi)].map((m) => [
      m[0].split(' ')[0]!.toLowerCase(),
      `${Number(m[1]) - 1}00s`,
    ]),
  );
  const seen = new Map<string, QuestionTerm>();
  let previous: QuestionTerm | null = null;
  for (const token of tokenize(frameless)) {
    const word = token.lower;
    if (STOPWORDS.has(word) || FORM_WORDS.has(word)) {
      previous = null;
      continue;
    }
    const term = stem(word);
    const lemma = lemmas.get(word) ?? word;
    const known = seen.get(term);
    const current: QuestionTerm = known ?? {
      word,
      stem: term,
      synonyms: (/\p{N}/u.test(word)
        ? []
        : [...new Set([word, lemma].flatMap(findSynonyms))].map(stem)
      ).filter((s) => s !== term),
      related: (/\p{N}/u.test(word)
        ? []
        : [...new Set([word, lemma].flatMap(findRelatedWords))].map(stem)
      ).filter((s) => s !== term),
      attributes: /\p{N}/u.test(word) ? [] : [...new Set([word, lemma].flatMap(findAttributes))].map(stem),
      // Irregular forms stem apart ("paid" / "pay", "children" / "child"): the base form counts as the word,
      // and so does an ordinal's other spelling ("8th": "March 8, 2007", "eighth"; "third": "3rd").
      forms: [
        ...new Set([
          ...(stem(lemma) !== term ? [stem(lemma)] : []),
          ...ordinalForms(word),
          ...(centuries.has(word) ? [stem(centuries.get(word)!)] : []),
        ]),
      ],
      weight: 1,
      neighbours: new Map(),
    };
    if (!known && !/\p{N}/u.test(word)) {
      current.parts = splitCompound(lemma)?.map((part) => ({
        stem: stem(part),
        synonyms: findSynonyms(part).map(stem),
      }));
    }
    seen.set(term, current);
    if (previous && !previous.partner && !current.partner && isCompoundNoun(previous.word, word)) {
      previous.partner = { stem: current.stem, synonyms: current.synonyms };
      current.partner = { stem: previous.stem, synonyms: previous.synonyms };
    }
    previous = current;
  }
  return [...seen.values()];
}

/** "8th", "21st": an ordinal written in figures. */
const ORDINAL_NUMERAL = /^(\d{1,3})(?:st|nd|rd|th)$/i;
const ORDINAL_WORDS =
  `first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth
  fifteenth sixteenth seventeenth eighteenth nineteenth twentieth`.split(/\s+/);

/**
 * The other spellings of an ordinal, as stems: "8th" -> "8" (dates write "March 8, 2007") and "eighth";
 * "third" -> "3rd" (not "3": "first" is no "1 day"). Empty for other words.
 */
function ordinalForms(word: string): string[] {
  const figure = ORDINAL_NUMERAL.exec(word)?.[1];
  if (figure) {
    const spelt = ORDINAL_WORDS[Number(figure) - 1];
    return [String(Number(figure)), ...(spelt ? [spelt] : [])].map(stem);
  }
  const n = ORDINAL_WORDS.indexOf(word) + 1;
  if (!n) return [];
  const suffix = n >= 11 && n <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return [stem(`${n}${suffix}`)];
}

/**
 * Words a passage must contain to be about the question: codes mixing letters and digits (Q1, S3, B737),
 * as stems. Acronyms are not: a text may spell them out ("USA", "the United States").
 */
function constraintTerms(question: string): string[] {
  return tokenize(question)
    .filter((t) => /\p{L}/u.test(t.text) && /\p{N}/u.test(t.text) && !ORDINAL_NUMERAL.test(t.text))
    .filter((t) => !STOPWORDS.has(t.lower))
    .map((t) => stem(t.lower));
}

// Runs of two or more capitalised words, with "of", "and", "for", "&" allowed inside.
const CAPITALISED_RUN = /\b\p{Lu}[\p{L}'’-]*(?:\s+(?:(?:of|and|for|the|&)\s+)?\p{Lu}[\p{L}'’-]*)+/gu;

/**
 * Hyphenated words also as one word, stemmed: people write "deicing", "email" and "fulltime" for the
 * text's "de-icing", "e-mail" and "full-time".
 */
function joinedCompounds(text: string): string[] {
  return [...text.matchAll(/\b(\p{L}+)-(\p{L}+)\b/gu)].map(([, first, second]) =>
    stem(`${first}${second}`.toLowerCase()),
  );
}

/** Initialisms written with full stops: "B.S.", "U.S.", "Ph.D." (the last letter's stop optional). */
const DOTTED_INITIALISM = /\b(?:\p{L}{1,2}\.){1,}\p{L}{1,2}\b\.?/gu;
/** Letters of the longest initialism read as one word: a longer dotted run is no name people type. */
const MAX_INITIALISM = 6;

/** Dotted initialisms also without their stops, stemmed: "eight B.S. degrees" answers "BS degrees". */
function undottedInitialisms(text: string): string[] {
  return [...text.matchAll(DOTTED_INITIALISM)]
    .map(([written]) => written.replace(/\./g, '').toLowerCase())
    .filter((letters) => letters.length <= MAX_INITIALISM)
    .map(stem);
}

/** "What does NCAA stand for?", "the abbreviation EAP": the acronym whose name is asked, lower case. */
function asksExpansion(question: string): string | undefined {
  if (!/\bstands? for\b|\b(acronym|abbreviation|initials)\b/i.test(question)) return undefined;
  return /\b(\p{Lu}{2,6})\b/u.exec(question)?.[1]?.toLowerCase();
}

/**
 * The initials of a text's capitalised names, lower case: "Employee Assistance Programme" -> "eap",
 * "Aircraft on Ground" -> "aog". A question that uses the acronym matches the name written out. Capitalised
 * function words are no initials: "The Employee Assistance Programme is ..." opens a sentence.
 */
function acronymsOf(text: string): string[] {
  const acronyms: string[] = [];
  for (const match of text.matchAll(CAPITALISED_RUN)) {
    const initials = match[0]
      .split(/\s+/)
      .filter((word) => /^\p{Lu}/u.test(word) && !STOPWORDS.has(word.toLowerCase()))
      .map((word) => word[0]!.toLowerCase())
      .join('');
    if (initials.length >= 2 && initials.length <= 6) acronyms.push(initials);
  }
  return acronyms;
}

function bigramsOf(sequence: string[]): Set<string> {
  return new Set(sequence.slice(1).map((term, i) => `${sequence[i]} ${term}`));
}

/** How well a set of terms holds a question word: itself, a WordNet synonym, or (`soft`) a near neighbour. */
function match(term: QuestionTerm, terms: Set<string>, soft = true): number {
  const { partner } = term;
  if (partner && !terms.has(partner.stem) && !partner.synonyms.some((s) => terms.has(s))) return 0;
  if (names(term, terms)) return 1;
  const holdsParts = term.parts?.every(
    (part) => terms.has(part.stem) || part.synonyms.some((s) => terms.has(s)),
  );
  if (holdsParts || term.synonyms.some((s) => terms.has(s)))
    return soft ? SYNONYM_MATCH : RELEVANT_SYNONYM_MATCH;
  let near = term.related.some((r) => terms.has(r)) ? (soft ? RELATED_MATCH : RELEVANT_RELATED_MATCH) : 0;
  for (const [neighbour, similarity] of term.neighbours) {
    if (!terms.has(neighbour)) continue;
    if (soft) near = Math.max(near, SOFT_MATCH * similarity);
    else if (similarity >= RELEVANT_SOFT_COSINE) near = Math.max(near, RELEVANT_SOFT_MATCH * similarity);
  }
  return near;
}

/** The passages' words (lower case, no stopwords) with how many units hold each, and their stems. */
function unitVocabulary(units: Unit[]): Map<string, { stem: string; frequency: number }> {
  const vocabulary = new Map<string, { stem: string; frequency: number }>();
  for (const unit of units) {
    for (const token of new Set(tokenize(unit.text).map((t) => t.lower))) {
      if (STOPWORDS.has(token) || !/\p{L}/u.test(token)) continue;
      const entry = vocabulary.get(token);
      if (entry) entry.frequency++;
      else vocabulary.set(token, { stem: stem(token), frequency: 1 });
    }
  }
  return vocabulary;
}

/**
 * What the passages' words offer a question's words, read once per answer whatever the number of parts:
 * their stems, spelling candidates, the reverse of WordNet's synonym and related-word lists, and (when some
 * question word matches nothing) their word vectors.
 */
type Lexicon = {
  stems: Set<string>;
  spelling: { word: string; frequency: number }[];
  /**
   * The passage words (stems) that name a question word (its stem) among their WordNet synonyms, among
   * their related words, or that measure one of its attributes (stems).
   */
  listing: (term: string, attributes: string[]) => { synonyms: string[]; related: string[] };
  /** Pairs of consecutive terms in the passages' units ("capit expenditur"), read when first asked. */
  bigrams: () => Set<string>;
  words: string[];
  wordStems: string[];
  vectors: () => Promise<Float32Array[]>;
};

/**
 * The passage words read so far, inverted by what their WordNet lists name: the stem of a synonym, a
 * related word or an attribute -> stems of the words that list it. Filled as passages are read, once per
 * word for the process (words are read as their WordNet lemmas: "awaiting" -> await).
 */
const listedBy = {
  synonyms: new Map<string, Set<string>>(),
  related: new Map<string, Set<string>>(),
  attributes: new Map<string, Set<string>>(),
};
const listedWords = new Set<string>();

function listWord(word: string, wordStem: string): void {
  if (listedWords.has(word)) return;
  // Bounded: a pasted essay's words must not grow it without limit.
  if (listedWords.size > 50_000) {
    listedWords.clear();
    for (const inverted of Object.values(listedBy)) inverted.clear();
  }
  listedWords.add(word);
  const add = (inverted: Map<string, Set<string>>, listed: string) => {
    const key = stem(listed);
    inverted.set(key, (inverted.get(key) ?? new Set()).add(wordStem));
  };
  const lemmas = baseForms(word);
  for (const lemma of lemmas.length > 0 ? lemmas : [word]) {
    for (const synonym of findSynonyms(lemma)) add(listedBy.synonyms, synonym);
    for (const relative of findRelatedWords(lemma)) add(listedBy.related, relative);
    for (const attribute of findAttributes(lemma)) add(listedBy.attributes, attribute);
  }
}

function readLexicon(embedder: Embedder, units: Unit[]): Lexicon {
  const vocabulary = unitVocabulary(units);
  const words = [...vocabulary.keys()];
  for (const [word, { stem: wordStem }] of vocabulary) if (!/\p{N}/u.test(word)) listWord(word, wordStem);
  const stems = new Set([...vocabulary.values()].map((v) => v.stem));
  const inPassages = (listers: Set<string> | undefined) => [...(listers ?? [])].filter((s) => stems.has(s));
  const listing = (term: string, attributes: string[]) => ({
    synonyms: inPassages(listedBy.synonyms.get(term)),
    related: [
      ...new Set([
        ...inPassages(listedBy.related.get(term)),
        ...attributes.flatMap((attribute) => inPassages(listedBy.attributes.get(attribute))),
      ]),
    ],
  });
  let vectors: Promise<Float32Array[]> | undefined;
  let bigrams: Set<string> | undefined;
  return {
    stems,
    spelling: words.map((word) => ({ word, frequency: vocabulary.get(word)!.frequency })),
    listing,
    bigrams: () => {
      bigrams ??= new Set(units.flatMap((unit) => [...unit.bigrams]));
      return bigrams;
    },
    words,
    wordStems: words.map((word) => vocabulary.get(word)!.stem),
    vectors: () => {
      const embedded = vectors ?? embedder.embed(words, { kind: 'document' });
      vectors = embedded;
      return embedded;
    },
  };
}

/**
 * Corrects a question word that is no English word to a passage word, adds the passage words whose
 * synonyms or related words name it, and fills its neighbours: passage words within SOFT_COSINE of it in
 * the embedder's space, for words that match nothing else.
 */
async function linkQuestionTerms(
  embedder: Embedder,
  terms: QuestionTerm[],
  lexicon: Lexicon,
): Promise<QuestionTerm[]> {
  const { stems } = lexicon;
  const linked = terms.map((term) => {
    // Only a word that is no English word is a misspelling: "boil" is not a typo of "bowl".
    if (stems.has(term.stem) || /\p{N}/u.test(term.word) || isDictionaryWord(term.word)) return term;
    const corrected = correctSpelling(term.word, lexicon.spelling);
    if (corrected) return { ...term, word: corrected, stem: stem(corrected) };
    const clipped = expandClipping(term.word, lexicon.bigrams);
    return clipped ? { ...term, parts: clipped.map((part) => ({ stem: part, synonyms: [] })) } : term;
  });
  // WordNet's lists are not symmetric ("main" lists "primary", "primary" lists no "main"; "request" lists
  // "asking", "ask" names no "request"): a passage word whose synonyms or related words name the question
  // word is its synonym or relative too, even where another passage uses the word itself ("ask" in one
  // passage, "submit a request" in the one that answers "How do I ask to work from home?").
  for (const term of linked) {
    if (/\p{N}/u.test(term.word)) continue;
    // An adjective of the same attribute speaks of the same property: "let it cool" ~ "may be hot".
    const { synonyms, related } = lexicon.listing(term.stem, term.attributes);
    const listing = synonyms.filter((s) => !term.synonyms.includes(s));
    if (listing.length > 0) term.synonyms = [...term.synonyms, ...listing];
    const relatives = related.filter((s) => s !== term.stem && !term.related.includes(s));
    if (relatives.length > 0) term.related = [...term.related, ...relatives];
  }
  const unmatched = linked.filter((t) => !stems.has(t.stem) && !t.synonyms.some((s) => stems.has(s)));
  if (unmatched.length === 0 || lexicon.words.length === 0) return linked;
  const [questionVectors, wordVectors] = await Promise.all([
    embedder.embed(
      unmatched.map((t) => t.word),
      { kind: 'document' },
    ),
    lexicon.vectors(),
  ]);
  unmatched.forEach((term, i) => {
    wordVectors.forEach((vector, j) => {
      const similarity = cosine(questionVectors[i]!, vector);
      if (similarity < SOFT_COSINE) return;
      const wordStem = lexicon.wordStems[j]!;
      term.neighbours.set(wordStem, Math.max(term.neighbours.get(wordStem) ?? 0, similarity));
    });
  });
  return linked;
}

/**
 * Whether a unit opens by stating the subject (its terms, space-separated): "Core hours are ..." for "What
 * are the core hours?". Reads the unit's first words only.
 */
function statesSubject(text: string, subject: string): boolean {
  const words = text.split(/\s+/, SUBJECT_WORDS + 1);
  const verb = words.findIndex((word) => STATING_VERB.test(word));
  return verb > 0 && analyze(words.slice(0, verb).join(' ')).join(' ') === subject;
}

/** Shortest start of a word a clipped compound keeps ("op" of "operating" in "opex"). */
const MIN_CLIP = 2;
/** Longest clipped compound tried ("capex", "opex", "sitrep" are short; longer words are no clippings). */
const MAX_CLIPPED = 12;

/**
 * The two consecutive passage terms a clipped compound is written from: "capex" -> capital expenditure,
 * "opex" -> operating expenditure (the starts of both words). Only for a word that is no English word and
 * no misspelling of a passage word; null when no pair of the passages spells it.
 */
function expandClipping(word: string, bigrams: () => Set<string>): [string, string] | null {
  if (word.length < 2 * MIN_CLIP || word.length > MAX_CLIPPED) return null;
  for (const bigram of bigrams()) {
    const [first = '', second = ''] = bigram.split(' ');
    for (let at = MIN_CLIP; at <= word.length - MIN_CLIP; at++) {
      if (first.startsWith(word.slice(0, at)) && second.startsWith(word.slice(at))) return [first, second];
    }
  }
  return null;
}

/** Share of the question's weight a unit covers: itself, then its context and neighbours at less. */
function unitCoverage(terms: QuestionTerm[], unit: Unit, total: number): number {
  let covered = 0;
  for (const term of terms) {
    covered +=
      term.weight *
      Math.max(
        match(term, unit.terms),
        CONTEXT_MATCH * match(term, unit.context),
        NEIGHBOUR_MATCH * match(term, unit.neighbours),
      );
  }
  return covered / total;
}

function readUnits(passages: GroundingPassage[]): Unit[] {
  const units: Unit[] = [];
  passages.forEach((p, passage) => {
    const title = (p.title ?? '').trim();
    const titleTerms = analyze(title);
    let headingTerms: string[] = [];
    let heading = '';
    const mine: Unit[] = [];
    splitUnits(p.text).forEach((unit, index) => {
      if (unit.heading || unit.text.toLowerCase() === title.toLowerCase()) {
        headingTerms = analyze(unit.text);
        heading = unit.text;
        return;
      }
      if (unit.text.split(/\s+/).length < 3) return;
      const sequence = [
        ...analyze(unit.text),
        ...acronymsOf(unit.text),
        ...joinedCompounds(unit.text),
        ...undottedInitialisms(unit.text),
      ];
      mine.push({
        passage,
        marker: p.marker,
        index,
        text: unit.text,
        kind: unit.kind,
        block: unit.block,
        terms: new Set(sequence),
        bigrams: bigramsOf(sequence),
        context: new Set([...titleTerms, ...headingTerms]),
        heading,
        neighbours: new Set(),
        ...(unit.item ? { item: unit.item } : {}),
        key: unit.text.toLowerCase().replace(/\s+/g, ' '),
      });
    });
    mine.forEach((unit, i) => {
      for (const other of [mine[i - 1], mine[i + 1]]) {
        if (other && other.kind === 'sentence' && unit.kind === 'sentence') {
          for (const term of other.terms) unit.neighbours.add(term);
        }
      }
    });
    units.push(...mine);
  });
  return units;
}

/**
 * Adds each value's figure to the terms of the units stating a range (`rangesOf`) that takes it in, when
 * no unit states the value itself: "What book did Zahm write in 1896?" is answered by "Evolution and Dogma
 * (1896)", not by his lifespan "(1851–1921)".
 */
function placeInRanges(
  units: Unit[],
  questionValues: { figure: string; value: number }[],
  rangesOf: (text: string) => AmountRange[],
): void {
  const values = questionValues.filter(({ figure }) => !units.some((unit) => unit.terms.has(stem(figure))));
  if (values.length === 0) return;
  for (const unit of units) {
    const ranges = rangesOf(unit.text);
    for (const { figure, value } of values)
      if (ranges.some((range) => value >= range.low && value <= range.high)) unit.terms.add(stem(figure));
  }
}

/**
 * Composes a cited answer from the passages' own sentences: classic question answering on one text
 * analysis (@clearance/text). The question is split into its parts; each part is answered from its best
 * unit anywhere in the passages, chosen by idf-weighted coverage of the question's words (synonyms, the
 * heading and neighbouring sentences counted at less), sentence-embedding similarity and whether the unit
 * holds an entity of the type the question asks for (an amount, a date, a phone number...). List questions
 * list the matching rows, procedures keep their steps, long sentences lead with the answer span. When a
 * passage is about the question but no unit answers, the closest passages are shown; when nothing is
 * about it, the reply says so (never general knowledge).
 */
export async function composeExtractiveAnswer(
  embedder: Embedder,
  question: string,
  passages: GroundingPassage[],
): Promise<ComposedAnswer> {
  const units = readUnits(passages);
  if (units.length === 0 || question.trim() === '')
    return { text: NO_ANSWER_TEXT, answered: false, outcome: 'none' };
  const lists = readLists(units, passages);
  // A sum the question names ("a purchase order of 60000 euro") is held by the unit whose range takes it
  // in ("EUR 25,000.01 to EUR 100,000: Finance Director"), and a year by the unit whose span does ("in
  // 1947": "served as president from 1946 to 1952"): that unit holds the figure as if written there.
  placeInRanges(units, findAmounts(question), findAmountRanges);
  placeInRanges(units, findYears(question), findYearSpans);
  const df = new Map<string, number>();
  for (const unit of units) for (const term of unit.terms) df.set(term, (df.get(term) ?? 0) + 1);
  // A word no unit contains weighs like one a single unit contains: paraphrased questions use words the
  // text doesn't ("sits on top" for "atop"), and those must not outweigh the words it does share.
  const idf = (term: string) => Math.log(1 + (units.length + 1) / (Math.max(df.get(term) ?? 0, 1) + 0.5));
  const lexicon = readLexicon(embedder, units);

  const titles = passages.map((passage) => new Set(analyze(passage.title ?? '')));
  const sharedTitleTerms = new Set([...(titles[0] ?? [])].filter((term) => titles.every((t) => t.has(term))));
  const parts = splitQuestion(question);
  const vectors = await embedder.embed(parts, { kind: 'query' });
  const unitVectors = await embedder.embed(
    units.map((u) => u.text),
    { kind: 'document' },
  );
  // The units already answered with, by text (a sentence repeated in an overlapping chunk counts once).
  const used = new Set<string>();
  const answers: PartAnswer[] = [];
  let closest = 0;
  const closestPassages = new Map<number, number>();
  // The unit of each closest passage nearest the question: what the "closest passages" reply quotes.
  const closestUnits = new Map<number, { unit: Unit; score: number }>();
  const earlierTerms: QuestionTerm[] = [];
  for (const [p, part] of parts.entries()) {
    // A word weighs what it tells apart in these passages (idf) times how specific it is in English.
    const terms = (await linkQuestionTerms(embedder, questionTerms(part), lexicon)).map((t) => ({
      ...t,
      weight:
        idf(t.stem) *
        wordSpecificity(t.word) *
        (/^\p{N}/u.test(t.word) && !df.has(t.stem) ? NUMBER_WEIGHT : 1),
    }));
    const total = terms.reduce((sum, t) => sum + t.weight, 0);
    if (terms.length === 0 || total === 0) {
      answers.push(null);
      continue;
    }
    // A word of the title every passage shares ("Notre Dame" in a question about its university) is what
    // they all are about: it decides relevance but tells their sentences apart little.
    const rankingTerms = terms.map((t) =>
      sharedTitleTerms.has(t.stem) ? { ...t, weight: t.weight * SHARED_TITLE_WEIGHT } : t,
    );
    const rankingTotal = rankingTerms.reduce((sum, t) => sum + t.weight, 0);
    // A later part often leaves its subject to the first ("How much is my learning budget and can I carry
    // what's left into next year?"): the earlier parts' words favour units about the same subject. They
    // rank units only; relevance stays the part's own.
    const own = new Set(terms.map((t) => t.stem));
    const carried = earlierTerms.filter((t) => !own.has(t.stem));
    const carriedTotal = carried.reduce((sum, t) => sum + t.weight, 0);
    earlierTerms.push(...terms.filter((t) => !earlierTerms.some((e) => e.stem === t.stem)));
    const type = classifyQuestion(part);
    const constraints = constraintTerms(part);
    const asksFigure = [...(REQUIRED_ENTITIES[type] ?? [])].some((t) => NUMERIC.has(t));
    const asksRate = asksFigure ? rateUnits(part, terms) : [];
    const relevance = passages.map((passage, index) => {
      const all = new Set<string>();
      for (const unit of units) {
        if (unit.passage !== index) continue;
        for (const term of unit.terms) all.add(term);
        for (const term of unit.context) all.add(term);
      }
      for (const term of analyze(passage.title ?? '')) all.add(term);
      // Near neighbours rank units but never make a passage relevant: averaged word vectors find some
      // neighbour for most words ("car" ~ "point"), which would let any passage "answer".
      // A code the question names (Q1, S3) must be in the passage: a
      // passage about Q3 does not answer a question about Q1, however much else they share.
      if (constraints.some((c) => !all.has(c))) return 0;
      const covered = terms.reduce((sum, t) => sum + t.weight * match(t, all, false), 0) / total;
      // A passage stating a figure per the unit the question asks a rate in ("EUR 0.38 per kilometre" for
      // "how much per km?") states the quantity asked, however the rest of the question is worded.
      const statesRate =
        asksRate.length > 0 && units.some((u) => u.passage === index && statesFigurePer(u.text, asksRate));
      return statesRate ? Math.max(covered, RELEVANT_COVERAGE) : covered;
    });
    relevance.forEach((value, index) => {
      if (value >= CLOSEST_COVERAGE)
        closestPassages.set(index, Math.max(closestPassages.get(index) ?? 0, value));
    });
    closest = Math.max(closest, ...relevance);
    const periods = ratePeriods(part);
    const expands = asksExpansion(part);
    const questionEntities = new Set(findEntities(part).map((e) => e.text.toLowerCase()));
    const questionBigrams = bigramsOf(analyze(part.replace(QUESTION_FRAME, ' ')));
    const partVector = vectors[p]!;
    const asked = ASKED_SUBJECT.exec(part.replace(/\?/g, ' ').replace(/\s+/g, ' ').trim())?.[1];
    const subject = asked ? analyze(asked).join(' ') : '';
    const candidates: Scored[] = units.map((unit, i) => {
      const coverage = unitCoverage(rankingTerms, unit, rankingTotal);
      const similarity = Math.max(0, cosine(partVector, unitVectors[i]!));
      let phrases = 0;
      for (const bigram of questionBigrams) if (unit.bigrams.has(bigram)) phrases++;
      const held = carriedTotal > 0 ? unitCoverage(carried, unit, carriedTotal) : 0;
      const states = subject !== '' && statesSubject(unit.text, subject);
      const score =
        COVERAGE_WEIGHT * coverage +
        (1 - COVERAGE_WEIGHT) * similarity +
        PHRASE_BONUS * (questionBigrams.size ? phrases / questionBigrams.size : 0) +
        CARRIED_BONUS * held +
        (states ? STATES_SUBJECT_BONUS : 0);
      return { unit, coverage, carried: held, statesSubject: states, score, entities: [] as Entity[] };
    });
    for (const candidate of candidates) {
      const { passage } = candidate.unit;
      const known = closestUnits.get(passage);
      if (
        closestPassages.has(passage) &&
        candidate.unit.kind !== 'heading' &&
        (!known || candidate.score > known.score)
      )
        closestUnits.set(passage, candidate);
    }
    const scored = candidates.filter(
      (s) => (relevance[s.unit.passage] ?? 0) >= RELEVANT_COVERAGE && s.coverage >= MIN_UNIT_COVERAGE,
    );
    // Entity recognition only for the strongest candidates: it is the costly step.
    scored.sort((a, b) => b.score - a.score);
    const top = scored.slice(0, 12);
    for (const s of top) {
      s.entities = findEntities(s.unit.text).filter((e) => !questionEntities.has(e.text.toLowerCase()));
      s.score += typeAdjustment(type, s);
      // Earlier passages ranked higher in retrieval: a small prior that breaks near-ties.
      s.score += 0.04 * (1 - s.unit.passage / Math.max(passages.length, 1));
      // A unit of a passage that is about the whole question beats an equal one of a passage that shares
      // part of it.
      s.score += PASSAGE_RELEVANCE_WEIGHT * (relevance[s.unit.passage] ?? 0);
      // "How many days off do I get a year?" asks for a rate: "27 days of annual leave per leave year"
      // states one, "lost at the end of the leave year" does not.
      if (statesRateOver(s.unit.text, periods)) s.score += RATE_BONUS;
      if (labelsSomethingUnasked(s.unit, terms)) s.score -= UNASKED_LABEL_PENALTY;
      // "What does NCAA stand for?" is answered where the name is spelt out ("the National Collegiate
      // Athletic Association (NCAA)"), not wherever the acronym is used.
      if (expands && acronymsOf(s.unit.text).includes(expands)) s.score += TYPE_BONUS;
    }
    top.sort((a, b) => b.score - a.score);
    // "Which tools are overdue?" lists tools: a unit or list that names no tool (nor under its heading)
    // is about something else that is overdue.
    const listed = type === 'list' ? listedTerm(part, terms) : undefined;
    const asksWhat = type === 'other' && /^\s*(what|which)\b/i.test(part);
    if (type === 'procedure' || type === 'list' || asksWhat) {
      const steps = bestList(terms, total, lists, relevance, part, listed);
      const rival = top[0]?.coverage ?? 0;
      // Another "what" question is answered by a whole list only when the list's own heading names what
      // is asked as fully as the best sentence does ("What PPE do I have to wear?" under "Personal
      // protective equipment (PPE)" in "Hangar Safety Rules").
      const fits =
        type === 'other'
          ? (steps?.named ?? 0) >= Math.max(MIN_UNIT_COVERAGE, rival)
          : (steps?.coverage ?? 0) >= Math.max(MIN_UNIT_COVERAGE, LIST_RIVAL_SHARE * rival);
      if (steps && fits && !steps.units.some((u) => used.has(u.key))) {
        for (const step of steps.units) used.add(step.key);
        answers.push({ text: formatSteps(steps.units, units), units: steps.units, coverage: steps.coverage });
        continue;
      }
    }
    // A question that asks for a figure, a date or a contact is answered only by a unit that holds one:
    // "How many employees does Northwind have?" is not answered by a sentence that merely names both.
    const required = REQUIRED_ENTITIES[type];
    const answersType = (s: Scored, e: Entity) =>
      required?.has(e.type) &&
      (type !== 'count' || e.type !== 'DURATION' || countsTime(part)) &&
      (!NUMERIC.has(e.type) || (statesFigure(e, s.unit.text) && !isRatePeriod(e, periods)));
    const answering = top.filter(
      (s) =>
        (!required || s.entities.some((e) => answersType(s, e))) &&
        (!listed || listsWhatIsAsked(s.unit, listed, terms)),
    );
    const best = answering.find((s) => !used.has(s.unit.key));
    if (!best) {
      answers.push(null);
      continue;
    }
    answers.push(composePart(type, best, answering, units, lists, used, terms));
  }
  const answered = answers.filter((a): a is NonNullable<PartAnswer> => a !== null);
  if (answered.length === 0) {
    if (closest < CLOSEST_COVERAGE) return { text: NO_ANSWER_TEXT, answered: false, outcome: 'none' };
    return {
      text: closestPassagesReply(passages, closestPassages, closestUnits),
      answered: false,
      outcome: 'closest',
    };
  }
  const text = answers
    .map((answer, i) =>
      answer
        ? answer.text
        : `I couldn't find an answer to "${parts[i]?.replace(/\?$/, '')}" in your documents.`,
    )
    .join(answers.some((a) => a?.text.includes('\n')) ? '\n\n' : ' ');
  return { text, answered: true, outcome: 'answer' };
}

/**
 * The passages' lists: their items by passage and block, with a numbered list that another passage of the
 * same document continues joined to it in written order (a long procedure chunked as steps 1-6 and 7-9).
 */
function readLists(units: Unit[], passages: GroundingPassage[]): Unit[][] {
  const blocks = new Map<string, Unit[]>();
  for (const unit of units) {
    if (unit.kind !== 'item') continue;
    const key = `${unit.passage}:${unit.block}`;
    blocks.set(key, [...(blocks.get(key) ?? []), unit]);
  }
  const lists: Unit[][] = [];
  for (const items of blocks.values()) {
    const continued = lists.find((list) => continues(list, items, passages));
    if (!continued) {
      lists.push([...items]);
      continue;
    }
    // Overlapping chunks repeat the steps at their edge: each step's sentences once.
    const known = new Set(continued.map((unit) => `${unit.item!.number}:${unit.key}`));
    continued.push(...items.filter((unit) => !known.has(`${unit.item!.number}:${unit.key}`)));
    // Stable: the sentences of one step keep their order.
    continued.sort((a, b) => a.item!.number - b.item!.number);
  }
  return lists;
}

/**
 * Whether two numbered lists of different passages are one list: the same document, no heading that tells
 * them apart (a chunk cut inside a list starts without one), and the numbers of one following on from the
 * other's (or overlapping them: chunks may repeat the steps at their edge) and going further.
 */
function continues(list: Unit[], next: Unit[], passages: GroundingPassage[]): boolean {
  const [first, other] = [list[0]!, next[0]!];
  if (first.passage === other.passage || !first.item?.numbered || !other.item?.numbered) return false;
  if ((passages[first.passage]?.title ?? '') !== (passages[other.passage]?.title ?? '')) return false;
  if (first.heading && other.heading && first.heading !== other.heading) return false;
  const span = (units: Unit[]) => {
    const numbers = units.map((unit) => unit.item!.number);
    return { low: Math.min(...numbers), high: Math.max(...numbers) };
  };
  const [a, b] = [span(list), span(next)];
  const goesOn = (x: typeof a, y: typeof a) => y.low > x.low && y.low <= x.high + 1 && y.high > x.high;
  return goesOn(a, b) || goesOn(b, a);
}

/** A list's units up to its MAX_LIST_ITEMS-th item (a step may be several sentences). */
function firstItems(list: Unit[]): Unit[] {
  const kept = new Set<string>();
  return list.filter((unit) => {
    const key = `${unit.passage}:${unit.item?.number ?? unit.index}`;
    if (!kept.has(key) && kept.size >= MAX_LIST_ITEMS) return false;
    kept.add(key);
    return true;
  });
}

/**
 * The list (bullets or numbered steps under one heading) that covers a procedure or list question best,
 * read as a whole: its items with its heading and document title. Steps rarely repeat the question's
 * words one by one ("How do I replace the filter?" -> "Remove the bowl", "Fit a new element").
 */
function bestList(
  terms: QuestionTerm[],
  total: number,
  lists: Unit[][],
  relevance: number[],
  question: string,
  listed?: QuestionTerm,
): { units: Unit[]; coverage: number; named: number } | null {
  let best: { units: Unit[]; coverage: number; named: number; extra: number } | null = null;
  for (const items of lists) {
    if (items.length < 2 || !items.some((item) => (relevance[item.passage] ?? 0) >= RELEVANT_COVERAGE))
      continue;
    const all = new Set<string>();
    for (const item of items) for (const term of [...item.terms, ...item.context]) all.add(term);
    if (listed && !names(listed, all)) continue;
    // A procedure's heading names it ("Handover steps"): a list under a heading that matches the question
    // beats one whose items merely mention its words.
    const heading = items[0]!.context;
    const named = terms.reduce((sum, t) => sum + t.weight * match(t, heading, false), 0) / total;
    const coverage =
      terms.reduce((sum, t) => sum + t.weight * match(t, all), 0) / total + LIST_HEADING_WEIGHT * named;
    // Between headings that name the question alike, the one saying nothing more ("Your first day" over
    // "Before your first day" for "What happens on my first day?"): stopwords carry that difference.
    const extra = headingWordsBeyond(items[0]!.heading, question);
    if (!best || coverage > best.coverage || (coverage === best.coverage && extra < best.extra))
      best = { units: firstItems(items), coverage, named, extra };
  }
  return best;
}

const POSSESSIVES = new Set(['my', 'your', 'our', 'their', 'his', 'her', 'its', 'the', 'a', 'an']);

/** How many words of a heading the question doesn't use (possessives and articles aside). */
function headingWordsBeyond(heading: string, question: string): number {
  const asked = new Set(tokenize(question).map((t) => t.lower));
  return tokenize(heading).filter((t) => !POSSESSIVES.has(t.lower) && !asked.has(t.lower)).length;
}

/** Words read after a figure for what it counts: "eight B.S. degrees", "33 majors". */
const COUNTED_WORDS = 3;

/**
 * The figure a "how many X" question asks for in a sentence holding several: the one written just before
 * a word of the question ("five departments ... eight B.S. degrees" for "How many BS degrees ...").
 */
function countedSpan(text: string, entities: Entity[], terms: QuestionTerm[]): Entity | undefined {
  return entities.find((entity) => {
    if (entity.type !== 'CARDINAL') return false;
    const counted = new Set(analyze(text.slice(entity.end, entity.end + 60)).slice(0, COUNTED_WORDS));
    return terms.some((term) => names(term, counted));
  });
}

/**
 * A list's items as a numbered list, after the sentence that introduces it (ending in ':') if any: one
 * line per item (its sentences together), numbered as written or else in order.
 */
function formatSteps(steps: Unit[], units: Unit[]): string {
  const first = steps[0]!;
  const intro = units.find(
    (u) =>
      u.passage === first.passage &&
      u.block === first.block - 1 &&
      u.kind === 'sentence' &&
      /:$/.test(u.text),
  );
  const items: Unit[][] = [];
  steps.forEach((step, i) => {
    const previous = steps[i - 1];
    const sameItem =
      previous?.passage === step.passage &&
      previous.block === step.block &&
      previous.item !== undefined &&
      previous.item.number === step.item?.number;
    if (sameItem) items.at(-1)!.push(step);
    else items.push([step]);
  });
  const lines = items.map((item, i) => {
    const [lead] = item;
    const number = lead!.item?.numbered ? lead!.item.number : i + 1;
    return `${number}. ${cite(item.map((unit) => unit.text).join(' '), lead!.marker)}`;
  });
  return [intro?.text, ...lines].filter(Boolean).join('\n');
}

function typeAdjustment(type: AnswerType, scored: Scored): number {
  const wanted = ANSWER_ENTITIES[type];
  if (type === 'procedure' || type === 'list') {
    return scored.unit.kind === 'item' || scored.unit.kind === 'row' || scored.unit.kind === 'record'
      ? 0.08
      : 0;
  }
  if (wanted.length === 0) return 0;
  if (scored.entities.some((e) => e.type === wanted[0])) return TYPE_BONUS;
  const required = REQUIRED_ENTITIES[type];
  if (scored.entities.some((e) => wanted.includes(e.type) || required?.has(e.type)))
    return SECONDARY_TYPE_BONUS;
  // "Who approves?" is as often answered by a role ("your department head") as by a name.
  return type === 'person' ? 0 : -MISSING_TYPE_PENALTY;
}

function composePart(
  type: AnswerType,
  best: Scored,
  top: Scored[],
  units: Unit[],
  lists: Unit[][],
  used: Set<string>,
  terms: QuestionTerm[],
): PartAnswer {
  const { unit } = best;
  // A list question over table rows or records: every row that matches as well as the best one.
  if ((type === 'list' || type === 'other') && (unit.kind === 'row' || unit.kind === 'record')) {
    const rows = top
      .filter((s) => s.unit.kind === unit.kind && s.coverage >= 0.9 * best.coverage && !used.has(s.unit.key))
      .filter((s, i, all) => all.findIndex((other) => other.unit.key === s.unit.key) === i)
      .slice(0, MAX_LIST_ITEMS)
      .sort((a, b) => a.unit.passage - b.unit.passage || a.unit.index - b.unit.index);
    if (rows.length > 1) {
      for (const row of rows) used.add(row.unit.key);
      return {
        text: rows.map((row) => `- ${cite(row.unit.text, row.unit.marker)}`).join('\n'),
        units: rows.map((row) => row.unit),
        coverage: best.coverage,
      };
    }
  }
  // A procedure keeps its steps: the whole list the best step belongs to, in order.
  if ((type === 'procedure' || type === 'list') && unit.kind === 'item') {
    const steps = firstItems(lists.find((list) => list.includes(unit)) ?? [unit]);
    if (steps.length > 1) {
      for (const step of steps) used.add(step.key);
      return { text: formatSteps(steps, units), units: steps, coverage: best.coverage };
    }
  }
  used.add(unit.key);
  const wanted = ANSWER_ENTITIES[type];
  // Only the type the question asks for first (a sum of money for "how much"): a looser match would lead
  // with a wrong figure.
  const span =
    type === 'count'
      ? countedSpan(unit.text, best.entities, terms)
      : best.entities.find((e) => e.type === wanted[0] && e.type !== 'NAME' && e.type !== 'CARDINAL');
  const sentence = cite(unit.text, unit.marker);
  const lead = span && unit.text.length > LONG_UNIT_CHARS ? `**${span.text}**: ${sentence}` : sentence;
  // When another unit is nearly as likely to answer and the two stay short, it follows the lead: an
  // uncertain pick shows both candidates instead of guessing. Anything less likely is padding, and so is
  // a unit that holds less of an earlier part's subject ("annual leave" carried over, after the learning
  // budget's) or only mentions what the lead states ("Outside core hours ..." after "Core hours are ...").
  const runnerUp = top.find((s) => !used.has(s.unit.key));
  if (
    runnerUp &&
    runnerUp.score >= RUNNER_UP_SHARE * best.score &&
    runnerUp.carried >= best.carried &&
    (runnerUp.statesSubject || !best.statesSubject) &&
    unit.text.length + runnerUp.unit.text.length <= RUNNER_UP_MAX_CHARS
  ) {
    used.add(runnerUp.unit.key);
    return {
      text: `${lead} ${cite(runnerUp.unit.text, runnerUp.unit.marker)}`,
      units: [unit, runnerUp.unit],
      coverage: best.coverage,
    };
  }
  return { text: lead, units: [unit], coverage: best.coverage };
}

/** Text as quoted in a closest-passages reply: no table bars or rules, heading marks or emphasis; one line. */
function flatten(text: string): string {
  return text
    .replace(/(?<=^|[\s|]):?-{3,}:?(?=[\s|]|$)/g, ' ')
    .replace(/[|#*`]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Longest quote of a closest passage, cut at a word. */
const CLOSEST_QUOTE_CHARS = 200;

/**
 * "I couldn't find a direct answer ..." and up to three closest passages, each quoted by its unit nearest
 * the question (a passage's opening is often a heading and a preamble that say nothing of it).
 */
function closestPassagesReply(
  passages: GroundingPassage[],
  relevance: Map<number, number>,
  nearest: Map<number, { unit: Unit }>,
): string {
  const shown = [...relevance.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 3);
  const lines = shown.map(([index]) => {
    const passage = passages[index]!;
    const flat = flatten(passage.text);
    // From the nearest unit on, as written: the sentences after it often hold the figure it leads to.
    const from = flat.indexOf(flatten(nearest.get(index)?.unit.text ?? ''));
    const quote = flat.slice(Math.max(from, 0));
    const cut =
      quote.length > CLOSEST_QUOTE_CHARS
        ? `${quote.slice(0, quote.lastIndexOf(' ', CLOSEST_QUOTE_CHARS))}…`
        : quote;
    return `- ${passage.title ? `**${passage.title}**: ` : ''}${cut} [${passage.marker}]`;
  });
  return [CLOSEST_PASSAGES_TEXT, ...lines].join('\n');
}

/** True for a list item opening with a label ("Moving house: ...") that holds none of the question's words. */
function labelsSomethingUnasked(unit: Unit, terms: QuestionTerm[]): boolean {
  if (unit.kind !== 'item') return false;
  const label = ITEM_LABEL.exec(unit.text)?.[1];
  if (!label) return false;
  const labelTerms = new Set(analyze(label));
  return labelTerms.size > 0 && !terms.some((t) => match(t, labelTerms, false) > 0);
}

/** "Leave accrues monthly." + 2 -> "Leave accrues monthly [2]." */
export function cite(sentence: string, marker: number): string {
  const m = /^(.*?)([.!?:;]*["”')\]]*)$/su.exec(sentence.trim())!;
  const end = m[2]?.replace(/[:;]/g, '') || '.';
  return `${m[1]} [${marker}]${end}`;
}
