export { analyze, isStopword, STOPWORDS, stem, type Token, tokenize } from './analysis.ts';
export { type Entity, type EntityType, findEntities } from './entities.ts';
export { getNlp } from './nlp.ts';
export {
  ANSWER_ENTITIES,
  type AnswerType,
  classifyQuestion,
  detectSmallTalk,
  type SmallTalk,
  splitQuestion,
} from './question.ts';
export {
  type AmountRange,
  findAmountRanges,
  findAmounts,
  findYearSpans,
  findYears,
  parseAmount,
} from './ranges.ts';
export { correctSpelling, inCaseOf, maxEdits, type VocabularyWord } from './spelling.ts';
export {
  baseForms,
  findAttributes,
  findRelatedWords,
  findSynonyms,
  isCompoundNoun,
  isDictionaryWord,
  splitCompound,
  warmTextAnalysis,
} from './synonyms.ts';
