// Seeds the demo organisation (Northwind Aerotech) on the first run only: roles finance, operations and
// hr; one admin and one employee per role with generated passwords (written to DATA_DIR, printed by
// `npm start`); and the demo documents in prisma/seed/documents/<role>/, queued for the worker to ingest.
// `--force` seeds again (new passwords, documents deduplicated by content). SEED_DEMO=false skips it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashPassword } from '@clearance/auth';
import { findRepoRoot, getDb, readDatabaseEnv, resolveDatabaseUrl, withAdvisoryLock } from '@clearance/db';
import { createDocumentUpload } from '@clearance/retrieval';

const SEEDED_KEY = 'demo_seeded';

const ROLES = [
  {
    name: 'finance',
    description:
      'Finance: quarterly figures, budget, expense, travel and purchasing policies, invoices, suppliers',
  },
  {
    name: 'operations',
    description:
      'Operations: maintenance and de-icing procedures, inspection intervals, tool calibration, hangar safety, shift handover',
  },
  { name: 'hr', description: 'People team: leave, benefits, onboarding, remote work and employee support' },
] as const;

const PEOPLE = [
  { email: 'admin@northwind.example', name: 'Ada Admin', isAdmin: true, roles: [] as string[] },
  { email: 'finance@northwind.example', name: 'Fiona Finch', isAdmin: false, roles: ['finance'] },
  { email: 'operations@northwind.example', name: 'Oscar Ortiz', isAdmin: false, roles: ['operations'] },
  { email: 'hr@northwind.example', name: 'Hana Holt', isAdmin: false, roles: ['hr'] },
];

/** The document's title: its first Markdown/HTML heading, else its file name in sentence case. */
function titleOf(file: string, text: string): string {
  const heading = /^#\s+(.+)$/m.exec(text)?.[1] ?? /<h1[^>]*>([^<]+)<\/h1>/i.exec(text)?.[1];
  if (heading) return heading.trim();
  const base = path.basename(file, path.extname(file)).replace(/[-_]+/g, ' ');
  return base.charAt(0).toUpperCase() + base.slice(1);
}

async function main() {
  const force = process.argv.includes('--force');
  if (process.env.SEED_DEMO === 'false' && !force) return;
  const db = getDb();
  // Replicas starting together seed one after the other; all but the first find it done.
  await withAdvisoryLock(resolveDatabaseUrl(), 'clearance:seed-demo', async () => {
    if (!force && (await db.setting.findUnique({ where: { key: SEEDED_KEY } }))) {
      console.log('[seed] demo organisation already seeded');
      return;
    }
    await seed(db);
  });
  await db.$disconnect();
}

async function seed(db: ReturnType<typeof getDb>) {
  const roles = new Map<string, string>();
  for (const role of ROLES) {
    const row = await db.role.upsert({ where: { name: role.name }, update: {}, create: role });
    roles.set(role.name, row.id);
  }
  const credentials: string[] = [];
  let adminId = '';
  for (const person of PEOPLE) {
    const password = randomBytes(9).toString('base64url');
    const user = await db.user.upsert({
      where: { email: person.email },
      update: { passwordHash: await hashPassword(password), disabledAt: null },
      create: {
        email: person.email,
        name: person.name,
        isAdmin: person.isAdmin,
        passwordHash: await hashPassword(password),
      },
    });
    if (person.isAdmin) adminId = user.id;
    for (const role of person.roles) {
      await db.userRole.upsert({
        where: { userId_roleId: { userId: user.id, roleId: roles.get(role)! } },
        update: {},
        create: { userId: user.id, roleId: roles.get(role)! },
      });
    }
    credentials.push(
      `  ${person.email.padEnd(30)} ${password.padEnd(14)} ${person.isAdmin ? 'admin (manages; no data roles)' : `employee, role ${person.roles.join(', ')}`}`,
    );
  }
  const documentsDir = path.join(findRepoRoot(), 'prisma/seed/documents');
  let queued = 0;
  for (const role of ROLES) {
    const dir = path.join(documentsDir, role.name);
    for (const file of readdirSync(dir).sort()) {
      const bytes = readFileSync(path.join(dir, file));
      await createDocumentUpload(db, {
        actorId: adminId,
        bytes: new Uint8Array(bytes),
        filename: file,
        title: titleOf(file, bytes.toString('utf8')),
        roleIds: [roles.get(role.name)!],
      });
      queued += 1;
    }
  }
  await db.setting.upsert({
    where: { key: SEEDED_KEY },
    update: { value: { at: new Date().toISOString() } },
    create: { key: SEEDED_KEY, value: { at: new Date().toISOString() } },
  });
  const { dataDir } = readDatabaseEnv();
  mkdirSync(dataDir, { recursive: true });
  const text = `Demo accounts (Northwind Aerotech; change or disable them before real use):\n${credentials.join('\n')}\n`;
  writeFileSync(path.join(dataDir, 'demo-credentials.txt'), text, { mode: 0o600 });
  console.log(
    `[seed] demo organisation created: ${ROLES.length} roles, ${PEOPLE.length} people, ${queued} documents queued`,
  );
}

main().catch((error: Error) => {
  console.error(`[seed] failed: ${error.message}`);
  process.exit(1);
});
