// Test-only helpers: users, roles and ready documents written straight into the tables the way
// ingestion leaves them, plus scripted generators and a lexical retriever.
import { createHash, randomUUID } from 'node:crypto';
import type { AccessScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { type Generator, LocalChatModel } from '@clearance/inference';
import { ScopedRetriever, type ScopedRetrieverInput, updateLexicalStats } from '@clearance/retrieval';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk } from '@langchain/core/outputs';

/** A user holding new roles named `roleNames` (suffixed to be unique); returns its session scope. */
export async function createUserWithRoles(
  db: Db,
  suffix: string,
  roleNames: string[],
  options: { isAdmin?: boolean } = {},
): Promise<AccessScope> {
  const roles = await Promise.all(
    roleNames.map((name) =>
      db.role.create({ data: { name: `${name}-${suffix}-${randomUUID().slice(0, 6)}` } }),
    ),
  );
  const user = await db.user.create({
    data: {
      email: `user-${suffix}-${randomUUID().slice(0, 8)}@example.test`,
      isAdmin: options.isAdmin ?? false,
      roles: { create: roles.map((role) => ({ roleId: role.id })) },
    },
  });
  return {
    userId: user.id,
    roleIds: roles.map((role) => role.id).sort(),
    isAdmin: user.isAdmin,
    via: 'session',
  };
}

/** A ready, current document granted to `roleIds`, one chunk per text. */
export async function publishTestDocument(
  db: Db,
  input: { title: string; chunks: string[]; roleIds: string[] },
): Promise<{ documentId: string; versionId: string; chunkIds: string[] }> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT set_config('clearance.mode', 'manage', true)`;
      const body = input.chunks.join('\n\n');
      const sha256 = createHash('sha256').update(`${randomUUID()}${body}`).digest('hex');
      await tx.$executeRaw`INSERT INTO blobs (sha256, mime, bytes) VALUES (${sha256}, 'text/plain', ${body.length})`;
      const documentId = randomUUID();
      const versionId = randomUUID();
      await tx.$executeRaw`INSERT INTO documents (id, title) VALUES (${documentId}::uuid, ${input.title})`;
      await tx.$executeRaw`
        INSERT INTO document_versions (id, document_id, number, sha256, mime, bytes, status, stage, progress, chunk_count)
        VALUES (${versionId}::uuid, ${documentId}::uuid, 1, ${sha256}, 'text/plain', ${body.length}, 'ready', 'ready', 100, ${input.chunks.length})`;
      const chunkIds: string[] = [];
      let offset = 0;
      for (const [ordinal, text] of input.chunks.entries()) {
        const id = randomUUID();
        chunkIds.push(id);
        await tx.$executeRaw`
          INSERT INTO chunks (id, version_id, document_id, ordinal, text, page, heading_path, char_start, char_end, tokens)
          VALUES (${id}::uuid, ${versionId}::uuid, ${documentId}::uuid, ${ordinal}, ${text}, 1, ${['Section']}::text[],
            ${offset}, ${offset + text.length}, ${text.split(/\s+/).length})`;
        offset += text.length + 2;
      }
      await updateLexicalStats(tx, { added: [versionId], removed: [] });
      await tx.$executeRaw`UPDATE documents SET current_version_id = ${versionId}::uuid WHERE id = ${documentId}::uuid`;
      for (const roleId of input.roleIds) {
        await tx.$executeRaw`INSERT INTO document_grants (document_id, role_id) VALUES (${documentId}::uuid, ${roleId}::uuid)`;
      }
      return { documentId, versionId, chunkIds };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/** Stores citation [1] of `messageId` pointing at the document's first chunk (as the answer path does). */
export async function citeFirstChunk(
  db: Db,
  messageId: string,
  doc: { documentId: string; versionId: string; chunkIds: string[] },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT set_config('clearance.mode', 'manage', true)`;
    await tx.citation.create({
      data: {
        messageId,
        chunkId: doc.chunkIds[0],
        documentId: doc.documentId,
        versionId: doc.versionId,
        marker: 1,
        quote: 'q',
      },
    });
  });
}

/**
 * A generator (a LangChain chat model) that streams `deltas`, waiting `delayMs` before each, and stops
 * promptly when the signal aborts (as the real backends do).
 */
export function createScriptedGenerator(deltas: string[], delayMs = 0): Generator {
  return new ScriptedChatModel(deltas, delayMs);
}

/** A language model that produces nothing until it is aborted. */
export function createSilentGenerator(): Generator {
  return new ScriptedChatModel([], 0, { waitForAbort: true });
}

class ScriptedChatModel extends LocalChatModel {
  constructor(
    private readonly deltas: string[],
    private readonly delayMs: number,
    private readonly behaviour: { waitForAbort?: boolean } = {},
  ) {
    super('scripted-test', 'cpu');
  }

  _llmType(): string {
    return 'scripted-test';
  }

  override async *_streamResponseChunks(
    _messages: BaseMessage[],
    options: this['ParsedCallOptions'],
  ): AsyncGenerator<ChatGenerationChunk> {
    const { signal } = options;
    if (this.behaviour.waitForAbort) {
      await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
      return;
    }
    let produced = 0;
    for (const delta of this.deltas) {
      if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (signal?.aborted) return;
      produced += 1;
      yield new ChatGenerationChunk({ text: delta, message: new AIMessageChunk(delta) });
    }
    yield new ChatGenerationChunk({
      text: '',
      message: new AIMessageChunk({
        content: '',
        usage_metadata: { input_tokens: 10, output_tokens: produced, total_tokens: 10 + produced },
      }),
      generationInfo: { finish_reason: 'stop' },
    });
  }
}

/** The scope's retriever, searching lexically only: deterministic and independent of the embedding model. */
export function createLexicalRetriever(input: ScopedRetrieverInput): ScopedRetriever {
  return new ScopedRetriever({ ...input, embedder: null });
}
