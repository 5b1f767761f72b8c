// Operator CLI: `npm run admin -- <command>` - bootstrap roles, users and API keys without the UI.
import { pathToFileURL } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  CLI_ACTOR,
  createApiKey,
  createRole,
  createUser,
  DEFAULT_KEY_DAYS,
  findApiKeys,
  findRoles,
  findUsers,
  getUserIdByEmail,
  resolveRoleNames,
  revokeApiKey,
  setUserDisabled,
  setUserRoles,
} from '@clearance/auth';
import { ConfigError, type Db, getDb } from '@clearance/db';
import { isAppError } from '@clearance/errors';
import { runBlobsMove } from './blobs-move.ts';

const USAGE = `usage: npm run admin -- <command>

  role create <name> [--description D]
  role list
  user create --email E (--password P | --password-stdin) [--name N] [--admin] [--roles a,b]
  user roles --email E --set a,b          (--set "" removes every role)
  user disable --email E
  user enable --email E
  user list [--query Q]
  apikey create --email E [--name N] [--expires-days D]   (default 90 days, 0 never; prints the key alone on the last line)
  apikey list [--email E]                 (every user's keys without --email)
  apikey revoke (--id ID | --email E --all)
  document add <files and folders...> --roles a,b [--title T] [--wait]
                                          (folders recursively; unsupported files skipped)
  blobs move --to postgres|s3|local [--from local|postgres|s3]
                                          (copy uploaded files to another store; --from defaults to BLOB_STORE)

Acts as the system (audited with no user, via "cli"). Uses DATABASE_URL, or the embedded database.`;

export type AdminIo = {
  db: Db;
  out: (line: string) => void;
  readStdin?: () => Promise<string>;
};

/** A usage mistake: printed with the usage text. */
class UsageError extends Error {}

function parse(args: string[], options: ParseArgsConfig['options'] = {}) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function requireString(value: unknown, flag: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`${flag} is required`);
  return value;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function runRole(action: string | undefined, args: string[], io: AdminIo) {
  const { db, out } = io;
  if (action === 'create') {
    const { values, positionals } = parse(args, { description: { type: 'string' } });
    const name = requireString(positionals[0], 'role name');
    if (positionals.length > 1) throw new UsageError('role create takes one name (quote names with spaces)');
    const role = await createRole({
      db,
      actor: CLI_ACTOR,
      name,
      description: values.description as string | undefined,
    });
    out(`Created role ${role.name} (${role.id})`);
    return;
  }
  if (action === 'list') {
    parse(args);
    for (const role of await findRoles({ db, actor: CLI_ACTOR })) {
      out(`${role.name}\t${role.userCount} users\t${role.documentCount} documents\t${role.id}`);
    }
    return;
  }
  throw new UsageError(`unknown role command: ${action ?? '(none)'}`);
}

