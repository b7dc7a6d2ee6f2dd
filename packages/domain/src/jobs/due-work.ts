import type { Database } from '../db/database.ts';
import { executePrepared } from '../db/prepared-statements.ts';

/**
 * A queue row due now: waiting, or running with its lease (`run_after`) ended. The claims
 * (`claimJob`, `claimExport`) and `dueQueues` test the same condition, on the partial indexes
 * made for it (`… where status in ('pending', 'running')`).
 */
export const dueNowSql = `status in ('pending', 'running') and run_after <= now()`;

/** Which durable queues have a job due now (`dueQueues`). */
export type DueQueues = { propagation: boolean; exports: boolean };

/**
 * Whether a propagation job (any kind) or an export is due now, in one statement outside any
 * transaction, with the claims' own conditions (`claimJob`, `claimExport`) on their partial
 * indexes. The worker asks it before it claims: an idle pass is then one round trip, where the two
 * claims were three statements each (begin, the claim, commit), ten times a second in every
 * process (issue 20: an idle service's polls cost requests CPU; docs/PERFORMANCE.md). A job
 * queued just after the answer waits for the next pass, as it did for the claim's.
 */
export async function dueQueues(db: Database): Promise<DueQueues> {
  // Prepared: sent as text it was planned on each of its ten calls a second (~1 ms of planning
  // against 0.2 of execution).
  const [row] = await executePrepared<DueQueues>(
    db.fork(),
    'due_queues',
    `select exists (select 1 from propagation_job where ${dueNowSql}) as propagation,
            exists (select 1 from contact_export where ${dueNowSql}) as exports`,
    [],
  );
  return { propagation: row?.propagation === true, exports: row?.exports === true };
}
