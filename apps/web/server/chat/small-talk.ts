import 'server-only';
import type { AccessScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import type { SmallTalk } from '@clearance/text';
import { findReadableDocuments } from '../documents.ts';

/** Titles named in a small-talk reply: enough to show what can be asked, short enough to read. */
const TITLES_SHOWN = 6;

/**
 * A short, friendly reply to small talk that says what the assistant answers from: the titles of the
 * documents this user may read (never anyone else's), or that none are shared with them yet. No search
 * runs, so no passage is shown or cited.
 */
export async function replyToSmallTalk(db: Db, scope: AccessScope, kind: SmallTalk): Promise<string> {
  if (kind === 'thanks') return "You're welcome! Ask me anything else about your documents.";
  if (kind === 'farewell') return 'Goodbye! Come back any time you have a question about your documents.';
  const documents = await findReadableDocuments(db, scope, { limit: TITLES_SHOWN + 1 });
  const opening =
    kind === 'greeting'
      ? "Hello! I'm Clearance, your document assistant."
      : "I'm Clearance, an assistant that answers questions from your organisation's documents.";
  if (documents.length === 0) {
    return `${opening} No documents are shared with your roles yet, so there is nothing I can answer from. Ask an administrator to share the documents you need.`;
  }
  const titles = documents.slice(0, TITLES_SHOWN).map((document) => document.title);
  const more = documents.length > TITLES_SHOWN ? ', and more' : '';
  return `${opening} I answer from the documents you have access to, such as ${titles.join(', ')}${more}, and I cite the passage each answer comes from. Ask me a question, for example about a policy, a figure or a procedure.`;
}
