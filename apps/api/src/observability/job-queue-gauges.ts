import type { Database } from '@tagging/domain';

export type QueueName = 'propagation' | 'export';
export type QueueState = { queue: QueueName; depth: number; oldestAgeSeconds: number };

/**
 * The durable queues' backlog, read on scrape in one statement: unfinished jobs and the age of
 * the oldest. Each side walks its partial index of unfinished rows only, which a healthy
 * queue keeps few.
 */
const backlogSql = `
  select 'propagation' as queue, count(*)::int as depth,
         coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest_age_seconds
    from propagation_job where status in ('pending', 'running')
  union all
  select 'export', count(*)::int, coalesce(extract(epoch from now() - min(created_at)), 0)::float8
    from contact_export where status in ('pending', 'running')`;

export async function readJobQueues(db: Database): Promise<QueueState[]> {
  const rows = await db.fork().execute<{ queue: QueueName; depth: number; oldest_age_seconds: number }[]>(backlogSql);
  return rows.map((row) => ({
    queue: row.queue,
    depth: Number(row.depth),
    oldestAgeSeconds: Number(row.oldest_age_seconds),
  }));
}
