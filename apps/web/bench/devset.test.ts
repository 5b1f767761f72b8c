// The development set stays consistent with the demo documents it is about: an edit to a document or to
// DEVSET.json that makes a question unanswerable, or puts a "must not appear" fact in the asker's own
// documents, fails here instead of silently skewing `npm run eval:answers -- --devset`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findRepoRoot } from '@clearance/db';
import { describe, expect, it } from 'vitest';
import { readDevset } from './devset.ts';

const documentsDir = path.join(findRepoRoot(), 'prisma/seed/documents');
const devset = readDevset();

/** All demo text a role may read, lower-cased (the scorer ignores case). */
function textOf(role: string): string {
  const dir = path.join(documentsDir, role);
  return readdirSync(dir)
    .map((file) => readFileSync(path.join(dir, file), 'utf8'))
    .join('\n')
    .toLowerCase();
}
const roles = readdirSync(documentsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const texts = new Map(roles.map((role) => [role, textOf(role)]));

describe('DEVSET.json', () => {
  it('has at least 90 questions and 8 per category, asked by demo roles', () => {
    expect(devset.length).toBeGreaterThanOrEqual(90);
    const counts = new Map<string, number>();
    for (const entry of devset) counts.set(entry.category, (counts.get(entry.category) ?? 0) + 1);
    for (const [category, count] of counts) expect(count, category).toBeGreaterThanOrEqual(8);
    expect(counts.size).toBe(9);
    for (const entry of devset) expect(roles, entry.question).toContain(entry.role);
  });

  it("finds every expected answer and cited passage in the asker's own documents", () => {
    for (const entry of devset.filter((e) => !['smalltalk', 'other-role', 'absent'].includes(e.category))) {
      const own = texts.get(entry.role)!;
      expect(entry.expect.length, entry.question).toBeGreaterThan(0);
      for (const fact of entry.expect) expect(own, entry.question).toContain(fact.toLowerCase());
    }
  });

  it("keeps declined facts out of the asker's documents, and other-role facts in another role's", () => {
    for (const entry of devset.filter((e) => e.category === 'other-role' || e.category === 'absent')) {
      const own = texts.get(entry.role)!;
      for (const fact of entry.expect) expect(own, entry.question).not.toContain(fact.toLowerCase());
      if (entry.category === 'other-role') {
        // The fact is really there, for someone else (expect may also list other spellings of it).
        const others = roles.filter((role) => role !== entry.role).map((role) => texts.get(role)!);
        const known = entry.expect.some((fact) => others.some((text) => text.includes(fact.toLowerCase())));
        expect(known, entry.question).toBe(true);
      }
    }
  });
});
