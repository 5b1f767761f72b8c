// The answer chain for each backend: the scope's retriever finds the passages, the prompt step fences
// them, and the answer comes out of the backend's LangChain chat model (real embedder for the extractive
// engine, the tiny ONNX decoder, the scripted OpenAI-compatible server).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessScope } from '@clearance/auth';
import type { Db } from '@clearance/db';
import { createTestDb, uniqueSuffix } from '@clearance/db/testing';
import { type Generator, loadGenerator, readGeneration, streamGeneration } from '@clearance/inference';
import { getTestGloveDir } from '@clearance/inference/testing/glove-fixture';
import { type ScriptedLlm, startScriptedLlm } from '@clearance/inference/testing/scripted-llm';
import { writeTinyDecoder } from '@clearance/inference/testing/tiny-decoder';
import type { BaseMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAnswerChain,
  type GroundedAnswerInput,
  MAX_ANSWER_TOKENS,
  toPromptMessages,
} from './answer-chain.ts';
import { createLexicalRetriever, createUserWithRoles, publishTestDocument } from './test-fixtures.ts';

let db: Db;
let llm: ScriptedLlm;

beforeAll(async () => {
  db = createTestDb();
  llm = await startScriptedLlm();
});

afterAll(async () => {
  await llm.close();
  await db.$disconnect();
});

/** A finance user with a travel policy, and an operations document the user may not read. */
async function travelPolicyReader() {
  const suffix = uniqueSuffix();
  const scope = await createUserWithRoles(db, suffix, ['finance']);
  await publishTestDocument(db, {
    title: `Travel policy ${suffix}`,
    chunks: [
      `The ${suffix} per diem for domestic travel is 45 EUR per day.`,
      `Expense claims for ${suffix} trips are due within 30 days of returning.`,
    ],
    roleIds: scope.roleIds,
  });
  const operations = await createUserWithRoles(db, suffix, ['operations']);
  const canary = `CANARY${suffix.replace(/\W/g, '')}`;
  await publishTestDocument(db, {
    title: `Operations travel ${suffix}`,
    chunks: [`The ${suffix} per diem for operations crews is ${canary} EUR per day.`],
    roleIds: operations.roleIds,
  });
  return { scope, question: `What is the ${suffix} per diem for domestic travel?`, canary };
}

/** Streams the chain as the chat does; records what the retriever found and what the chat model was given. */
async function runChain(scope: AccessScope, generator: Generator, question: string) {
  let grounded: GroundedAnswerInput | undefined;
  const modelInputs: BaseMessage[][] = [];
  const chain = createAnswerChain({
    db,
    scope,
    generator,
    createRetriever: createLexicalRetriever,
    onRetrieved: (retrieved) => {
      grounded = retrieved;
    },
  });
  const callbacks = [
    {
      handleChatModelStart: (_model: unknown, messages: BaseMessage[][]) => {
        modelInputs.push(...messages);
      },
    },
  ];
  const generation = readGeneration(() => chain.stream({ question, history: [] }, { callbacks }));
  let text = '';
  for await (const delta of generation) text += delta;
  if (!grounded) throw new Error('the chain retrieved nothing');
  return { text, result: await generation.result, grounded, modelInputs };
}

describe('createAnswerChain', () => {
  it('extractive: the engine answers from the passages the scope retrieved, carried on the prompt', async () => {
    const { scope, question, canary } = await travelPolicyReader();
    const generator = await loadGenerator('extractive', { embedder: { name: await getTestGloveDir() } });
    const { text, result, grounded, modelInputs } = await runChain(scope, generator, question);
    expect(grounded.passages.map((passage) => passage.marker)).toEqual(
      grounded.passages.map((_, index) => index + 1),
    );
    expect(JSON.stringify(grounded.passages)).not.toContain(canary);
    expect(modelInputs).toHaveLength(1);
    expect(modelInputs[0]!.at(-1)!.text).toMatch(/<passage id="\d+"[^>]*>\n[^\n]*45 EUR per day/);
    expect(text).toContain('45 EUR per day');
    expect(text).toMatch(/\[\d\]/);
    expect(result).toMatchObject({ answered: true, outcome: 'answer', stopped: false, finishReason: 'stop' });
    expect(result.promptTokens).toBeGreaterThan(0);
  });

  it('onnx: the decoder writes the answer to the prompt built from the retrieved passages', async () => {
    const { scope, question } = await travelPolicyReader();
    const { dir } = writeTinyDecoder(
      join(mkdtempSync(join(tmpdir(), 'clearance-chain-dec-')), 'tiny-decoder'),
      11,
      2048,
    );
    const generator = await loadGenerator(`onnx:${dir}`);
    const { text, result, grounded, modelInputs } = await runChain(scope, generator, question);
    expect(modelInputs).toHaveLength(1);
    expect(modelInputs[0]!.at(-1)!.text).toContain('45 EUR per day');
    // Random weights: the text means nothing, but it is exactly what the model writes to that prompt.
    const direct = streamGeneration(generator, toPromptMessages(grounded), {
      maxTokens: MAX_ANSWER_TOKENS,
      temperature: 0,
    });
    let expected = '';
    for await (const delta of direct) expected += delta;
    expect(text.length).toBeGreaterThan(0);
    expect(text).toBe(expected);
    expect(result.promptTokens).toBe((await direct.result).promptTokens);
  });

  it('openai: the server receives the fenced passages of this scope only and its answer streams back', async () => {
    const { scope, question, canary } = await travelPolicyReader();
    const generator = await loadGenerator(`openai:${llm.baseURL}#scripted`);
    const { text, result, modelInputs } = await runChain(scope, generator, question);
    expect(modelInputs).toHaveLength(1);
    const request = llm.requests.at(-1)!;
    expect(request).toMatchObject({ model: 'scripted', stream: true, max_tokens: MAX_ANSWER_TOKENS });
    const user = request.messages.at(-1)!.content;
    expect(user).toMatch(/<passage id="\d+"[^>]*>\n[^\n]*45 EUR per day/);
    expect(JSON.stringify(request)).not.toContain(canary);
    expect(JSON.stringify(request)).not.toContain('clearance_grounded_question');
    expect(text).toContain('45 EUR per day');
    expect(result).toMatchObject({ stopped: false, finishReason: 'stop' });
    expect(result.completionTokens).toBeGreaterThan(0);
  });
});
