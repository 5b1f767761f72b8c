import 'server-only';
import type { AccessScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { type Passage, searchChunks } from '@clearance/retrieval';
import type { ChatPassage } from './types.ts';

/** Passages retrieved for a question, and the question with misspelt words corrected when any was. */
export type RetrievedPassages = { passages: ChatPassage[]; correctedQuery?: string };

/**
 * Passages for a question, searched in the caller's scope (searchChunks enforces it in SQL and under
 * row-level security), numbered 1..n in rank order for citation.
 */
export async function retrievePassages(
  db: Db,
  input: { scope: AccessScope; query: string; k: number },
): Promise<RetrievedPassages> {
  const result = await searchChunks(db, { scope: input.scope, query: input.query, k: input.k });
  return { passages: toChatPassages(result.passages), correctedQuery: result.correctedQuery };
}

/** Numbers search results 1..n, in rank order, for citation. */
export function toChatPassages(passages: Passage[]): ChatPassage[] {
  return passages.map((passage, index) => ({
    marker: index + 1,
    chunkId: passage.chunkId,
    documentId: passage.documentId,
    versionId: passage.versionId,
    title: passage.title,
    page: passage.page,
    headingPath: passage.headingPath,
    text: passage.text,
  }));
}
