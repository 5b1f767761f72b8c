import { describe, expect, it } from 'vitest';
import { questionFrom } from './documents.ts';

describe('suggested questions', () => {
  it('asks about a section the way a person would', () => {
    expect(questionFrom('Inspection intervals', 'Hangar manual')).toBe('What are the inspection intervals?');
    expect(questionFrom('2.1 Expense approval:', 'Expense policy')).toBe(
      'What should I know about expense approval?',
    );
    expect(questionFrom('PTO carry-over', 'Leave policy')).toBe('What should I know about PTO carry-over?');
    expect(questionFrom('How do I claim mileage', 'Travel policy')).toBe('How do I claim mileage?');
  });

  it('falls back to the title, never doubling punctuation', () => {
    expect(questionFrom(null, 'Travel policy')).toBe('What does Travel policy cover?');
    expect(questionFrom('Travel policy', 'Travel policy')).toBe('What does Travel policy cover?');
    expect(questionFrom('What is rustdoc?', 'what-is-rustdoc')).toBe('What is rustdoc?');
  });
});
