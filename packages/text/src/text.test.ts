import { describe, expect, it } from 'vitest';
import {
  analyze,
  baseForms,
  classifyQuestion,
  correctSpelling,
  detectSmallTalk,
  findAmountRanges,
  findAmounts,
  findAttributes,
  findEntities,
  findRelatedWords,
  findSynonyms,
  findYearSpans,
  findYears,
  inCaseOf,
  isCompoundNoun,
  isDictionaryWord,
  splitCompound,
  splitQuestion,
} from './index.ts';

describe('analysis', () => {
  it('stems as PostgreSQL english does and drops its stopwords', () => {
    expect(analyze('Smoking is prohibited within 15 metres of the hangar doors in Q3')).toEqual([
      'smoke',
      'prohibit',
      'within',
      '15',
      'metr',
      'hangar',
      'door',
      'q3',
    ]);
  });
});

describe('entities', () => {
  it('finds amounts, phone numbers, codes, quantities and times', () => {
    const types = (text: string) => findEntities(text).map((e) => `${e.type}:${e.text}`);
    expect(types('The domestic per diem is EUR 65 per day.')).toContain('MONEY:EUR 65');
    expect(types('Call +44 20 7946 0958 or eap@northwind.example.')).toEqual(
      expect.arrayContaining(['PHONE:+44 20 7946 0958', 'EMAIL:eap@northwind.example']),
    );
    expect(types('Invoice AFC-2026-0917 is on hold.')).toContain('CODE:AFC-2026-0917');
    expect(types('In an emergency, call internal extension 2222.')).toContain('PHONE:extension 2222');
    expect(types('Torque to 22 Nm and arrive at 08:30.')).toEqual(
      expect.arrayContaining(['QUANTITY:22 Nm', 'TIME:08:30']),
    );
    // A measure written as one word is a figure, not a code.
    expect(types('The main library is the 14-story Hesburgh Library.')).toContain('QUANTITY:14-story');
  });
});

describe('questions', () => {
  it('classifies what is asked', () => {
    expect(classifyQuestion('How close to a hangar door may I smoke?')).toBe('distance');
    expect(classifyQuestion('What is the phone number of the employee assistance programme?')).toBe(
      'contact',
    );
    expect(classifyQuestion('How long is the probation period?')).toBe('duration');
    expect(classifyQuestion('Which invoices are on hold?')).toBe('list');
    expect(classifyQuestion('How do I replace the filter?')).toBe('procedure');
    expect(classifyQuestion('In what year was the college founded?')).toBe('datetime');
    expect(classifyQuestion('Apart from holidays, what other kinds of paid leave are there?')).toBe('list');
    expect(classifyQuestion('Walk me through de-icing an aircraft')).toBe('procedure');
    // The opening wh-word decides over a topical word ("spend", "pay").
    expect(classifyQuestion('Where do students spend their third year?')).toBe('place');
    expect(classifyQuestion('Who approves pay rises?')).toBe('person');
  });

  it('splits a question in several parts and keeps a single one whole', () => {
    expect(splitQuestion('What is the domestic per diem and the mileage rate?')).toEqual([
      'What is the domestic per diem?',
      'What is the mileage rate?',
    ]);
    expect(splitQuestion('How long is the probation period, and how many days of leave do I get?')).toEqual([
      'How long is the probation period?',
      'How many days of leave do I get?',
    ]);
    expect(splitQuestion('How long is the overlap, and at what times are the FOD walks done?')).toEqual([
      'How long is the overlap?',
      'At what times are the FOD walks done?',
    ]);
    expect(splitQuestion('Who approves travel and expense claims?')).toEqual([
      'Who approves travel and expense claims?',
    ]);
  });

  it('recognises small talk but not a greeting before a real question', () => {
    expect(detectSmallTalk('hi')).toBe('greeting');
    expect(detectSmallTalk('Hello, who are you?')).toBe('identity');
    expect(detectSmallTalk('thank you, that helps a lot')).toBe('thanks');
    expect(detectSmallTalk('What can you do?')).toBe('help');
    expect(detectSmallTalk('hi, what is the per diem?')).toBeNull();
    expect(detectSmallTalk('What is the per diem?')).toBeNull();
  });
});

