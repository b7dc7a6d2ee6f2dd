import type { EventEmitter } from 'node:events';

/** The parts of a `pg` pool and its clients this file uses (`pg` is MikroORM's, not ours). */
type PooledClient = EventEmitter & { release: (error?: Error) => void };
type Pool = EventEmitter;

/**
 * Gives back to the pool, as broken, every checked-out connection the server drops.
 *
 * Kysely (under MikroORM) releases a transaction's connection only after its `commit` or
 * `rollback` succeeds; on a connection the server has closed (a restart, `pg_ctl stop`, a
 * failover) both fail, so the connection stays checked out for ever. Each outage would leak the
 * connections of the transactions in flight until the pool is exhausted and the service hangs
 * instead of recovering. Here a connection that ends while checked out is released with an
 * error (the pool discards it and opens a new one when needed), and its later release by its
 * holder does nothing.
 */
export function releaseDroppedConnections(pool: Pool): void {
  const checkedOut = new WeakSet<PooledClient>();
  pool.on('acquire', (client: PooledClient) => checkedOut.add(client));
  pool.on('release', (_error: unknown, client: PooledClient) => checkedOut.delete(client));
  pool.on('connect', (client: PooledClient) => {
    client.once('end', () => {
      if (!checkedOut.has(client)) return;
      client.release(new Error('the database closed the connection'));
      client.release = () => undefined;
    });
  });
}
