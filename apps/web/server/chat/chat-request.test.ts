import { describe, expect, it } from 'vitest';
import { ZChatRequest } from './chat-request.ts';

describe('chat request body', () => {
  it('drops fields that could widen the scope', () => {
    const parsed = ZChatRequest.parse({
      message: 'What is the travel policy?',
      documentIds: ['00000000-0000-4000-8000-000000000000'],
      roleIds: ['00000000-0000-4000-8000-000000000001'],
      userId: 'someone-else',
    });
    expect(parsed).toEqual({ message: 'What is the travel policy?' });
  });

  it('says what is wrong', () => {
    expect(ZChatRequest.safeParse({ message: '  ' }).error?.issues[0]?.message).toMatch(/message/);
    expect(ZChatRequest.safeParse({ regenerate: true }).error?.issues[0]?.message).toMatch(/conversationId/);
    expect(ZChatRequest.safeParse({ message: 'x', conversationId: 'nope' }).success).toBe(false);
  });
});
