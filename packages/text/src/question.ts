import type { EntityType } from './entities.ts';

/** What kind of answer a question asks for. */
export type AnswerType =
  | 'amount'
  | 'count'
  | 'duration'
  | 'datetime'
  | 'time'
  | 'distance'
  | 'percent'
  | 'person'
  | 'place'
  | 'contact'
  | 'yesno'
  | 'procedure'
  | 'list'
  | 'definition'
  | 'reason'
  | 'other';

// Checked in order: the first rule that matches decides. Patterns read the question's frame (wh-word,
// auxiliary, the noun it asks about), never a subject, so they hold for any organisation's documents.
const RULES: [AnswerType, RegExp][] = [
  [
    'contact',
    /\b(phone|telephone|hotline|helpline|e-?mail|extension|fax|contact details|number (to|should i) (call|ring))\b/i,
  ],
  ['percent', /\b(what|which) (percentage|percent|share|proportion|fraction)\b|\bhow many percent\b/i],
  // "What other kinds of paid leave are there?" asks for the kinds, whatever they cost.
  ['list', /\b(what|which) (other )?(kinds|types|sorts) of\b/i],
  ['procedure', /\b(walk|talk|take|run) (me|us) through\b|\bexplain how\b/i],
  ['count', /\bhow many\b|\bnumber of\b/i],
  [
    'duration',
    /\bhow long\b(?! ago)|\bfor how (many|much) (days|weeks|months|years|hours|minutes)\b|\b(duration|how many (days|weeks|months|years|hours))\b/i,
  ],
  [
    'distance',
    /\bhow (far|fast|close|near|high|tall|deep|wide|heavy|hot|cold)\b|\b(speed|distance|temperature|pressure|torque|weight)\b/i,
  ],
  // A clock time: "what time should I arrive" (not "at what time did it open", which asks for a period).
  ['time', /\bwhat time (should|do|does|is|are|must|can|will|shall)\b|\b(what hour|how early|how late)\b/i],
  [
    'datetime',
    /\b(when|what time|which (day|date|month|year)|what (day|date|month|year)|by when|how soon|deadline|what hour)\b|\bin what year\b/i,
  ],
  // A question opening with "who" or "where" asks for a person or a place, whatever it is about ("Where do
  // students spend their third year?" is no question about spending).
  ['person', /^\s*(who|whom|whose)\b/i],
  ['place', /^\s*where\b/i],
  [
    'amount',
    /\bhow much\b|\b(cost|price|rate|fee|amount|budget|allowance|cap|limit|salary|revenue|profit|income|spend|worth|value|per diem|reimburs\w*|paid|pay|charge|threshold|tuition|endowment)\b/i,
  ],
  ['reason', /^\s*why\b|\bfor what reason\b|\bwhat (is|was) the reason\b/i],
  [
    'procedure',
    /\bhow (do|can|should|must|would) (i|we|you|one)\b|\bhow to\b|\b(steps|procedure|process) (for|to|of)\b|\bwhat (are the|do i need to) (steps|do)\b/i,
  ],
  [
    'person',
    /^\s*(who|whom|whose)\b|\b(which|what) (person|people|manager|team|department|role|officer|owner|contact person)\b|\bwho\b/i,
  ],
  [
    'place',
    /^\s*where\b|\b(which|what) (city|country|building|room|floor|location|place|site|address|state|town)\b|\bwhere\b/i,
  ],
  [
    'list',
    /^\s*(list|name)\b|\b(which|what) (\w+ )?(\w+s) (are|were|have|need|must|can)\b|\bwhat are (all )?the\b/i,
  ],
  [
    'definition',
    /^\s*what (is|are|was|were) (a|an)\b|\bwhat does .+ (mean|stand for)\b|^\s*define\b|\bmeaning of\b/i,
  ],
  [
    'yesno',
    /^\s*(is|are|can|could|do|does|did|may|might|must|should|shall|will|would|am|was|were|has|have|had)\b/i,
  ],
];

/** Classifies a question by what it asks for (amount, duration, person, ...), 'other' when unsure. */
export function classifyQuestion(question: string): AnswerType {
  for (const [type, pattern] of RULES) if (pattern.test(question)) return type;
  return 'other';
}

/** Entity types that answer each type of question, best first. */
export const ANSWER_ENTITIES: Record<AnswerType, EntityType[]> = {
  amount: ['MONEY', 'PERCENT', 'QUANTITY', 'CARDINAL'],
  count: ['CARDINAL', 'QUANTITY', 'DURATION'],
  duration: ['DURATION', 'QUANTITY', 'CARDINAL'],
  datetime: ['DATE', 'TIME', 'ORDINAL'],
  time: ['TIME'],
  distance: ['QUANTITY', 'CARDINAL', 'DURATION'],
  percent: ['PERCENT', 'CARDINAL'],
  person: ['NAME'],
  place: ['NAME'],
  contact: ['PHONE', 'EMAIL', 'URL', 'CODE'],
  yesno: [],
  procedure: [],
  list: [],
  definition: [],
  reason: [],
  other: [],
};

