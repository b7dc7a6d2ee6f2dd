import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { apiKeyScopes, CreateApiKeyInput, MergeTagsInput, WorkspaceId, type ApiKeyScope } from '@tagging/contracts';
import {
  createApiKey,
  createDatabaseIfMissing,
  createWorkspaceWithKey,
  describePostgresUrl,
  findDatabaseProblem,
  DomainError,
  expiryRefusal,
  findInvariantViolations,
  listApiKeys,
  mergeTags,
  openAndMigrateIfEmbedded,
  openDatabase,
  pendingJobCount,
  retryFailedJob,
  revokeApiKey,
  type Database,
} from '@tagging/domain';
import { databaseTarget } from './database-target.ts';
import { runningServerPid } from './embedded-lock.ts';
import { readEnv } from './env.ts';

// The admin CLI (`pnpm cli <command>`). Arguments are parsed by commander: a usage error (unknown
// command or option, missing value or argument, bad workspace id) prints the error and the
// command's help on stderr and exits 2; `--help` works on every command and exits 0. The
// process is never ended with process.exit: it sets process.exitCode and ends once stdout is
// drained, so `pnpm cli check-invariants --json | jq` always reads the whole document.

/** What a command prints: `json` with `--json`, `text` otherwise. */
type Output = { json: unknown; text: string };

// The contracts' workspace id: decimal text only (`z.coerce.number()` took `0x10` and ` 1`).
const workspaceId = (value: string): number => {
  const parsed = WorkspaceId.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('must be a workspace id (a positive integer)');
  return parsed.data;
};

/**
 * A key's expiry: ISO 8601 with an offset, as the API takes it (`CreateApiKeyInput`), or a date
 * (`2027-01-31`, midnight UTC); it must pass the domain's `expiryRefusal` (in the future, before
 * the year 10000). Returned in UTC.
 */
const expiryTime = (value: string): string => {
  const time = z.iso.date().safeParse(value).success ? `${value}T00:00:00Z` : value;
  if (!CreateApiKeyInput.shape.expiresAt.safeParse(time).success)
    throw new InvalidArgumentError('must be a time (ISO 8601 with an offset, e.g. 2027-01-31T12:00:00Z) or a date');
  const refusal = expiryRefusal(new Date(time));
  if (refusal) throw new InvalidArgumentError(refusal);
  return new Date(time).toISOString();
};

const keyState = (key: { revokedAt: string | null; expiresAt: string | null; lastUsedAt: string | null }): string => {
  if (key.revokedAt) return `revoked ${key.revokedAt}`;
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) return `expired ${key.expiresAt}`;
  const expiry = key.expiresAt ? `, expires ${key.expiresAt}` : '';
  return `active${expiry}, last used ${key.lastUsedAt ?? 'never'}`;
};

const program = new Command('./pnpm cli')
  .description('Administration of the tagging service.')
  .option('--json', 'print JSON on stdout (errors too, as {"error": message})')
  .addHelpText(
    'after',
    `
Works on the database the server would use: DATABASE_URL, or the embedded one in DATA_DIR
(only while the server is stopped: the embedded database is single-process).`,
  )
  // Settings below are inherited by every command added after them.
  .exitOverride()
  .showHelpAfterError()
  .configureHelp({ showGlobalOptions: true, styleTitle: (title) => title.toLowerCase() });

const json = (): boolean => program.opts<{ json?: boolean }>().json === true;
const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/**
 * Runs one command's work on the configured database and prints its output. Errors of the work
 * exit 1 (a domain error's message, or the error itself; as `{"error"}` on stdout with `--json`).
 */
