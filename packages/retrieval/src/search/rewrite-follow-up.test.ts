import { describe, expect, it } from 'vitest';
import { isFollowUp, rewriteFollowUp } from './rewrite-follow-up.ts';

const history = [
  { role: 'user' as const, content: 'What is metformin used for?' },
  { role: 'assistant' as const, content: 'Metformin treats type 2 diabetes [1].' },
];

function fakeGenerator(output: string | Error) {
  return {
    id: 'onnx:fake',
    async invoke() {
      if (output instanceof Error) throw output;
      return { text: output };
    },
  };
}

describe('rewriteFollowUp', () => {
  it('leaves standalone questions unchanged', async () => {
    const result = await rewriteFollowUp({
      history,
      question: 'What are the side effects of insulin glargine?',
    });
    expect(result).toEqual({ query: 'What are the side effects of insulin glargine?', method: 'unchanged' });
  });

  it('merges key terms of the previous user turn into a pronoun follow-up without a model', async () => {
    expect(isFollowUp('And its side effects?')).toBe(true);
    const result = await rewriteFollowUp({ history, question: 'And its side effects?' });
    expect(result.method).toBe('heuristic');
    expect(result.query).toContain('metformin');
    expect(result.query.startsWith('And its side effects?')).toBe(true);
  });

  it('uses a language model when configured, and falls back when it fails', async () => {
    const llm = await rewriteFollowUp({
      history,
      question: 'And its side effects?',
      generator: fakeGenerator('"What are the side effects of metformin?"\nextra'),
    });
    expect(llm).toEqual({ query: 'What are the side effects of metformin?', method: 'generator' });
    const failed = await rewriteFollowUp({
      history,
      question: 'And its side effects?',
      generator: fakeGenerator(new Error('model crashed')),
    });
    expect(failed.method).toBe('heuristic');
    const extractive = await rewriteFollowUp({
      history,
      question: 'And its side effects?',
      generator: { ...fakeGenerator('ignored'), id: 'extractive' },
    });
    expect(extractive.method).toBe('heuristic');
  });

  it('handles empty input and empty history', async () => {
    expect((await rewriteFollowUp({ history: [], question: '  ' })).query).toBe('');
    expect((await rewriteFollowUp({ history: [], question: 'And it?' })).method).toBe('unchanged');
  });
});
