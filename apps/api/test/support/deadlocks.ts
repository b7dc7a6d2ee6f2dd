import type { TestServer } from '../../testing/test-server.ts';

/**
 * The deadlocks PostgreSQL has broken so far in the server's database (`pg_stat_database`; each
 * test file has a database of its own). A backend reports its statistics within a second of
 * going idle, so this waits 1.5 s first. On PGlite (one connection) it stays 0.
 */
export async function deadlocksSoFar(server: TestServer): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const [row] = await server.db
    .fork()
    .execute<{ n: number }[]>('select deadlocks::int as n from pg_stat_database where datname = current_database()');
  return row?.n ?? 0;
}
