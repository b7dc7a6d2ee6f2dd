import { openDatabase } from '@tagging/domain';
import { databaseTarget } from './database-target.ts';
import { readEnv } from './env.ts';

const usage = `usage: pnpm cli <command> [--json]
  migrate    apply pending migrations to the configured database`;

const [command, ...rest] = process.argv.slice(2);
const json = rest.includes('--json');
const env = readEnv();

if (command === 'migrate') {
  const db = await openDatabase({ target: databaseTarget(env) });
  try {
    const applied = await db.migrate();
    console.log(json ? JSON.stringify({ applied }) : applied.length ? `applied ${applied.join(', ')}` : 'up to date');
  } finally {
    await db.close();
  }
} else {
  console.error(usage);
  process.exit(command ? 2 : 0);
}
