import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  createApiKey,
  createWorkspaceWithKey,
  DomainError,
  findInvariantViolations,
  listApiKeys,
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

const usage = `usage: pnpm cli <command> [options] [--json]

  workspace create --name NAME        create a workspace and its first API key
  key create --workspace ID [--name]  issue another API key for a workspace
  key list [--workspace ID]           list API keys (never their secrets)
  key revoke KEY_ID                   revoke an API key at once
  migrate                             apply pending migrations
  check-invariants                    list rows that break the inheritance rules (exit 1 if any)
  jobs retry JOB_ID                   put a failed propagation (job_…) or export (exp_…) back in the queue

Works on the database the server would use: DATABASE_URL, or the embedded one in DATA_DIR
(only while the server is stopped: the embedded database is single-process).`;

class UsageError extends Error {}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    workspace: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

const WorkspaceOption = z.coerce.number().int().positive();
const workspaceOption = () => {
  const parsed = WorkspaceOption.safeParse(values.workspace);
  if (!parsed.success) throw new UsageError('--workspace must be a workspace id (a positive integer)');
  return parsed.data;
};

type Output = { json: unknown; text: string };

async function run(db: Database, command: string): Promise<Output> {
  const em = db.fork();
  switch (command) {
    case 'workspace create': {
      if (!values.name) throw new UsageError('--name is required');
      const { workspace, apiKey } = await createWorkspaceWithKey(em, values.name);
      return {
        json: { workspace, apiKey },
        text: `workspace ${workspace.id} "${workspace.name}"\nAPI key ${apiKey.id} (shown this once):\n  ${apiKey.secret}`,
      };
    }
    case 'key create': {
      const apiKey = await createApiKey(em, workspaceOption(), values.name ? { name: values.name } : {});
      return { json: { apiKey }, text: `API key ${apiKey.id} (shown this once):\n  ${apiKey.secret}` };
    }
    case 'key list': {
      const keys = await listApiKeys(em, values.workspace === undefined ? undefined : workspaceOption());
      const lines = keys.map(
        (key) =>
          `${key.id}  workspace ${key.workspaceId}  ${key.name}  ${key.hint}…  ${key.revokedAt ? `revoked ${key.revokedAt}` : 'active'}`,
      );
      return { json: { keys }, text: lines.join('\n') || 'no keys' };
    }
    case 'key revoke': {
      const id = positionals[2];
      if (!id) throw new UsageError('key revoke needs the key id (see key list)');
      const apiKey = await revokeApiKey(em, id);
      return { json: { apiKey }, text: `revoked ${apiKey.id} at ${apiKey.revokedAt ?? ''}` };
    }
    case 'check-invariants': {
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
    }
    case 'jobs retry': {
      const id = positionals[2];
      if (!id) throw new UsageError('jobs retry needs the job id (job_… or exp_…)');
      const job = await retryFailedJob(em, id);
      return {
        json: { job },
        text: `${job.queue} ${job.id} (workspace ${job.workspaceId}) queued again as ${job.status}`,
      };
    }
    case 'migrate': {
      const applied = await db.migrate();
      return { json: { applied }, text: applied.length ? `applied ${applied.join(', ')}` : 'up to date' };
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

const singleWord = new Set(['migrate', 'check-invariants']);
const command = positionals.slice(0, singleWord.has(positionals[0] ?? '') ? 1 : 2).join(' ');
if (values.help || !command) {
  console.log(usage);
  process.exit(0);
}

const env = readEnv();
const target = databaseTarget(env);
if (target.kind === 'pglite') {
  const pid = runningServerPid(target.dataDir);
  if (pid) {
    console.error(
      `the API server (pid ${pid}) is running on the embedded database in ${target.dataDir}; ` +
        'stop it first: the embedded database is single-process',
    );
    process.exit(1);
  }
}

let exitCode = 0;
const db = command === 'migrate' ? await openDatabase({ target }) : await openAndMigrateIfEmbedded({ target });
try {
  const output = await run(db, command);
  console.log(values.json ? JSON.stringify(output.json, null, 2) : output.text);
} catch (error) {
  exitCode = error instanceof UsageError ? 2 : 1;
  const message = error instanceof UsageError || error instanceof DomainError ? error.message : String(error);
  if (values.json) console.log(JSON.stringify({ error: message }));
  else console.error(error instanceof UsageError ? `${message}\n\n${usage}` : message);
} finally {
  await db.close();
}
process.exit(exitCode || process.exitCode || 0);
