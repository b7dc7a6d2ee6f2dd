// Writes a migration (and the snapshot) for the difference between the entities and the
// migrations already committed: `pnpm --filter @tagging/domain migration:create <name>`.
import { inMemory } from '../src/db/database-config.ts';
import { openDatabase } from '../src/db/database.ts';

const name = process.argv[2];
if (!name) throw new Error('usage: migration:create <name>');
const database = await openDatabase({ target: { kind: 'pglite', dataDir: inMemory } });
await database.migrate();
const result = await database.orm.migrator.create(undefined, false, false, name);
console.log(result.fileName ? `wrote ${result.fileName}` : 'no changes');
await database.close();
