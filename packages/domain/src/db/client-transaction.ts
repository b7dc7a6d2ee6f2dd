import type { EntityManager } from './database.ts';

type QueryResult = { rows?: unknown[]; rowCount?: number | null; command?: string };
type PooledClient = {
  query: (query: unknown, values?: readonly unknown[]) => Promise<QueryResult>;
  release: (error?: Error) => void;
};
type NativePool = { connect: () => Promise<PooledClient> };

/**
 * A transaction on one client of MikroORM's own `pg` pool, begun and ended by us, in the shape of
 * the transaction context MikroORM hands its queries to (Kysely's `executeQuery`). `em.execute`
 * and `executePrepared` run on it as on MikroORM's own transactions, and their failures are
 * converted the same way.
 *
 * Why not `em.transactional`: the domain writes through SQL only (no entity is persisted or
 * flushed), and MikroORM's transaction with Kysely's connection and executor layers under it cost
 * ~140-160 µs of Node CPU per transaction of 8 statements on PostgreSQL, a fifth of tagging a
 * contact (docs/PERFORMANCE-HISTORY.md, thirteenth round). PGlite keeps MikroORM's transactions.
 */
export class ClientTransaction {
  readonly #client: PooledClient;
  #savepoints = 0;
  #ended = false;

  constructor(client: PooledClient) {
    this.#client = client;
  }

  /** What Kysely's `PostgresConnection.executeQuery` answers: the rows, and the count of a write. */
  async executeQuery(compiled: { sql: unknown; parameters: readonly unknown[] }) {
    // The client may be another request's by now: a statement kept past the end must not reach it.
    if (this.#ended) throw new Error('statement after its transaction ended');
    const { command, rowCount, rows } = await this.#client.query(compiled.sql, compiled.parameters);
    const write = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
    return { numAffectedRows: write && rowCount != null ? BigInt(rowCount) : undefined, rows: rows ?? [] };
  }

  /** After `commit` or `rollback`: every later statement on this context throws. */
  end(): void {
    this.#ended = true;
  }

  /**
   * A unit of work nested in this transaction, as MikroORM nests one: under a savepoint, rolled
   * back to it on a failure (which is thrown on), so the outer transaction can go on.
   */
  async nested<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
    const name = `tx${++this.#savepoints}`;
    const run = (sql: string) =>
      this.#client.query(sql).catch((error: unknown) => {
        throw em.getDriver().convertException(error as Error);
      });
    await run(`savepoint ${name}`);
    try {
      const result = await work(em);
      await run(`release savepoint ${name}`);
      return result;
    } catch (error) {
      await this.#client.query(`rollback to savepoint ${name}`).catch(() => undefined);
      throw error;
    }
  }
}

/**
 * Runs `work` in a transaction of its own client (`begin` … `commit`, `rollback` on a failure),
 * on a fork of `em` whose transaction context it is; `em` is in no transaction (a unit inside a
 * `ClientTransaction` is its `nested`). The client goes back to the pool after; discarded when
 * its `begin`, `commit` or `rollback` failed (a dropped connection, see `dropped-connections.ts`).
 * A failing `begin` or `commit` is converted as MikroORM converts a statement's failure (a
 * deadlock or serialization failure at commit is retried by `inTransaction`). A statement on the
 * fork after the end throws instead of reaching the client.
 */
export async function inClientTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  const pool = (await em.getConnection().getNativeClient()) as NativePool;
  const client = await pool.connect();
  const transaction = new ClientTransaction(client);
  // A client whose `begin`, `commit` or `rollback` failed is discarded: its state is unknown.
  let broken: Error | undefined;
  const control = (sql: string) =>
    client.query(sql).catch((error: unknown) => {
      broken = error as Error;
      throw em.getDriver().convertException(error as Error);
    });
  try {
    await control('begin');
    const tx = em.fork();
    tx.setTransactionContext(transaction as never);
    let result: T;
    try {
      result = await work(tx);
    } catch (error) {
      await control('rollback').catch(() => undefined);
      throw error;
    }
    await control('commit');
    return result;
  } finally {
    transaction.end();
    client.release(broken);
  }
}