async function onDatabase(
  work: (db: Database) => Promise<Output>,
  {
    migrateEmbedded = true,
    allowPendingMigrations = false,
  }: { migrateEmbedded?: boolean; allowPendingMigrations?: boolean } = {},
): Promise<void> {
  let db: Database | undefined;
  try {
    const target = databaseTarget(readEnv());
    if (target.kind === 'pglite') {
      const pid = runningServerPid(target.dataDir);
      if (pid) {
        const message =
          `the API server (pid ${pid}) is running on the embedded database in ${target.dataDir}; ` +
          'stop it first: the embedded database is single-process';
        if (json()) print(JSON.stringify({ error: message }));
        else console.error(message);
        process.exitCode = 1;
        return;
      }
    }
    db = migrateEmbedded ? await openAndMigrateIfEmbedded({ target }) : await openDatabase({ target });
    // Cannot connect, no such database, migrations pending: said in those words, exit 1.
    const problem = await findDatabaseProblem(db, { allowPendingMigrations });
    if (problem) throw new Error(problem.message);
    const output = await work(db);
    print(json() ? JSON.stringify(output.json, null, 2) : output.text);
  } catch (error) {
    process.exitCode = 1;
    const message = error instanceof DomainError || error instanceof Error ? error.message : String(error);
    if (json()) print(JSON.stringify({ error: message }));
    else console.error(message);
  } finally {
    await db?.close();
  }
}

// ---- commands: each is a few lines (arguments and options, then its work on the database) ----

const workspace = program.command('workspace').description('workspaces');
workspace
  .command('create')
  .description('create a workspace and its first API key (the secret is shown once)')
  .requiredOption('--name <name>', 'the workspace name')
  .action((options: { name: string }) =>
    onDatabase(async (db) => {
      const { workspace, apiKey } = await createWorkspaceWithKey(db.fork(), options.name);
      return {
        json: { workspace, apiKey },
        text: `workspace ${workspace.id} "${workspace.name}"\nAPI key ${apiKey.id} (shown this once):\n  ${apiKey.secret}`,
      };
    }),
  );

const key = program.command('key').description('API keys');
key
  .command('create')
  .description('issue another API key for a workspace (the secret is shown once)')
  .addOption(new Option('--workspace <id>', 'the workspace id').argParser(workspaceId).makeOptionMandatory())
  .option('--name <name>', 'a name for the key')
  .addOption(new Option('--scope <scope>', 'what the key may do').choices(apiKeyScopes).default('admin'))
  .addOption(new Option('--expires-at <time>', 'when the key stops working (ISO 8601)').argParser(expiryTime))
  .action((options: { workspace: number; name?: string; scope: ApiKeyScope; expiresAt?: string }) =>
    onDatabase(async (db) => {
      const apiKey = await createApiKey(db.fork(), options.workspace, {
        name: options.name,
        scope: options.scope,
        expiresAt: options.expiresAt,
      });
      return {
        json: { apiKey },
        text: `API key ${apiKey.id} (${apiKey.scope}${apiKey.expiresAt ? `, expires ${apiKey.expiresAt}` : ''}, shown this once):\n  ${apiKey.secret}`,
      };
    }),
  );
key
  .command('list')
  .description('list API keys (never their secrets)')
  .addOption(new Option('--workspace <id>', 'only this workspace').argParser(workspaceId))
  .action((options: { workspace?: number }) =>
    onDatabase(async (db) => {
      const keys = await listApiKeys(db.fork(), options.workspace);
      const lines = keys.map(
        (key) => `${key.id}  workspace ${key.workspaceId}  ${key.name}  ${key.hint}…  ${key.scope}  ${keyState(key)}`,
      );
      return { json: { keys }, text: lines.join('\n') || 'no keys' };
    }),
  );
key
  .command('revoke')
  .description('revoke an API key at once')
  .argument('<key-id>', 'the key id (see key list)')
  .action((id: string) =>
    onDatabase(async (db) => {
      const apiKey = await revokeApiKey(db.fork(), id);
      return { json: { apiKey }, text: `revoked ${apiKey.id} at ${apiKey.revokedAt ?? ''}` };
    }),
  );

