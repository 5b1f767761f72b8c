import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import type { Embedder } from './embedder.ts';

/** LangChain Embeddings over a Clearance embedder (documents and queries get their model prefixes). */
export class ClearanceEmbeddings extends Embeddings {
  constructor(
    readonly embedder: Embedder,
    params: EmbeddingsParams = {},
  ) {
    super(params);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    const vectors = await this.embedder.embed(documents, { kind: 'document' });
    return vectors.map((v) => Array.from(v));
  }

  async embedQuery(document: string): Promise<number[]> {
    const [vector] = await this.embedder.embed([document], { kind: 'query' });
    return Array.from(vector!);
  }
}