async function runUser(action: string | undefined, args: string[], io: AdminIo) {
  const { db, out } = io;
  if (action === 'create') {
    const { values, positionals } = parse(args, {
      email: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      name: { type: 'string' },
      admin: { type: 'boolean' },
      roles: { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const email = requireString(values.email, '--email');
    // --password-stdin keeps the password out of shell history and the process list.
    const password = values['password-stdin']
      ? (await (io.readStdin ?? readAllStdin)()).replace(/\r?\n$/, '')
      : requireString(values.password, '--password (or --password-stdin)');
    const roleIds = await resolveRoleNames(db, splitList(values.roles as string | undefined));
    const user = await createUser({
      db,
      actor: CLI_ACTOR,
      email,
      password,
      name: values.name as string | undefined,
      isAdmin: values.admin === true,
      roleIds,
    });
    const roles = user.roles.map((role) => role.name).join(', ') || 'none';
    out(`Created ${user.isAdmin ? 'admin ' : ''}user ${user.email} (${user.id}); roles: ${roles}`);
    return;
  }
  if (action === 'roles') {
    const { values, positionals } = parse(args, { email: { type: 'string' }, set: { type: 'string' } });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const email = requireString(values.email, '--email');
    if (typeof values.set !== 'string')
      throw new UsageError('--set is required (e.g. --set finance,operations)');
    const userId = await getUserIdByEmail(db, email);
    const roleIds = await resolveRoleNames(db, splitList(values.set));
    const after = await setUserRoles({ db, actor: CLI_ACTOR, userId, roleIds });
    out(`Roles of ${email.toLowerCase()}: ${after.join(', ') || 'none'}`);
    return;
  }
  if (action === 'disable' || action === 'enable') {
    const { values, positionals } = parse(args, { email: { type: 'string' } });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const email = requireString(values.email, '--email');
    const userId = await getUserIdByEmail(db, email);
    await setUserDisabled({ db, actor: CLI_ACTOR, userId, disabled: action === 'disable' });
    out(`${action === 'disable' ? 'Disabled' : 'Enabled'} ${email.toLowerCase()}`);
    return;
  }
  if (action === 'list') {
    const { values } = parse(args, { query: { type: 'string' } });
    const users = await findUsers({
      db,
      actor: CLI_ACTOR,
      query: values.query as string | undefined,
      limit: 500,
    });
    for (const user of users) {
      const flags = [user.isAdmin ? 'admin' : '', user.disabledAt ? 'disabled' : '']
        .filter(Boolean)
        .join(',');
      out(
        `${user.email}\t${user.roles.map((role) => role.name).join(',') || '-'}\t${flags || '-'}\t${user.id}`,
      );
    }
    return;
  }
  throw new UsageError(`unknown user command: ${action ?? '(none)'}`);
}

function describeKeyState(key: { revokedAt: Date | null; expiresAt: Date | null }): string {
  if (key.revokedAt) return `revoked ${key.revokedAt.toISOString()}`;
  if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) return `expired ${key.expiresAt.toISOString()}`;
  return key.expiresAt ? `active, expires ${key.expiresAt.toISOString()}` : 'active, never expires';
}

async function runApiKey(action: string | undefined, args: string[], io: AdminIo) {
  if (action === 'list') {
    const { values, positionals } = parse(args, { email: { type: 'string' } });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const email = values.email as string | undefined;
    const keys = email
      ? await findApiKeys(io.db, { actor: CLI_ACTOR, userId: await getUserIdByEmail(io.db, email) })
      : await findApiKeys(io.db, { actor: CLI_ACTOR, all: true });
    if (keys.length === 0) io.out('No API keys.');
    for (const key of keys) {
      const used = key.lastUsedAt ? `last used ${key.lastUsedAt.toISOString()}` : 'never used';
      io.out(`${key.id}  ${key.prefix}  ${key.ownerEmail}  "${key.name}"  ${used}  ${describeKeyState(key)}`);
    }
    return;
  }
  if (action === 'revoke') {
    const { values, positionals } = parse(args, {
      id: { type: 'string' },
      email: { type: 'string' },
      all: { type: 'boolean' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    if (typeof values.id === 'string') {
      await revokeApiKey(io.db, { actor: CLI_ACTOR, keyId: values.id });
      io.out(`Revoked API key ${values.id}.`);
      return;
    }
    if (!values.all) throw new UsageError('apikey revoke needs --id ID, or --email E --all');
    const email = requireString(values.email, '--email');
    const keys = await findApiKeys(io.db, { actor: CLI_ACTOR, userId: await getUserIdByEmail(io.db, email) });
    const live = keys.filter((key) => !key.revokedAt);
    for (const key of live) await revokeApiKey(io.db, { actor: CLI_ACTOR, keyId: key.id });
    io.out(`Revoked ${live.length} API key(s) of ${email.toLowerCase()}.`);
    return;
  }
  if (action !== 'create') throw new UsageError(`unknown apikey command: ${action ?? '(none)'}`);
  const { values, positionals } = parse(args, {
    email: { type: 'string' },
    name: { type: 'string' },
    'expires-days': { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const email = requireString(values.email, '--email');
  const rawDays = values['expires-days'] as string | undefined;
  const days = rawDays === undefined ? DEFAULT_KEY_DAYS : Number(rawDays);
  if (!Number.isInteger(days) || days < 0 || days > 3650) {
    throw new UsageError('--expires-days must be a whole number of days from 0 (never) to 3650');
  }
  const userId = await getUserIdByEmail(io.db, email);
  const created = await createApiKey(io.db, {
    actor: CLI_ACTOR,
    userId,
    name: (values.name as string | undefined) ?? 'API key',
    expiresInDays: days === 0 ? null : days,
  });
  const expiry = created.expiresAt ? `expires ${created.expiresAt.toISOString()}` : 'never expires';
  io.out(
    `Created API key "${created.name}" (${created.prefix}, id ${created.id}, ${expiry}) for ${email.toLowerCase()}. It is shown only once:`,
  );
  // Alone on the last line so scripts can capture it with `| tail -n 1`.
  io.out(created.key);
}

async function runDocument(action: string | undefined, args: string[]) {
  if (action !== 'add') throw new UsageError(`unknown document command: ${action ?? '(none)'}`);
  // Owned by the ingestion work; a variable specifier keeps this file compiling before it exists.
  const modulePath = './document-add.ts';
  let module: { runDocumentAdd?: (args: string[]) => Promise<void> };
  try {
    module = await import(modulePath);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
      String(error).includes('document-add')
    ) {
      throw new Error(
        '`document add` is not available in this build yet (apps/worker/src/cli/document-add.ts is missing).',
      );
    }
    throw error;
  }
  if (typeof module.runDocumentAdd !== 'function') {
    throw new Error('`document add` is not available: document-add.ts does not export runDocumentAdd.');
  }
  await module.runDocumentAdd(args);
}

/**
 * Runs one CLI command. Returns the exit code: 0 on success, 1 on any failure (the reason is printed
 * on stderr, one line, without stack traces for expected errors).
 */
export async function runAdmin(argv: string[], io: AdminIo, err: (line: string) => void = console.error) {
  const [group, action, ...rest] = argv;
  if (
    !group ||
    group === '--help' ||
    group === '-h' ||
    group === 'help' ||
    rest.includes('--help') ||
    action === '--help'
  ) {
    io.out(USAGE);
    return group ? 0 : 1;
  }
  try {
    if (group === 'role') await runRole(action, rest, io);
    else if (group === 'user') await runUser(action, rest, io);
    else if (group === 'apikey') await runApiKey(action, rest, io);
    else if (group === 'document') await runDocument(action, rest);
    else if (group === 'blobs' && action === 'move') await runBlobsMove(rest);
    else throw new UsageError(`unknown command: ${group}`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`error: ${error.message}\n\n${USAGE}`);
    } else if (isAppError(error) || error instanceof ConfigError) {
      err(`error: ${error.message}`);
    } else {
      err(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 1;
  }
}

async function main() {
  const argv = process.argv.slice(2);
  // `document add` manages its own database use; everything else shares one client.
  let db: Db | undefined;
  const io: AdminIo = {
    get db() {
      db ??= getDb();
      return db;
    },
    out: (line) => console.log(line),
  };
  const code = await runAdmin(argv, io);
  await db?.$disconnect();
  process.exit(code);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: Error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  });
}
