import type { Database } from '../src/db/database.ts';
import { sequenceEvents } from '../src/events/event-sequencer.ts';

/**
 * Numbers every committed event now, for a test that reads the feed right after a change. One
 * `sequenceEvents` call is not enough: it does nothing while the server's own sequencer holds
 * the lock, and that pass may have started before the change committed (a PostgreSQL CI run read
 * an empty feed so). Throws after 10 s of events left unnumbered.
 */
export async function sequenceAllEvents(db: Database): Promise<void> {
  for (const until = Date.now() + 10_000; Date.now() < until;) {
    await sequenceEvents(db);
    const [row] = await db
      .fork()
      .execute<{ pending: boolean }[]>('select exists (select 1 from event where seq is null) as pending');
    if (!row?.pending) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('events were left unnumbered for 10 s');
}
