/** A passage as the chat sees it: retrieved in the caller's scope and numbered for citation. */
export type ChatPassage = {
  marker: number;
  chunkId: string;
  documentId: string;
  versionId: string;
  title: string;
  page: number | null;
  headingPath: string[];
  text: string;
};

/** A checked citation: its marker refers to a passage retrieved in this scope for this answer. */
export type ChatCitation = {
  marker: number;
  chunkId: string;
  documentId: string;
  versionId: string;
  title: string;
  page: number | null;
  headingPath: string[];
  quote: string;
};

/**
 * The events of one answer, in order: meta, delta*, citations, done — or error at any point. Sent as
 * newline-delimited JSON by /api/chat and as server-sent events by /api/v1/chat.
 */
export type ChatEvent =
  | { type: 'meta'; conversationId: string; messageId: string; userMessageId: string; title: string }
  | { type: 'delta'; text: string }
  | { type: 'citations'; citations: ChatCitation[] }
  | {
      type: 'done';
      status: 'complete' | 'stopped';
      unanswered: boolean;
      content: string;
      ttftMs: number | null;
      latencyMs: number;
    }
  | { type: 'error'; message: string };
