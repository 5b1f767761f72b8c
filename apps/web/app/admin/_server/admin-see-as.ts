import 'server-only';
import { type AccessScope, recordAudit, requireAdmin, withManage } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { AppError } from '@clearance/errors';
import { type QueryEmbedder, searchChunks } from '@clearance/retrieval';
import { z } from 'zod';
import { type AnswerPreview, previewAnswer } from '../../../server/chat/preview-answer.ts';
import { findReadableDocumentIds } from '../../../server/documents.ts';

export const ZSeeAsInput = z
  .strictObject({
    question: z.string().trim().min(1, 'type a question').max(2000),
    /** Preview as these roles... */
    roleIds: z.array(z.uuid()).max(200).optional(),
    /** ...or as this user's current roles. */
    userId: z.uuid().optional(),
    k: z.number().int().min(1).max(50).default(10),
  })
  .refine((input) => (input.roleIds === undefined) !== (input.userId === undefined), {
    message: 'choose either roles or a user',
  });
export type SeeAsInput = z.input<typeof ZSeeAsInput>;

export type SeeAsResult = {
  subject: {
    kind: 'roles' | 'user';
    label: string;
    roles: { id: string; name: string }[];
    disabled: boolean;
  };
  question: string;
  passages: {
    rank: number;
    chunkId: string;
    documentId: string;
    title: string;
    page: number | null;
    headingPath: string[];
    /** Null unless the admin's own roles may read the document: the preview shows what, not the text. */
    text: string | null;
  }[];
  /**
   * The answer this scope would get (generated now, stored nowhere). Withheld (empty, isWithheld) unless
   * the admin's own roles may read every document it was written from: it quotes them.
   */
  answer: AnswerPreview & { isWithheld: boolean };
  /** Searchable documents this scope can't read, with the roles that can. */
  hidden: { id: string; title: string; roles: string[] }[];
  readableCount: number;
};

/**
 * Runs `question` through the same scoped search employees get, as a role set or a user, and lists the
 * searchable documents that scope can't read: the governance preview before granting (admin only).
 * A disabled user previews as nobody, because that is what they can read. Audited as `admin.see_as`.
 */
export async function previewAs(
  db: Db,
  actor: AccessScope,
  input: SeeAsInput,
  options: { embedder?: QueryEmbedder | null } = {},
): Promise<SeeAsResult> {
  requireAdmin(actor);
  const parsed = ZSeeAsInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('bad_request:see_as', `${issue.path.join('.') || 'input'}: ${issue.message}`);
  }
  const { question, k } = parsed.data;
  let subject: SeeAsResult['subject'];
  if (parsed.data.userId) {
    const user = await db.user.findUnique({
      where: { id: parsed.data.userId },
      select: {
        email: true,
        disabledAt: true,
        roles: { select: { role: { select: { id: true, name: true } } } },
      },
    });
    if (!user) throw new AppError('not_found:user');
    subject = {
      kind: 'user',
      label: user.email,
      roles: user.roles.map((entry) => entry.role).sort((a, b) => a.name.localeCompare(b.name)),
      disabled: Boolean(user.disabledAt),
    };
  } else {
    const wanted = [...new Set(parsed.data.roleIds)];
    const roles = await db.role.findMany({
      where: { id: { in: wanted } },
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
    });
    if (roles.length !== wanted.length) throw new AppError('not_found:role', 'Unknown role.');
    subject = {
      kind: 'roles',
      label: roles.map((role) => role.name).join(', ') || 'no roles',
      roles,
      disabled: false,
    };
  }
  const roleIds = subject.disabled ? [] : subject.roles.map((role) => role.id);
  // The preview scope never carries admin: admin is a management permission, not a data clearance.
  const scope = { userId: parsed.data.userId ?? actor.userId, roleIds, isAdmin: false };
  const result = await searchChunks(db, {
    scope,
    query: question,
    k,
    ...(options.embedder !== undefined ? { embedder: options.embedder } : {}),
  });
  const answer = await previewAnswer(db, { scope: { ...scope, via: actor.via }, question });
  const { hidden, readableCount } = await withManage(db, async (tx) => {
    const rows = await tx.$queryRaw<
      { id: string; title: string; roles: string[] | null; readable: boolean }[]
    >`
      SELECT d.id::text, d.title,
        (SELECT array_agg(r.name ORDER BY r.name) FROM document_grants g JOIN roles r ON r.id = g.role_id
         WHERE g.document_id = d.id) AS roles,
        EXISTS (SELECT 1 FROM document_grants g WHERE g.document_id = d.id AND g.role_id = ANY(${roleIds}::uuid[])) AS readable
      FROM documents d JOIN document_versions v ON v.id = d.current_version_id AND v.status = 'ready'
      WHERE d.deleted_at IS NULL
      ORDER BY d.title LIMIT 2000`;
    return {
      hidden: rows
        .filter((row) => !row.readable)
        .map((row) => ({ id: row.id, title: row.title, roles: row.roles ?? [] })),
      readableCount: rows.filter((row) => row.readable).length,
    };
  });
  // Which passages, in which order, is the governance preview; their text is a read, and the admin
  // reads only what the admin's own roles may.
  const readable = await findReadableDocumentIds(
    db,
    actor,
    result.passages.map((passage) => passage.documentId),
  );
  const answerReadable = await findReadableDocumentIds(db, actor, answer.sourceDocumentIds);
  const isWithheld = answer.sourceDocumentIds.some((id) => !answerReadable.has(id));
  const shownAnswer = isWithheld
    ? {
        ...answer,
        content: '',
        citations: answer.citations.map((citation) => ({ ...citation, quote: '' })),
        isWithheld,
      }
    : { ...answer, isWithheld };
  const passages = result.passages.map((passage, index) => ({
    rank: index + 1,
    chunkId: passage.chunkId,
    documentId: passage.documentId,
    title: passage.title,
    page: passage.page,
    headingPath: passage.headingPath,
    text: readable.has(passage.documentId) ? passage.text : null,
  }));
  await recordAudit(db, {
    actorId: actor.userId,
    action: 'admin.see_as',
    target: parsed.data.userId ? `user:${parsed.data.userId}` : null,
    text: question,
    data: {
      via: actor.via,
      roleIds,
      retrieved: passages.map(({ chunkId, documentId }) => ({ chunkId, documentId })),
      // The passages whose text the admin was shown (their own roles' documents).
      shown: passages.flatMap((passage) => (passage.text === null ? [] : [passage.chunkId])),
      cited: shownAnswer.citations.map(({ chunkId, documentId, marker }) => ({
        chunkId,
        documentId,
        marker,
      })),
    },
  });
  return {
    subject,
    question: result.query || question,
    passages,
    answer: shownAnswer,
    hidden,
    readableCount,
  };
}
