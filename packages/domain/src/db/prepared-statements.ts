import { PgliteConnection } from '@mikro-orm/pglite';
import type { PGlite } from '@electric-sql/pglite';
import type { PgliteInternals } from './pglite-turns.ts';
import { serialize } from 'pg-protocol';
import type { EntityManager } from './database.ts';

/**
 * Named prepared statements for the hot statements (tag a session, read a session's tags, tag a
 * contact, bulk tag), on PostgreSQL and on embedded PGlite alike.
 *
 * `em.execute` inlines the parameters into the SQL text and sends it over the simple protocol,
 * so PostgreSQL parses and plans it on every call (measured: +0.31 ms of server CPU per tag-a-
 * session request; unnamed extended-protocol parameters do not help). A named statement is
 * parsed once per connection and then only bound and executed; PostgreSQL also switches to a
 * cached generic plan after five custom ones when that is no worse. See docs/PERFORMANCE.md.
 *
 * The statement runs on the EntityManager's transaction when it has one (the same connection
 * as the caller's other statements, under its locks), otherwise on its own (autocommit).
 * Failures are converted by MikroORM's exception converter, so callers see the same
 * `DeadlockException`, `ForeignKeyConstraintViolationException`, … as from `em.execute`.
 */

/** A statement as sent: its name (one text per name) and its text with `$n` placeholders. */
export type PreparedStatement = { name: string; text: string };

const statements = new Map<string, { sql: string; statement: PreparedStatement }>();

/**
 * `?` placeholders (MikroORM's style, so a statement reads as every other in the domain) as
 * `$1`, `$2`, …; a `?` inside a quoted literal or identifier is left alone.
 */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  let quote: string | null = null;
  let out = '';
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = null;
      out += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      out += char;
    } else out += char === '?' ? `$${++n}` : char;
  }
  return out;
}

/**
 * The statement of this name, converted once. A name stands for one text: reusing it for
 * another is a programming error (the server would run the first text), thrown here.
 */
export function preparedStatement(name: string, sql: string): PreparedStatement {
  const known = statements.get(name);
  if (known) {
    if (known.sql !== sql) throw new Error(`prepared statement ${name} is already defined with another text`);
    return known.statement;
  }
  const statement = { name, text: numberedPlaceholders(sql) };
  statements.set(name, { sql, statement });
  return statement;
}

/**
 * Runs `sql` (with `?` placeholders) as the named prepared statement `name`, inside `em`'s
 * transaction if it has one; returns its rows. Parameters travel in text format: numbers,
 * strings, `textArray` literals for `?::text[]`, booleans and null.
 */
