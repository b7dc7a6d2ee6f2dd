import type { PGlite } from '@electric-sql/pglite';
import { PgliteConnection } from '@mikro-orm/pglite';
import { to as copyTo } from 'pg-copy-streams';
import type { EntityManager } from './database.ts';

/** What a `COPY … TO` wrote: its text in pieces that each end with a line feed, and its rows. */
export type CopiedText = { pieces: string[]; rows: number };

/** A `COPY (query) TO …` and the transaction it runs in. */
export type CopyOut = {
  /** The query, with `?` placeholders for `params`. */
  query: string;
  params: readonly unknown[];
  /** COPY's options, e.g. `format csv, header true`. */
  options: string;
  /** `set local …` statements run first in the same transaction (the query's plan). */
  settings: readonly string[];
  /** A piece ends at the first line feed at or after this many bytes (the last may be shorter). */
  pieceBytes: number;
};

/**
 * Runs `COPY (query) TO STDOUT` (embedded PGlite: `TO '/dev/blob'`) in a transaction of its own
 * after `settings`, and returns its output as UTF-8 strings cut after line feeds: a line feed
 * byte is never part of a multi-byte character, so each piece is whole text even when the cut
 * falls inside a quoted field (pieces are only ever concatenated again). COPY takes no bound
 * parameters, so `params` are inlined by the ORM's own literal quoting (the same that its
 * `execute` uses). Errors are the driver's, converted as the ORM converts them.
 */
export async function copyOut(em: EntityManager, copy: CopyOut): Promise<CopiedText> {
  const query = em.getPlatform().formatQuery(copy.query, copy.params);
  const connection = em.getConnection();
  try {
    if (connection instanceof PgliteConnection) return await onPglite(connection, query, copy);
    return await onPostgres(em, query, copy);
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}

type PoolClient = {
  query: {
    (text: string): Promise<unknown>;
    <T>(submittable: T): T;
  };
  release: (destroy?: boolean | Error) => void;
};
type NativePool = { connect: () => Promise<PoolClient> };

async function onPostgres(em: EntityManager, query: string, copy: CopyOut): Promise<CopiedText> {
  // A client of MikroORM's own `pg` pool: `pg-copy-streams` needs the client itself, which the
  // ORM's transactions do not expose.
  const pool = (await em.getConnection().getNativeClient()) as NativePool;
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('begin read only');
    for (const setting of copy.settings) await client.query(setting);
    const stream = client.query(copyTo(`copy (${query}) to stdout with (${copy.options})`));
    const pieces = new LinePieces(copy.pieceBytes);
    for await (const chunk of stream) pieces.push(chunk as Buffer);
    await client.query('commit');
    return { pieces: pieces.end(), rows: stream.rowCount };
  } catch (error) {
    failure = error as Error;
    throw error;
  } finally {
    // After a failure the connection's state is unknown (a transaction may be open): drop it.
    client.release(failure);
  }
}

async function onPglite(connection: PgliteConnection, query: string, copy: CopyOut): Promise<CopiedText> {
  const pglite = (await connection.getNativeClient()) as PGlite;
  // PGlite's transaction holds its one connection, as the ORM's transactions on it do.
  const result = await pglite.transaction(async (tx) => {
    for (const setting of copy.settings) await tx.exec(setting);
    return tx.query(`copy (${query}) to '/dev/blob' with (${copy.options})`);
  });
  const pieces = new LinePieces(copy.pieceBytes);
  if (result.blob) pieces.push(Buffer.from(await result.blob.arrayBuffer()));
  return { pieces: pieces.end(), rows: result.affectedRows ?? 0 };
}

const lineFeed = 0x0a;

/** Bytes as they arrive, cut into strings at the first line feed at or after `pieceBytes`. */
class LinePieces {
  readonly #pieceBytes: number;
  readonly #pieces: string[] = [];
  #held: Buffer[] = [];
  #size = 0;

  constructor(pieceBytes: number) {
    this.#pieceBytes = pieceBytes;
  }

  push(chunk: Buffer): void {
    this.#held.push(chunk);
    this.#size += chunk.length;
    if (this.#size >= this.#pieceBytes) this.#cut();
  }

  /** All pieces, the rest (if any) as the last. */
  end(): string[] {
    const rest = Buffer.concat(this.#held, this.#size);
    if (rest.length > 0) this.#pieces.push(rest.toString('utf8'));
    this.#held = [];
    this.#size = 0;
    return this.#pieces;
  }

  #cut(): void {
    const bytes = Buffer.concat(this.#held, this.#size);
    let from = 0;
    for (;;) {
      const lineEnd = bytes.indexOf(lineFeed, from + this.#pieceBytes - 1);
      if (lineEnd === -1) break;
      this.#pieces.push(bytes.toString('utf8', from, lineEnd + 1));
      from = lineEnd + 1;
    }
    const rest = bytes.subarray(from);
    this.#held = [rest];
    this.#size = rest.length;
  }
}
