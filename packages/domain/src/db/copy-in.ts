import { finished } from 'node:stream/promises';
import { PgliteConnection } from '@mikro-orm/pglite';
import { sql, type Kysely } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from './database.ts';
import { queryOnTransactionClient } from './prepared-statements.ts';

/** A column of rows copied in: its name and PostgreSQL type (the types COPY's binary rows carry here). */
export type CopyInColumn = { name: string; type: 'int4' | 'text' };

/** Rows to add to `table`, in the caller's transaction: each row's values in `columns`' order. */
export type CopyIn = {
  table: string;
  columns: readonly CopyInColumn[];
  rows: readonly (readonly (number | string)[])[];
};

/**
 * Adds `rows` to a table inside `em`'s transaction (it must have one), as one statement.
 *
 * On PostgreSQL the rows go through `COPY … FROM STDIN (format binary)` on the transaction's own
 * client: the values are streamed as they are, where one `INSERT` with bound parameters sends
 * them in a single Bind message that the server reads into one buffer of its size. For an
 * export's batch (~1.5 MiB) that buffer made ~1,100 fresh pages of the server's memory per
 * statement, each a page fault (12-16 µs on the bench's VM: ~1.5 s of PostgreSQL's CPU per
 * 1,000,000-contact CSV export; docs/DECISIONS.md, "CSV chunks are stored by COPY"); COPY reads
 * its input message by message into one buffer kept for the whole COPY, and made none. Binary
 * rows need no escaping of the text.
 * Embedded PGlite runs one `INSERT` (one process, no such buffers to map).
 * Errors are the driver's, converted as the ORM converts them.
 */
export async function copyIn(em: EntityManager, copy: CopyIn): Promise<void> {
  if (copy.rows.length === 0) return;
  const trx = em.getTransactionContext<Kysely<unknown>>();
  if (!trx) throw new Error(`copyIn(${copy.table}) needs a transaction`);
  try {
    if (em.getConnection() instanceof PgliteConnection) await insertRows(trx, copy);
    else await copyRows(trx, copy);
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function insertRows(trx: Kysely<unknown>, { table, columns, rows }: CopyIn): Promise<void> {
  await sql`insert into ${sql.raw(quoted(table))} (${sql.raw(columns.map((c) => quoted(c.name)).join(', '))})
            values ${sql.join(rows.map((row) => sql`(${sql.join(row)})`))}`.execute(trx);
}

async function copyRows(trx: Kysely<unknown>, { table, columns, rows }: CopyIn): Promise<void> {
  const text = `copy ${quoted(table)} (${columns.map((c) => quoted(c.name)).join(', ')}) from stdin (format binary)`;
  const stream = copyFrom(text);
  // Queued on the transaction's own client; `finished` waits for the COPY itself.
  await queryOnTransactionClient(trx, stream, [], text, `copy_in_${table}`);
  const done = finished(stream);
  stream.write(binaryHeader);
  for (const group of binaryGroups(columns, rows)) stream.write(group);
  stream.end(binaryTrailer);
  await done;
}

// PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html,
// "Binary Format"): a signature, flags and header extension length; per row the field count,
// then each field's byte length and bytes (network order); -1 as the field count ends the data.
const binaryHeader = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const binaryTrailer = Buffer.from([0xff, 0xff]);

/** Bytes of rows sent per CopyData message (whole rows; a longer row is a message of its own). */
const groupBytes = 128 * 1024;

/**
 * `rows` in the binary format, gathered into buffers of about `groupBytes`: each string is
 * encoded once, straight into its group (a message per row would be two socket writes per row).
 */
function* binaryGroups(columns: readonly CopyInColumn[], rows: CopyIn['rows']): Generator<Buffer> {
  const sizes = (row: CopyIn['rows'][number]) =>
    columns.map((column, index) => (column.type === 'int4' ? 4 : Buffer.byteLength(String(row[index]), 'utf8')));
  let group: { row: CopyIn['rows'][number]; fields: number[] }[] = [];
  let bytes = 0;
  const flush = (): Buffer => {
    const out = Buffer.allocUnsafe(bytes);
    let at = 0;
    for (const { row, fields } of group) {
      at = out.writeInt16BE(fields.length, at);
      fields.forEach((length, index) => {
        at = out.writeInt32BE(length, at);
        const value = row[index];
        if (columns[index]?.type === 'int4') at = out.writeInt32BE(Number(value), at);
        else at += out.write(String(value), at, length, 'utf8');
      });
    }
    group = [];
    bytes = 0;
    return out;
  };
  for (const row of rows) {
    const fields = sizes(row);
    group.push({ row, fields });
    bytes += 2 + fields.reduce((sum, length) => sum + 4 + length, 0);
    if (bytes >= groupBytes) yield flush();
  }
  if (group.length > 0) yield flush();
}
