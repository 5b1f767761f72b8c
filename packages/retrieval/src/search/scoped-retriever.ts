import type { Db } from '@clearance/db';
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import {
  type Passage,
  type QueryEmbedder,
  type SearchFilters,
  type SearchResult,
  type SearchScope,
  searchChunks,
} from './search-chunks.ts';
import type { SearchConfig } from './search-config.ts';

export type ScopedRetrieverInput = BaseRetrieverInput & {
  db: Db;
  scope: SearchScope;
  k?: number;
  filters?: SearchFilters;
  embedder?: QueryEmbedder | null;
  config?: Partial<SearchConfig>;
  /**
   * Called with each search's whole result, for what documents don't carry: the query with misspelt
   * words corrected, which the chat shows as "Showing results for …".
   */
  onSearch?: (query: string, result: SearchResult) => void;
};

/** What a retrieved Document's metadata holds: what citations need (its text is the pageContent). */
export type PassageMetadata = Omit<Passage, 'text' | 'score'>;

/**
 * A LangChain retriever bound to one access scope: every query goes through searchChunks with that
 * scope, so chains built on it can only ever see what the scope's roles may read. Document metadata
 * carries what citations need (chunk, document, version, title, page, heading path, offsets).
 */
export class ScopedRetriever extends BaseRetriever<PassageMetadata> {
  lc_namespace = ['clearance', 'retrieval'];
  private readonly input: ScopedRetrieverInput;

  constructor(input: ScopedRetrieverInput) {
    super(input);
    this.input = input;
  }

  async _getRelevantDocuments(query: string): Promise<Document<PassageMetadata>[]> {
    const { db, scope, k, filters, embedder, config, onSearch } = this.input;
    const result = await searchChunks(db, { scope, query, k: k ?? 10, filters, embedder, config });
    onSearch?.(query, result);
    return result.passages.map(
      (passage) =>
        new Document<PassageMetadata>({
          pageContent: passage.text,
          id: passage.chunkId,
          metadata: {
            chunkId: passage.chunkId,
            documentId: passage.documentId,
            versionId: passage.versionId,
            title: passage.title,
            page: passage.page,
            headingPath: passage.headingPath,
            charStart: passage.charStart,
            charEnd: passage.charEnd,
            snippet: passage.snippet,
          },
        }),
    );
  }
}
