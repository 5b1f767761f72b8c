import 'server-only';
import type { AccessScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { createGroundedMessage, type Generator } from '@clearance/inference';
import { type PassageMetadata, ScopedRetriever, type ScopedRetrieverInput } from '@clearance/retrieval';
import { splitQuestion } from '@clearance/text';
import type { Document } from '@langchain/core/documents';
import { AIMessageChunk, type BaseMessageLike } from '@langchain/core/messages';
import type { BaseRetriever } from '@langchain/core/retrievers';
import {
  type Runnable,
  type RunnableConfig,
  RunnableLambda,
  RunnableSequence,
} from '@langchain/core/runnables';
import { buildPrompt } from './build-prompt.ts';
import { type HistoryTurn, rewriteQuestion } from './rewrite-question.ts';
import type { ChatPassage } from './types.ts';

// 6 passages: enough for a question's context, few enough for a small model's. A question in several
// parts retrieves for each part (at least PASSAGES_PER_PART each, at most MAX_PASSAGES in all), so every
// part is answered from its own best passages, across documents.
const PASSAGES_PER_ANSWER = 6;
const PASSAGES_PER_PART = 4;
const MAX_PASSAGES = 10;
export const MAX_ANSWER_TOKENS = 512;

/** What the chain is asked: the question as asked and the conversation before it. */
export type AnswerChainInput = { question: string; history: HistoryTurn[] };

/**
 * The one typed input of the prompt step: the standalone question (spelling corrected when it was),
 * its passages numbered 1..n for citation, and the conversation for context.
 */
export type GroundedAnswerInput = {
  question: string;
  passages: ChatPassage[];
  history: HistoryTurn[];
  /** Set when misspelt words were corrected to words of the asker's own documents. */
  correctedQuery?: string;
};

export type AnswerChainOptions = {
  db: Db;
  /** The asker's scope: fixed here, in the retriever, never read from the chain's input. */
  scope: AccessScope;
  generator: Generator;
  /**
   * Called with the passages before the model starts: the caller records what was retrieved and shows
   * the spelling correction while the answer is being generated.
   */
  onRetrieved?: (grounded: GroundedAnswerInput) => Promise<void> | void;
  /** Test seam: the retriever for the scope (default ScopedRetriever: searchChunks, configured embedder). */
  createRetriever?: (input: ScopedRetrieverInput) => BaseRetriever<PassageMetadata>;
};

/**
 * The answer path as one LangChain runnable: rewrite a follow-up into a standalone question ->
 * retrieve in the asker's scope (ScopedRetriever) -> number the passages -> prompt (instructions apart
 * from the fenced passages) -> the generator's chat model. `.stream(input, { signal })` yields the
 * model's message chunks (token counts and the extractive engine's outcome on the last one); with no
 * passages it yields one empty chunk and the model is not called. Build one per question: its scope,
 * retrievers and spelling corrections belong to one asker and one run.
 */
export function createAnswerChain(options: AnswerChainOptions): Runnable<AnswerChainInput, AIMessageChunk> {
  const { db, scope, generator } = options;
  const createRetriever = options.createRetriever ?? ((input) => new ScopedRetriever(input));
  // The spelling correction is not part of any Document; the retriever reports it per query.
  const corrections = new Map<string, string | undefined>();
  const retrievers = new Map<number, BaseRetriever<PassageMetadata>>();
  const retrieverFor = (k: number) => {
    let retriever = retrievers.get(k);
    if (!retriever) {
      retriever = createRetriever({
        db,
        scope,
        k,
        onSearch: (query, result) => corrections.set(query, result.correctedQuery),
      });
      retrievers.set(k, retriever);
    }
    return retriever;
  };
  const search = async (query: string, k: number, config?: RunnableConfig) => ({
    documents: await retrieverFor(k).invoke(query, config),
    correctedQuery: corrections.get(query),
  });

  const rewrite = RunnableLambda.from(
    async (input: AnswerChainInput, config?: RunnableConfig): Promise<AnswerChainInput> => ({
      history: input.history,
      question: await rewriteQuestion({ ...input, generator, signal: config?.signal }),
    }),
  ).withConfig({ runName: 'rewriteQuestion' });

  const retrieve = RunnableLambda.from(
    async (input: AnswerChainInput, config?: RunnableConfig): Promise<GroundedAnswerInput> => {
      const { passages, correctedQuery } = await retrieveForParts(input.question, search, config);
      return {
        question: correctedQuery ?? input.question,
        passages,
        history: input.history,
        correctedQuery,
      };
    },
  ).withConfig({ runName: 'retrievePassages' });

  const announce = RunnableLambda.from(async (grounded: GroundedAnswerInput) => {
    await options.onRetrieved?.(grounded);
    return grounded;
  }).withConfig({ runName: 'announcePassages' });

  const answerFromPassages = RunnableLambda.from(toPromptMessages)
    .withConfig({ runName: 'buildPrompt' })
    .pipe(generator.withConfig({ maxTokens: MAX_ANSWER_TOKENS, temperature: 0 }));
  const nothingToAnswerFrom = RunnableLambda.from(() => new AIMessageChunk(''));
  const answer = RunnableLambda.from((grounded: GroundedAnswerInput) =>
    grounded.passages.length > 0 ? answerFromPassages : nothingToAnswerFrom,
  ).withConfig({ runName: 'answer' });

  return RunnableSequence.from([rewrite, retrieve, announce, answer]);
}

/**
 * The prompt step: buildPrompt's messages, the last of which (the fenced passages and the question) also
 * carries the question and passages as data, for the extractive engine.
 */
export function toPromptMessages(grounded: GroundedAnswerInput): BaseMessageLike[] {
  const messages = buildPrompt(grounded);
  const user = messages.pop();
  if (!user) throw new Error('buildPrompt returned no messages');
  return [
    ...messages,
    createGroundedMessage(user.content, {
      question: grounded.question,
      passages: grounded.passages.map(({ marker, text, title }) => ({ marker, text, title })),
    }),
  ];
}

type Search = (
  query: string,
  k: number,
  config?: RunnableConfig,
) => Promise<{ documents: Document<PassageMetadata>[]; correctedQuery?: string }>;

/**
 * Passages for a question, and for each of its parts when it asks several things ("What is the per diem
 * and the mileage rate?"): every part gets its own best passages, merged without repeats and numbered
 * 1..n in that order.
 */
async function retrieveForParts(
  question: string,
  search: Search,
  config?: RunnableConfig,
): Promise<{ passages: ChatPassage[]; correctedQuery?: string }> {
  const parts = splitQuestion(question);
  if (parts.length <= 1) {
    const { documents, correctedQuery } = await search(question, PASSAGES_PER_ANSWER, config);
    return {
      passages: documents.map((document, index) => toChatPassage(document, index + 1)),
      correctedQuery,
    };
  }
  const perPart = Math.max(PASSAGES_PER_PART, Math.ceil(PASSAGES_PER_ANSWER / parts.length));
  const results = await Promise.all(parts.map((part) => search(part, perPart, config)));
  const merged: ChatPassage[] = [];
  const seen = new Set<string>();
  // Round robin over the parts: each part's best passage comes before any part's second best.
  for (let rank = 0; rank < perPart; rank++) {
    for (const result of results) {
      const document = result.documents[rank];
      if (!document || seen.has(document.metadata.chunkId) || merged.length >= MAX_PASSAGES) continue;
      seen.add(document.metadata.chunkId);
      merged.push(toChatPassage(document, merged.length + 1));
    }
  }
  const corrected = results.some((result) => result.correctedQuery)
    ? results.map((result, i) => result.correctedQuery ?? parts[i]).join(' ')
    : undefined;
  return { passages: merged, correctedQuery: corrected };
}

function toChatPassage({ metadata, pageContent }: Document<PassageMetadata>, marker: number): ChatPassage {
  return {
    marker,
    chunkId: metadata.chunkId,
    documentId: metadata.documentId,
    versionId: metadata.versionId,
    title: metadata.title,
    page: metadata.page,
    headingPath: metadata.headingPath,
    text: pageContent,
  };
}
