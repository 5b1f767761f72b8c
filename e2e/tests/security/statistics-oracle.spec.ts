// Issue 15, finding 1: the statistics oracle. Search ranked with corpus-wide statistics, so an API key
// told its owner whether a word existed in documents they cannot read: one unreadable word more in a
// 32-word query flipped `truncated`, and another role's new document reordered their results. Statistics
// are now counted over the asker's readable chunks: an admin's upload for another role moves nothing the
// user sees, while the user's own new document does (the control: the same probes are not blind).
import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { cli } from '../../fixtures/cli.ts';
import { writeFixture } from '../../fixtures/files.ts';
import { expect, test } from '../../fixtures/test.ts';

/** The full /api/v1/search response (results, order, snippets, truncation) as one string to compare. */
async function searchBody(request: APIRequestContext, key: string, query: string): Promise<string> {
  const response = await request.post('/api/v1/search', {
    headers: { authorization: `Bearer ${key}` },
    data: { query, k: 20 },
  });
  expect(response.status(), await response.text()).toBe(200);
  return JSON.stringify(await response.json());
}

// Made-up words of random letters, ending in 'zq' so the english stemmer keeps them whole; far enough
// apart (eight random letters) that spelling correction never turns one into another.
const madeUp = () =>
  `zq${Array.from(randomBytes(8), (byte) => 'abcdefghijklmnopqrstuvwxyz'[byte % 26]).join('')}zq`;

test("another role's document full of my query words moves nothing in my API search; my own does", async ({
  request,
}, testInfo) => {
  test.setTimeout(300_000);
  const [mine, theirs] = [await cli.createRole('stats-mine'), await cli.createRole('stats-theirs')];
  const own = Array.from({ length: 32 }, madeUp);
  const secret = madeUp();
  const number = String(770 + Math.floor(Math.random() * 11));
  const write = (name: string, text: string) => writeFixture(testInfo.outputDir, `${name}.md`, text);
  await cli.addDocument(
    write(
      'mine',
      `# Field notes\n\n${own.join(' ')}.\n\n${own.slice(0, 6).join(' ')} ${own[0]} ${own[1]}.\n`,
    ),
    { roles: [mine], title: 'Field notes' },
  );
  const user = await cli.createUser({ roles: [mine], prefix: 'stats-user' });
  const key = await cli.createApiKey(user.email);

  const probes = [
    // 33 terms: the 32 readable ones fit, the unreadable one would tip it over.
    [...own, secret].join(' '),
    [...own, number].join(' '),
    `${own[0]} ${own[1]} ${own[2]}`,
    `${own[3]} ${secret}`,
  ];
  const respond = async () => {
    const bodies: string[] = [];
    for (const probe of probes) bodies.push(await searchBody(request, key, probe));
    return bodies;
  };
  const before = await respond();
  expect(before[0]).toContain('"truncated":false');
  expect(before[2]).toContain(own[0]);

  // An admin uploads a document the user can't read, full of every probe word.
  const flood = [secret, number, ...own, secret, number, own[0], own[1]].join(' ');
  await cli.addDocument(write('theirs', `# ${secret} ${number}\n\n${flood}.\n\n${flood}.\n`), {
    roles: [theirs],
    title: `Project ${secret}`,
  });
  // Every probe whose response moved (a failure names them all, not pages of JSON).
  const moved = (bodies: string[]) =>
    probes.filter((_, i) => bodies[i] !== before[i]).map((p) => p.slice(-40));
  expect(moved(await respond()), "responses moved by another role's upload").toEqual([]);

  // Control: the same words in a document the user may read change the very same responses.
  await cli.addDocument(
    write('mine-new', `# Update\n\n${secret} ${number} ${own[0]} ${own[0]} ${own[3]}.\n`),
    {
      roles: [mine],
      title: 'Update',
    },
  );
  const after = await respond();
  expect(after[0]).toContain('"truncated":true');
  expect(after[3]).toContain(secret);
  expect(after[2]).not.toBe(before[2]);
});
