import type { Db } from '@clearance/db';
import { type ParsedDocument, runManaged, titleFromFilename } from '@clearance/retrieval';

// A title is a line: longer "headings" are sentences a parser mistook for one.
const MAX_TITLE_CHARS = 200;

/**
 * The title a document gives itself: its metadata title (PDF), else its first top-level heading (a
 * Markdown `#`, an HTML <title> or <h1>, a Word Heading 1), else its first heading. Null when it has
 * none, or when the metadata title is just a file name ("report.docx", "Microsoft Word - x").
 */
export function titleFromContent(parsed: ParsedDocument): string | null {
  const clean = (text: string | null | undefined) => text?.replace(/\s+/g, ' ').trim() ?? '';
  const metadata = clean(parsed.title);
  if (metadata && !/\.[a-z0-9]{2,5}$/i.test(metadata) && !/^microsoft (word|powerpoint)/i.test(metadata)) {
    return metadata.slice(0, MAX_TITLE_CHARS);
  }
  const headings = parsed.blocks.filter((block) => block.kind === 'heading');
  const top = headings.find((block) => (block.level ?? 1) === 1) ?? headings[0];
  const heading = clean(top?.text);
  return heading && heading.length <= MAX_TITLE_CHARS ? heading : null;
}

/**
 * Gives a document the title found in its content when its title is still the one made from the file
 * name (an admin's or uploader's own title is never replaced, nor one edited meanwhile).
 */
export async function adoptDocumentTitle(db: Db, versionId: string, parsed: ParsedDocument): Promise<void> {
  const title = titleFromContent(parsed);
  if (!title) return;
  await runManaged(db, async (tx) => {
    const version = await tx.documentVersion.findUnique({
      where: { id: versionId },
      select: { document: { select: { id: true, title: true, filename: true } } },
    });
    const document = version?.document;
    if (!document?.filename || document.title === title) return;
    if (document.title !== titleFromFilename(document.filename)) return;
    await tx.document.updateMany({ where: { id: document.id, title: document.title }, data: { title } });
  });
}