program
  .command('migrate')
  .description('apply pending migrations')
  .option('--create-database', "create DATABASE_URL's database first when the server has none of that name")
  .action(async (options: { createDatabase?: boolean }) => {
    let created = false;
    if (options.createDatabase) {
      const target = databaseTarget(readEnv());
      // The embedded database is created by opening it; only a server's needs this.
      if (target.kind === 'postgres') {
        try {
          created = await createDatabaseIfMissing(target.url);
        } catch (error) {
          process.exitCode = 1;
          const message = error instanceof Error ? error.message : String(error);
          if (json()) print(JSON.stringify({ error: message }));
          else console.error(message);
          return;
        }
      }
    }
    await onDatabase(
      async (db) => {
        const applied = await db.migrate();
        const database =
          created && db.target.kind === 'postgres' ? describePostgresUrl(db.target.url).database : undefined;
        return {
          json: { ...(database ? { createdDatabase: database } : {}), applied },
          text: [
            ...(database ? [`created database "${database}"`] : []),
            applied.length ? `applied ${applied.join(', ')}` : 'up to date',
          ].join('\n'),
        };
      },
      { migrateEmbedded: false, allowPendingMigrations: true },
    );
  });

program
  .command('check-invariants')
  .description('list rows that break the inheritance rules (exit 1 if any)')
  .action(() =>
    onDatabase(async (db) => {
      const em = db.fork();
      const violations = await findInvariantViolations(em, 1000);
      const pending = await pendingJobCount(em);
      if (violations.length > 0) process.exitCode = 1;
      const lines = violations.map(
        (v) => `${v.problem}: workspace ${v.workspace_id} ${v.entity_type} ${v.entity_id} tag ${v.tag_id}`,
      );
      return {
        json: { violations, pendingPropagations: pending },
        text: [
          violations.length === 0 ? 'no violations' : `${violations.length} violation(s):`,
          ...lines,
          ...(pending > 0 ? [`${pending} propagation job(s) still running (their contacts are not checked)`] : []),
        ].join('\n'),
      };
    }),
  );

const jobs = program.command('jobs').description('background jobs (propagations and exports)');
jobs
  .command('retry')
  .description('put a failed propagation (job_…) or export (exp_…) back in the queue')
  .argument('<jobId>', 'the job id')
  .action((jobId: string) =>
    onDatabase(async (db) => {
      const job = await retryFailedJob(db.fork(), jobId);
      return {
        json: { job },
        text: `${job.queue} ${job.id} (workspace ${job.workspaceId}) queued again as ${job.status}`,
      };
    }),
  );

const tags = program.command('tags').description('tag definitions');
tags
  .command('merge')
  .description('merge tags into a target tag: their entity tags move to it, the merged tags are deleted')
  .requiredOption('--workspace <id>', 'the workspace', workspaceId)
  .argument('<targetTagId>', 'the tag that stays')
  .argument('<sourceTagIds...>', 'the tags merged into it')
  .action((targetTagId: string, sourceTagIds: string[], options: { workspace: number }) =>
    onDatabase(async (db) => {
      const input = MergeTagsInput.safeParse({ id: targetTagId, sourceTagIds });
      if (!input.success) throw new DomainError('VALIDATION_ERROR', z.prettifyError(input.error));
      const result = await mergeTags(db.fork(), options.workspace, input.data, {
        syncFanOutLimit: readEnv().PROPAGATION_SYNC_LIMIT,
      });
      const { deferred } = result;
      return {
        json: result,
        text: deferred
          ? `merging ${result.mergedTagIds.join(', ')} into ${result.tag.id} "${result.tag.name}" continues in background job ${deferred.jobId} (over ${deferred.sessions - 1} entity tags; the API server's worker runs it)`
          : `merged ${result.mergedTagIds.join(', ')} into ${result.tag.id} "${result.tag.name}": ${result.movedEntityTags} entity tag(s) moved, ${result.collapsedEntityTags} collapsed`,
      };
    }),
  );

// ---- parse and run ----------------------------------------------------------------------------

if (process.argv.length <= 2) {
  // No command at all: the overview, as `--help` prints it.
  program.outputHelp();
} else {
  try {
    await program.parseAsync();
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and version exit 0; every other commander error is a usage error.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    if (error.exitCode !== 0 && json()) print(JSON.stringify({ error: error.message.replace(/^error: /, '') }));
  }
}
