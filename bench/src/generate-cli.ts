import { config } from './config.ts';
import { connect } from './db.ts';
import { generate } from './generate.ts';
import { createBenchDatabase, createOtherWorkspaces } from './setup.ts';

/** `pnpm --filter @tagging/bench generate`: only the data set, to explore it with psql. */
const db = await createBenchDatabase(config.databaseBaseUrl, config.databaseName);
const others = await createOtherWorkspaces(db.url, config.otherWorkspaces);
const sql = await connect(db.url);
const report = await generate(
  sql,
  [
    { workspaceId: db.workspaceId, contacts: config.contacts, tags: config.tags, bigContacts: config.bigContacts },
    ...others.map((id) => ({ workspaceId: id, contacts: config.otherContacts, tags: 50, bigContacts: [] })),
  ],
  console.log,
);
await sql.end();
console.log(JSON.stringify({ ...report, workspaceId: db.workspaceId, apiKey: db.apiKey }));
