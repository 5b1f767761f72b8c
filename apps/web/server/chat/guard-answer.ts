import 'server-only';

/** Stands where an image was: the browser (or an API client's renderer) must never fetch its URL. */
export const IMAGE_REMOVED_TEXT = '(image removed)';
/** Stands where a link to another site was. */
export const LINK_REMOVED_TEXT = '(link removed)';
/** Stands where a line of the system prompt was repeated. */
export const INSTRUCTIONS_WITHHELD_TEXT = '(instructions withheld)';

// Longest stretch held back while it may still become a link, an image or a tag: past it the text is
// released with its brackets defused, so a runaway '[' never stalls the stream.
const MAX_HOLD = 2_000;
// Constructs that may still be completed by the next delta (each anchored at the end of the text).
const INCOMPLETE = [
  /!$/, // the start of an image
  /!?\[[^\]\n]*$/, // link or image text in progress (also a citation marker like "[1")
  /!?\[[^\]\n]*\]$/, // "[text]" that a "(" may follow
  /!?\[[^\]\n]*\]\([^)\n]*$/, // "[text](url" in progress
  /<[^>\n]*$/, // an autolink or HTML tag in progress
  /\bh(?:t(?:t(?:p(?:s?(?::(?:\/\/?)?)?)?)?)?)?$/i, // a URL scheme in progress
  // A bare URL in progress, with BARE_URL's characters: a ')' ends it, so a finished "[x](url)" is
  // never split between its text and its URL.
  /\bhttps?:\/\/[^\s<>()[\]]*$/i,
  /\bw(?:w(?:w(?:\.[^\s<>()[\]]*)?)?)?$/i, // GitHub-flavoured Markdown also links bare www. addresses
];
const IMAGE = /!\[([^\]\n]*)\]\(([^)\n]*)\)/g;
const LINK = /\[([^\]\n]*)\]\(([^)\s]*)(?:\s+"[^"\n]*")?\)/g;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:[ \t]*(\S+).*$/gm;
const HTML_TAG =
  /<\/?\s*(?:img|a|iframe|image|svg|video|audio|source|link|meta|script|style|object|embed|form)\b[^>]*>/gi;
const AUTOLINK = /<((?:https?:|mailto:|www\.)[^>\s]*)>/gi;
const BARE_URL = /\b(?:https?:\/\/|www\.)[^\s<>()[\]]+/gi;

/**
 * Whether a URL stays on this app: a path (`/documents/…`), an in-page anchor (`#cite-1`) or an
 * absolute URL of `appOrigin`. Everything else leaves it.
 */
export function isAppUrl(url: string, appOrigin?: string): boolean {
  const value = url.trim();
  if (value.startsWith('#')) return true;
  if (value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) return true;
  if (!appOrigin) return false;
  try {
    return new URL(value).origin === new URL(appOrigin).origin;
  } catch {
    return false;
  }
}

/**
 * Defuses what an answer could use to send data out of the app, on text that holds no unfinished
 * construct: every image (a renderer fetches its URL without a click, with whatever the model put in
 * it), raw HTML tags that load or link, and links, autolinks, reference definitions and bare URLs that
 * point to another host. The link's text stays; its target goes.
 */
export function neutraliseLinks(text: string, appOrigin?: string): string {
  return text
    .replace(IMAGE, (_whole, alt: string) =>
      alt.trim() ? `${alt.trim()} ${IMAGE_REMOVED_TEXT}` : IMAGE_REMOVED_TEXT,
    )
    .replace(HTML_TAG, '')
    .replace(LINK, (whole, label: string, url: string) =>
      isAppUrl(url, appOrigin) ? whole : `${label} ${LINK_REMOVED_TEXT}`,
    )
    .replace(REFERENCE_DEFINITION, (whole, url: string) =>
      isAppUrl(url, appOrigin) ? whole : LINK_REMOVED_TEXT,
    )
    .replace(AUTOLINK, (whole, url: string) => (isAppUrl(url, appOrigin) ? whole : LINK_REMOVED_TEXT))
    .replace(BARE_URL, (url) => (isAppUrl(url, appOrigin) ? url : LINK_REMOVED_TEXT));
}

/** The lines of the instructions worth protecting, without their list numbers ("3. "). */
function protectedLines(instructions: string): string[] {
  return instructions
    .split('\n')
    .map((line) => line.replace(/^\s*\d+\.\s*/, '').trim())
    .filter((line) => line.length >= 40);
}

/** Replaces every verbatim line of the instructions in `text`. */
function withholdInstructions(text: string, lines: string[]): string {
  let out = text;
  for (const line of lines) out = out.split(line).join(INSTRUCTIONS_WITHHELD_TEXT);
  return out;
}

/** Where the text may still turn into a protected line or a link: everything from there is held back. */
function findHoldStart(text: string, lines: string[]): number {
  let hold = text.length;
  for (const pattern of INCOMPLETE) {
    const match = pattern.exec(text);
    if (match && match.index < hold) hold = match.index;
  }
  for (const line of lines) {
    for (let k = Math.min(line.length - 1, text.length); k > 0 && text.length - k < hold; k--) {
      if (text.endsWith(line.slice(0, k))) {
        hold = text.length - k;
        break;
      }
    }
  }
  return hold;
}

/**
 * Filters a model's streamed answer before anyone sees it (server-side, so API clients get the same
 * guarantee as the web UI): what a prompt injection could make the model print to exfiltrate data
 * (images, links and URLs to other hosts) is neutralised, and lines of the system prompt are withheld.
 * Text that may still become one of these is held back until it is clearly one or clearly not, so the
 * streamed text equals the stored answer.
 */
export function createAnswerGuard(options: { instructions: string; appOrigin?: string }) {
  const lines = protectedLines(options.instructions);
  let pending = '';
  const clean = (text: string) => neutraliseLinks(withholdInstructions(text, lines), options.appOrigin);
  return {
    /** Text safe to show now. */
    push(delta: string): string {
      pending += delta;
      let hold = findHoldStart(pending, lines);
      if (pending.length - hold > MAX_HOLD) {
        // Too long to be a link still in progress: release it with its brackets defused, so nothing
        // later can complete it into one.
        pending = pending.replace(/[[\]<>]/g, (c) => `\\${c}`);
        hold = pending.length;
      }
      const ready = pending.slice(0, hold);
      pending = pending.slice(hold);
      return clean(ready);
    },
    /** Whatever is still held back, at the end of the stream. */
    flush(): string {
      const rest = clean(pending);
      pending = '';
      return rest;
    },
  };
}
