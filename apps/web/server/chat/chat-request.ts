import 'server-only';
import { z } from 'zod';
import { MAX_QUESTION_CHARS } from './answer-question.ts';

/**
 * The body of POST /api/chat. Only these fields are read: anything else a client sends (documentIds,
 * roleIds, userId…) is dropped by the schema, so a request cannot widen its own scope.
 */
export const ZChatRequest = z
  .object({
    conversationId: z.uuid().optional(),
    message: z.string().max(MAX_QUESTION_CHARS).optional(),
    regenerate: z.boolean().optional(),
  })
  .refine((body) => body.regenerate || (body.message?.trim().length ?? 0) > 0, {
    message: 'message: must be a non-empty string',
  })
  .refine((body) => !body.regenerate || body.conversationId, {
    message: 'conversationId: required when regenerate is true',
  });
export type ChatRequest = z.infer<typeof ZChatRequest>;