// A question may open with the preposition of its wh-word: "at what times", "on which extension".
const WH_START =
  /^(?:(?:at|on|in|to|from|by|for|with|until|till|since|during|after|before|under|about|of)\s+(?=what|which|who|whom|whose|when|where|how)\b)?(what|which|who|whom|whose|when|where|why|how|is|are|can|could|do|does|did|may|must|should|will|would|has|have)\b/i;
const DETERMINER_START = /^(the|my|our|their|his|her|its|a|an)\b/i;

/**
 * Splits a question that asks several things into standalone parts: separate sentences ("What is X? And
 * Y?"), clauses joined by "and"/"also"/";" that each start like a question ("What is the per diem and how
 * do I claim it?"), and coordinated objects of one question frame ("What is the domestic per diem and the
 * mileage rate?" -> "What is the domestic per diem?", "What is the mileage rate?"). A single question comes
 * back as itself.
 */
export function splitQuestion(question: string): string[] {
  const sentences = question
    .split(/(?<=[?])\s+|;\s*/)
    .map((part) => part.trim())
    .filter((part) => /[\p{L}\p{N}]/u.test(part));
  const parts: string[] = [];
  for (const sentence of sentences) {
    const clauses = sentence.split(/,?\s+(?:and also|and|also|as well as|plus)\s+/i);
    if (clauses.length === 1) {
      parts.push(sentence);
      continue;
    }
    // The question's frame: its words up to and including the verb that follows the wh-word.
    const frame = /^\s*((?:what|which|who|when|where|how \w+)\s+(?:is|are|was|were|do|does|did)\s+)/i.exec(
      clauses[0] ?? '',
    )?.[1];
    let current = clauses[0] ?? '';
    for (const clause of clauses.slice(1)) {
      const bare = clause.replace(/^(what about|how about)\s+/i, '');
      if (WH_START.test(clause)) {
        parts.push(current);
        current = clause;
      } else if (frame && (DETERMINER_START.test(bare) || bare !== clause)) {
        parts.push(current);
        current = `${frame}${bare}`;
      } else {
        current = `${current} and ${clause}`;
      }
    }
    parts.push(current);
  }
  return parts.map((part) => {
    const clean = part.replace(/^(and|also|plus)\s+/i, '').replace(/[\s?.!]+$/, '');
    return `${clean.charAt(0).toUpperCase()}${clean.slice(1)}?`;
  });
}

/** Greetings, thanks, "who are you", "what can you do": answered without searching. */
export type SmallTalk = 'greeting' | 'thanks' | 'identity' | 'help' | 'farewell';

const SMALL_TALK: [SmallTalk, RegExp][] = [
  [
    'greeting',
    /^(hi+|hello+|hey+|hiya|howdy|yo|greetings|good (morning|afternoon|evening|day)|morning|hallo|hola)( there| all| team| clearance| bot)?$/,
  ],
  [
    'thanks',
    /^(thanks?|thank you)\b.{0,40}$|^(thx|ty|cheers|many thanks|great,? thanks?|ok,? thanks?|perfect,? thanks?|that'?s (great|helpful|perfect)|(very )?helpful|awesome|great|perfect|nice|ok|okay|cool)( (a lot|so much|again))?$/,
  ],
  ['farewell', /^(bye|goodbye|see you( later)?|good night|cya|later)$/],
  [
    'identity',
    /^(who|what) are you$|^(what is|what's) your name$|^are you (a bot|human|an ai|a person|real)$|^(who|what) (am i talking|is this)( to| with)?$|^introduce yourself$/,
  ],
  [
    'help',
    /^(help|what can you do|what do you do|how (can|do) (you|i) (help|use you|use this)|what can i ask( you)?|what (do|can) you know( about)?|what are you for|how does this work|what questions can i ask|what can you help (me )?with|what (kinds?|sorts?|types?) of (questions|things) (can|should|may) i ask( you)?|what (questions|things) can i ask( you)?)$/,
  ],
];

/**
 * Recognises a message that is small talk rather than a question about documents. Greetings followed by
 * a real question ("hi, what is the per diem?") are not small talk: the question gets answered.
 */
export function detectSmallTalk(message: string): SmallTalk | null {
  const text = message
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '' || text.split(' ').length > 8) return null;
  const stripped = text.replace(/^(hi|hello|hey|ok|okay|so|well|and|but)\s+(?=\S)/, '');
  // "Thanks! And what is the mileage rate?" thanks and asks: the question gets answered.
  const asks = message.includes('?');
  for (const candidate of new Set([text, stripped])) {
    for (const [kind, pattern] of SMALL_TALK) {
      if (pattern.test(candidate) && !(asks && (kind === 'thanks' || kind === 'greeting'))) return kind;
    }
  }
  return null;
}
