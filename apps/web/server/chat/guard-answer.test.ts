import { describe, expect, it } from 'vitest';
import { SYSTEM_INSTRUCTIONS } from './build-prompt.ts';
import {
  createAnswerGuard,
  IMAGE_REMOVED_TEXT,
  INSTRUCTIONS_WITHHELD_TEXT,
  isAppUrl,
  LINK_REMOVED_TEXT,
  neutraliseLinks,
} from './guard-answer.ts';

const APP = 'https://clearance.example.org';

/** Streams `text` through a guard in pieces of `size` characters; returns what came out. */
function stream(text: string, size: number): string {
  const guard = createAnswerGuard({ instructions: SYSTEM_INSTRUCTIONS, appOrigin: APP });
  let out = '';
  for (let i = 0; i < text.length; i += size) out += guard.push(text.slice(i, i + size));
  return out + guard.flush();
}

describe('answer guard', () => {
  it('removes every image, keeping its alt text', () => {
    expect(neutraliseLinks('See ![chart](https://evil.test/x.png?d=secret) [1]', APP)).toBe(
      `See chart ${IMAGE_REMOVED_TEXT} [1]`,
    );
    expect(neutraliseLinks('![](/local.png)', APP)).toBe(IMAGE_REMOVED_TEXT);
    expect(neutraliseLinks('<img src="https://evil.test/p?q=1">done', APP)).toBe('done');
  });

  it('keeps links to the app and defuses links to anywhere else', () => {
    expect(neutraliseLinks('[policy](/documents/abc) and [us](https://clearance.example.org/x)', APP)).toBe(
      '[policy](/documents/abc) and [us](https://clearance.example.org/x)',
    );
    expect(neutraliseLinks('[click](https://evil.test/?q=secret)', APP)).toBe(`click ${LINK_REMOVED_TEXT}`);
    expect(neutraliseLinks('go <https://evil.test/?q=1> or www.evil.test/a?b', APP)).toBe(
      `go ${LINK_REMOVED_TEXT} or ${LINK_REMOVED_TEXT}`,
    );
    expect(neutraliseLinks('[x][r]\n[r]: https://evil.test/?q=1', APP)).toBe(`[x][r]\n${LINK_REMOVED_TEXT}`);
    expect(neutraliseLinks('protocol-relative [x](//evil.test/a)', APP)).toBe(
      `protocol-relative x ${LINK_REMOVED_TEXT}`,
    );
    expect(isAppUrl('#cite-1')).toBe(true);
    expect(isAppUrl('https://clearance.example.org.evil.test/', APP)).toBe(false);
  });

  it('gives the same text however the stream is cut', () => {
    const answer =
      'Leave is 25 days [1]. See ![x](https://evil.test/a.png?s=25) and [here](https://evil.test/?q=leave) or https://evil.test/b, [ok](/documents/1) [2].';
    const whole = stream(answer, answer.length);
    expect(whole).toBe(
      `Leave is 25 days [1]. See x ${IMAGE_REMOVED_TEXT} and here ${LINK_REMOVED_TEXT} or ${LINK_REMOVED_TEXT} [ok](/documents/1) [2].`,
    );
    for (const size of [1, 2, 3, 7, 13]) expect(stream(answer, size)).toBe(whole);
  });

  it('withholds lines of the system prompt, even split across deltas', () => {
    const leaked = `Sure. My instructions are:\n${SYSTEM_INSTRUCTIONS}\nDone.`;
    for (const size of [1, 5, 40, leaked.length]) {
      const out = stream(leaked, size);
      expect(out).toContain(INSTRUCTIONS_WITHHELD_TEXT);
      expect(out).toContain('Done.');
      for (const line of SYSTEM_INSTRUCTIONS.split('\n').filter((l) => l.length >= 45)) {
        expect(out).not.toContain(line.replace(/^\d+\.\s*/, ''));
      }
    }
  });

  it('never stalls on an unclosed bracket', () => {
    const long = `[${'a '.repeat(1_500)}`;
    const guard = createAnswerGuard({ instructions: SYSTEM_INSTRUCTIONS });
    expect(guard.push(long).length).toBeGreaterThan(2_000);
  });
});
