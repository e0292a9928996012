import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { NotFoundError, UsageError } from '../errors.js';
import { DirectoryService } from '../services/directory.service.js';
import { KeysService } from '../services/keys.service.js';
import { OutboundClient } from '../net/http-client.js';
import { checkSamples } from '../resolvers/live-check.js';
import { RESOLVERS } from '../resolvers/registry.js';
import type { Resolver } from '../resolvers/types.js';
import { serve } from '../server.js';

type Output = (human: string, json: unknown) => void;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`Expected a positive whole number, not ${JSON.stringify(value)}.`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

/** Opens and migrates the configured database for one command, and always closes it. */
async function withDatabase<T>(run: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = openDatabase(loadConfig().database);
  try {
    await migrateToLatest(handle);
    return await run(handle);
  } finally {
    await handle.close();
  }
}

function output(json: boolean): Output {
  return (human, data) => process.stdout.write(`${json ? JSON.stringify(data, null, 2) : human}\n`);
}

export function buildCli(): Command {
  const program = new Command('intake')
    .description('Intake: a self-hosted media library service')
    .option('--json', 'print machine-readable JSON', false)
    .showHelpAfterError()
    .exitOverride();
  const say = () => output(program.opts<{ json: boolean }>().json);

  program
    .command('serve')
    .description('apply pending migrations and start the HTTP server')
    .action(async () => {
      await serve(loadConfig(), { json: program.opts<{ json: boolean }>().json });
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const handle = openDatabase(loadConfig().database);
      try {
        const applied = await migrateToLatest(handle);
        say()(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply; the database is up to date.', { applied });
      } finally {
        await handle.close();
      }
    });

  const users = program.command('users').description('manage users');
  users
    .command('create <email>')
    .description('create a user')
    .option('--name <name>', 'display name')
    .action(async (email: string, opts: { name?: string }) => {
      const user = await withDatabase((h) => new DirectoryService(h.db).createUser(email, opts.name ?? null));
      say()(`Created user ${user.id} <${user.email}>`, { id: user.id, email: user.email, name: user.name });
    });

  const workspaces = program.command('workspaces').description('manage workspaces');
  workspaces
    .command('create <name>')
    .description('create a workspace owned by a user')
    .requiredOption('--owner <email>', 'email of the owner')
    .action(async (name: string, opts: { owner: string }) => {
      const ws = await withDatabase(async (h) => {
        const directory = new DirectoryService(h.db);
        const owner = await directory.requireUser(opts.owner);
        return directory.createWorkspace(name, owner.id);
      });
      say()(`Created workspace ${ws.id} "${ws.name}" owned by ${opts.owner}`, { id: ws.id, name: ws.name, owner: opts.owner });
    });

  const members = program.command('members').description('manage workspace members');
  members
    .command('add <workspace-id> <email>')
    .description('add a user to a workspace (or change their role)')
    .addOption(new Option('--role <role>', 'role in the workspace').choices(['owner', 'admin', 'editor', 'viewer']).makeOptionMandatory())
    .action(async (workspaceId: string, email: string, opts: { role: string }) => {
      const id = positiveInt(workspaceId);
      await withDatabase(async (h) => {
        const directory = new DirectoryService(h.db);
        const user = await directory.requireUser(email);
        await directory.addMember(id, user.id, opts.role);
      });
      say()(`${email} is now ${opts.role} of workspace ${id}`, { workspace_id: id, email, role: opts.role });
    });

  const keys = program.command('keys').description('manage API keys');
  keys
    .command('create <email>')
    .description('create an API key for a user (printed once)')
    .option('--permissions <list>', 'comma-separated permissions (default: all)')
    .option('--expires-in-days <n>', 'expire after this many days', positiveNumber)
    .option('--name <name>', 'a label for the key', 'cli')
    .action(async (email: string, opts: { permissions?: string; expiresInDays?: number; name: string }) => {
      const key = await withDatabase(async (h) => {
        const user = await new DirectoryService(h.db).requireUser(email);
        const permissions = opts.permissions?.split(',').map((p) => p.trim()).filter(Boolean);
        return new KeysService(h.db).create(user.id, { name: opts.name, permissions, expiresInDays: opts.expiresInDays });
      });
      say()(
        `Key ${key.id} for ${email} (shown once, keep it safe):\n\n  ${key.token}\n\nPermissions: ${key.permissions.join(', ')}${key.expiresAt ? `\nExpires: ${key.expiresAt}` : ''}`,
        { id: key.id, key: key.token, permissions: key.permissions, expires_at: key.expiresAt },
      );
    });
  keys
    .command('list <email>')
    .description("list a user's keys (never their secrets)")
    .action(async (email: string) => {
      const list = await withDatabase(async (h) => {
        const user = await new DirectoryService(h.db).requireUser(email);
        return new KeysService(h.db).list(user.id);
      });
      const lines = list.map((k) => {
        const state = k.revoked_at ? 'revoked' : k.expires_at && Date.parse(k.expires_at) <= Date.now() ? 'expired' : 'active';
        return `${k.id}\t${state}\t${k.name}\t${k.permissions.join(',')}\texpires ${k.expires_at ?? 'never'}\tlast used ${k.last_used_at ?? 'never'}`;
      });
      say()(lines.length ? lines.join('\n') : `${email} has no keys.`, list);
    });
  keys
    .command('revoke <key-id>')
    .description('revoke a key; it stops working at once')
    .action(async (keyId: string) => {
      const id = positiveInt(keyId);
      await withDatabase(async (h) => {
        try {
          await new KeysService(h.db).revoke(id);
        } catch (error) {
          if (error instanceof NotFoundError) throw new UsageError(`No key with id ${id}.`);
          throw error;
        }
      });
      say()(`Key ${id} revoked.`, { id, revoked: true });
    });

  const resolvers = program.command('resolvers').description('the sources Intake resolves URLs of');
  resolvers
    .command('list')
    .description('every resolver, whether it is on, and the key it uses')
    .action(() => {
      const config = loadConfig().resolvers;
      const rows = RESOLVERS.map((r) => {
        const keySet = r.key ? config.keys[r.key.setting] !== undefined : false;
        const state = config.disabled.includes(r.id) ? 'off' : r.key?.required && !keySet ? 'needs key' : 'on';
        const key = r.key ? `${r.key.variable} (${keySet ? 'set' : 'unset'}${r.key.required ? ', required' : ', optional'})` : 'none';
        return { id: r.id, label: r.label, state, key: r.key ? { variable: r.key.variable, set: keySet, required: r.key.required } : null, keyText: key };
      });
      say()(
        rows.map((r) => `${r.id.padEnd(13)}${r.state.padEnd(11)}${r.keyText}`).join('\n'),
        rows.map(({ keyText: _keyText, ...row }) => row),
      );
    });
  resolvers
    .command('check [ids...]')
    .description("resolve every sample URL against the real sites (needs the internet); exit 1 if any fails")
    .action(async (ids: string[]) => {
      const config = loadConfig();
      const chosen = selectResolvers(ids, config.resolvers.disabled);
      const json = program.opts<{ json: boolean }>().json;
      const client = new OutboundClient(config.fetch);
      try {
        const results = await checkSamples(chosen, { client, keys: config.resolvers.keys, log: pino({ level: config.logLevel }) }, (check) => {
          if (!json) process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.resolver.padEnd(13)}${check.url}\n      ${check.code ?? ''}${check.code ? ': ' : ''}${check.message} (${check.ms} ms)\n`);
        });
        const failed = results.filter((r) => !r.ok).length;
        if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        else process.stdout.write(`\n${results.length - failed} of ${results.length} samples work.\n`);
        if (failed > 0) process.exitCode = 1;
      } finally {
        await client.close();
      }
    });

  return program;
}

/** The resolvers named (all that are on when none is), refusing unknown names. */
function selectResolvers(ids: readonly string[], disabled: readonly string[]): Resolver[] {
  if (ids.length === 0) return RESOLVERS.filter((r) => !disabled.includes(r.id));
  const unknown = ids.filter((id) => !RESOLVERS.some((r) => r.id === id));
  if (unknown.length > 0) throw new UsageError(`Unknown resolver: ${unknown.join(', ')}. Known: ${RESOLVERS.map((r) => r.id).join(', ')}.`);
  return RESOLVERS.filter((r) => ids.includes(r.id));
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    // InvalidArgumentError is a CommanderError, but one thrown by an action (a bad id) has not
    // been printed by commander: it must be handled first, or the command fails silently.
    if (error instanceof ConfigError || error instanceof UsageError || error instanceof InvalidArgumentError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    pino().error({ err: error }, 'command failed');
    process.exitCode = 1;
  }
}