describe('spelling and synonyms', () => {
  it('corrects against the given vocabulary only', () => {
    const vocabulary = [
      { word: 'diem', frequency: 3 },
      { word: 'international', frequency: 5 },
      { word: 'internal', frequency: 9 },
    ];
    expect(correctSpelling('deim', vocabulary)).toBe('diem');
    expect(correctSpelling('internatonal', vocabulary)).toBe('international');
    expect(correctSpelling('salary', vocabulary)).toBeNull();
  });

  it('writes a correction in the case the asker wrote the word', () => {
    expect(inCaseOf('Theodor', 'theodore')).toBe('Theodore');
    expect(inCaseOf('NCCA', 'ncaa')).toBe('NCAA');
    expect(inCaseOf('travle', 'travel')).toBe('travel');
  });

  it('takes English function words for words, and only misspellings for misspellings', () => {
    // WordNet has no prepositions, conjunctions or auxiliaries; these were "corrected" to document words
    // ("beside" to "besides", "whether" to "weather").
    for (const word of ['beside', 'whether', 'would', 'among', 'although', 'upon', 'whose', 'shall'])
      expect(isDictionaryWord(word), word).toBe(true);
    for (const word of ['invoice', 'approves', 'many']) expect(isDictionaryWord(word), word).toBe(true);
    for (const word of ['internatonal', 'purchace', 'budjet', 'becuase', 'thier', 'recieve'])
      expect(isDictionaryWord(word), word).toBe(false);
  });

  it('reads WordNet synonyms of a word', () => {
    expect(findSynonyms('km')).toContain('kilometre');
    expect(findSynonyms('car')).toContain('automobile');
    expect(findSynonyms('euros')).toContain('eur');
  });

  it('relates words through their other attested senses, derivations and the attribute an adjective measures', () => {
    expect(findRelatedWords('bill')).toContain('invoice');
    expect(findRelatedWords('fast')).toContain('speed');
    expect(findRelatedWords('pay')).toContain('payment');
    // Senses WordNet's tagged corpus never saw are left out: a bill of a bird is no invoice.
    expect(findRelatedWords('bill')).not.toContain('beak');
    // The first sense's synonyms are findSynonyms' job, not repeated here.
    expect(findRelatedWords('car')).not.toContain('automobile');
  });

  it('names the attribute an adjective is a value of, shared by the adjectives of one property', () => {
    expect(findAttributes('cool')).toContain('temperature');
    expect(findAttributes('hot')).toContain('temperature');
    expect(findAttributes('slow')).toContain('speed');
    expect(findAttributes('pump')).toEqual([]);
  });

  it("finds an inflected word's WordNet lemmas by WordNet's detachment rules", () => {
    expect(baseForms('awaiting')).toEqual(['await']);
    expect(baseForms('invoices')).toEqual(['invoice']);
    expect(baseForms('buses')).toContain('bus');
    expect(baseForms('qwzx')).toEqual([]);
  });

  it('splits a closed compound into the everyday words it is written from', () => {
    expect(splitCompound('payday')).toEqual(['pay', 'day']);
    expect(splitCompound('timesheet')).toEqual(['time', 'sheet']);
    // Only parts of WordNet's tagged corpus: "password" is no "pas" + "sword"; "hangar" is no compound.
    expect(splitCompound('password')).toEqual(['pass', 'word']);
    expect(splitCompound('hangar')).toBeNull();
    expect(splitCompound('overtime')).toBeNull();
  });

  it('knows the compound nouns WordNet lists, singular or plural', () => {
    expect(isCompoundNoun('dress', 'code')).toBe(true);
    expect(isCompoundNoun('purchase', 'orders')).toBe(true);
    expect(isCompoundNoun('home', 'internet')).toBe(false);
  });
});

describe('amount ranges', () => {
  it('reads the ranges thresholds are written in, and the amounts a question names', () => {
    expect(findAmountRanges('EUR 5,000.01 to EUR 25,000: Department head')).toEqual([
      { low: 5000.01, high: 25000 },
    ]);
    expect(findAmountRanges('Up to EUR 250: Your line manager')).toEqual([{ low: 0, high: 250 }]);
    expect(findAmountRanges('Above EUR 10,000: Chief Financial Officer')).toEqual([
      { low: 10000, high: Number.POSITIVE_INFINITY },
    ]);
    expect(findAmountRanges('Spend between €20 and €30 million.')).toEqual([{ low: 20, high: 30e6 }]);
    expect(findAmountRanges('Lunch costs EUR 20 and dinner EUR 30.')).toEqual([]);
    expect(findAmounts('Who approves a purchase of around 12,000 euros?')).toEqual([
      { figure: '12,000', value: 12000 },
    ]);
    expect(findAmounts('Who signs off a EUR 150,000 order in 2027?')).toEqual([
      { figure: '150,000', value: 150000 },
    ]);
  });

  it('reads spans of years, not dates or figure ranges, and the years a question names', () => {
    expect(findYearSpans('Cavanaugh served as president from 1946 to 1952.')).toEqual([
      { low: 1946, high: 1952 },
    ]);
    expect(findYearSpans('Hesburgh served for 35 years (1952–87); Malloy (1987-2005).')).toEqual([
      { low: 1952, high: 1987 },
      { low: 1987, high: 2005 },
    ]);
    expect(findYearSpans('Since 2005, the university has been led by Jenkins.')).toEqual([
      { low: 2005, high: Number.POSITIVE_INFINITY },
    ]);
    expect(findYearSpans('Invoice due 2026-10-15; parts 1000-2000 in stock.')).toEqual([]);
    expect(findYears('Which president did Notre Dame have in 1947?')).toEqual([
      { figure: '1947', value: 1947 },
    ]);
    expect(findYears('Is invoice 2026-10-15 paid? It was EUR 1,999.')).toEqual([]);
  });
});