export async function executePrepared<T extends object = Record<string, unknown>>(
  em: EntityManager,
  name: string,
  sql: string,
  params: readonly unknown[],
): Promise<T[]> {
  const statement = preparedStatement(name, sql);
  const connection = em.getConnection();
  try {
    if (connection instanceof PgliteConnection) return (await onPglite(em, connection, statement, params)) as T[];
    return (await onPostgres(em, statement, params)) as T[];
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}

// ---- PostgreSQL (node-postgres through MikroORM's Kysely) -----------------------------------

type RawQueryResult = { rows: unknown[] };
type QueryRunner = { executeQuery: (query: unknown) => Promise<RawQueryResult> };

type NativePool = { query: (config: { name: string; text: string; values: unknown[] }) => Promise<RawQueryResult> };

/**
 * Runs `query`, a `pg` query config (`{ name, text }`) or any object with a `submit` method (a
 * COPY stream), on the own `pg` client of `transaction` (a Kysely transaction: MikroORM's
 * transaction context), which Kysely does not expose. Kysely hands `sql` and `parameters` to
 * `pg`'s `client.query(sql, parameters)` unchanged, and `pg` takes such an object in place of
 * the text. For a submittable, `pg` answers with the object itself: this resolves once it is
 * queued, with no rows. `text` is the statement as written (Kysely's record of the query).
 */
export async function queryOnTransactionClient(
  transaction: unknown,
  query: object,
  parameters: readonly unknown[],
  text: string,
  queryId: string,
): Promise<RawQueryResult> {
  return (transaction as QueryRunner).executeQuery({
    sql: query,
    parameters,
    query: { kind: 'RawNode', sqlFragments: [text], parameters: [] },
    queryId: { queryId },
  });
}

async function onPostgres(em: EntityManager, statement: PreparedStatement, params: readonly unknown[]) {
  const values = params.map(textValue);
  const transaction = em.getTransactionContext();
  if (!transaction) {
    // Alone (autocommit), the statement goes to MikroORM's own `pg` pool (`getNativeClient`,
    // with the same type parsers) without Kysely's connection and executor layers in between.
    const pool = (await em.getConnection().getNativeClient()) as NativePool;
    return (await pool.query({ name: statement.name, text: statement.text, values })).rows;
  }
  // A fresh config object per call: `pg` writes the values into the config it is given.
  const query = { name: statement.name, text: statement.text };
  return (await queryOnTransactionClient(transaction, query, values, statement.text, statement.name)).rows;
}

// ---- PGlite (embedded: the extended protocol by hand) ----------------------------------------

type BackendMessage = {
  name: string;
  fields?: ({ name: string; dataTypeID: number } | string | null)[];
};

/** The statements each PGlite instance has parsed (named statements live as long as the instance). */
const parsedOn = new WeakMap<object, Set<string>>();

async function onPglite(
  em: EntityManager,
  connection: PgliteConnection,
  statement: PreparedStatement,
  params: readonly unknown[],
) {
  const pglite = (await connection.getNativeClient()) as PgliteInternals;
  let parsed = parsedOn.get(pglite);
  if (!parsed) parsedOn.set(pglite, (parsed = new Set()));
  const known = parsed;
  const run = async () => {
    const messages: BackendMessage[] = [];
    const send = async (message: Uint8Array) =>
      messages.push(...((await pglite.execProtocolStream(message, { syncToFs: false })) as BackendMessage[]));
    try {
      if (!known.has(statement.name)) {
        await send(serialize.parse({ name: statement.name, text: statement.text, types: [] }));
        known.add(statement.name);
      }
      await send(serialize.bind({ statement: statement.name, values: params.map(textValue) }));
      await send(serialize.describe({ type: 'P' }));
      await send(serialize.execute({}));
    } finally {
      await pglite.execProtocolStream(serialize.sync(), { syncToFs: false });
    }
    return rowsOf(pglite, messages);
  };
  // Inside the caller's transaction, the transaction already holds PGlite's transaction lock
  // (it is PGlite's one connection); alone, the statement takes it, as `pglite.query` does.
  if (em.isInTransaction()) return pglite._runExclusiveQuery(run);
  return pglite._runExclusiveTransaction(() =>
    pglite._runExclusiveQuery(async () => {
      const rows = await run();
      await pglite.syncToFs();
      return rows;
    }),
  );
}

function rowsOf(pglite: PGlite, messages: BackendMessage[]): Record<string, unknown>[] {
  let fields: { name: string; dataTypeID: number }[] = [];
  const rows: Record<string, unknown>[] = [];
  for (const message of messages) {
    if (message.name === 'rowDescription') fields = message.fields as typeof fields;
    else if (message.name === 'dataRow') {
      const values = message.fields as (string | null)[];
      const row: Record<string, unknown> = {};
      fields.forEach((field, i) => {
        const value = values[i] ?? null;
        const parse = pglite.parsers[field.dataTypeID];
        row[field.name] = value === null || !parse ? value : parse(value, field.dataTypeID);
      });
      rows.push(row);
    }
  }
  return rows;
}

/** A parameter in PostgreSQL's text format, as both protocols send it. */
function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  throw new TypeError(`unsupported prepared statement parameter: ${typeof value}`);
}
