import type { EntityManager } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';

export type InvariantViolation = {
  problem: string;
  workspace_id: number;
  entity_type: string;
  entity_id: string;
  tag_id: string;
};

/**
 * The inheritance rules (DESIGN.md) as one query that returns the rows breaking them; empty in a
 * healthy database. Contacts with an unfinished propagation job are left out (their sessions
 * converge when the job ends). Every check is a join (an anti join written as a left join and
 * `is null`), none a subquery per row, so that `invariantPlannerSettings` can hash them all.
 */
export const invariantViolationsSql = `
with busy as (
  select workspace_id, contact_id from propagation_job where status in ('pending', 'running')
)
select 'session lacks a tag of its contact' as problem, s.workspace_id, 'session' as entity_type, s.id as entity_id, c.tag_id
from session s
join entity_tag c on c.workspace_id = s.workspace_id and c.entity_type = 'contact' and c.entity_id = s.contact_id
left join entity_tag et on et.workspace_id = s.workspace_id and et.entity_type = 'session' and et.entity_id = s.id
                       and et.tag_id = c.tag_id
left join busy b on b.workspace_id = s.workspace_id and b.contact_id = s.contact_id
where et.tag_id is null and b.contact_id is null
union all
select 'inherited row not justified by the contact', et.workspace_id, et.entity_type, et.entity_id, et.tag_id
from entity_tag et
left join session s on s.workspace_id = et.workspace_id and s.id = et.entity_id
left join entity_tag c on c.workspace_id = et.workspace_id and c.entity_type = 'contact' and c.entity_id = s.contact_id
                      and c.tag_id = et.tag_id
left join busy b on b.workspace_id = et.workspace_id and b.contact_id = et.source_entity_id
where et.entity_type = 'session' and et.source_type = 'inherited' and b.contact_id is null
  and (s.id is null or s.contact_id is null or et.source_entity_type is distinct from 'contact'
       or et.source_entity_id is distinct from s.contact_id or c.tag_id is null)
union all
select 'direct row with a source', et.workspace_id, et.entity_type, et.entity_id, et.tag_id
from entity_tag et
where et.source_type = 'direct' and (et.source_entity_type is not null or et.source_entity_id is not null)
union all
select 'contact row inherited from no session', et.workspace_id, et.entity_type, et.entity_id, et.tag_id
from entity_tag et
where et.entity_type = 'contact' and et.source_type = 'inherited'
  and (et.source_entity_type is distinct from 'session' or et.source_entity_id is null)
union all
select 'row of a missing entity', et.workspace_id, et.entity_type, et.entity_id, et.tag_id
from entity_tag et
left join contact c on c.workspace_id = et.workspace_id and c.id = et.entity_id
where et.entity_type = 'contact' and c.id is null
union all
select 'row of a missing entity', et.workspace_id, et.entity_type, et.entity_id, et.tag_id
from entity_tag et
left join session s on s.workspace_id = et.workspace_id and s.id = et.entity_id
where et.entity_type = 'session' and s.id is null
`;

/**
 * How the audit is planned, whatever the statistics: it reads whole tables, so every join is
 * hashed, never a nested loop. Planned from statistics taken before a bulk grew the table (or
 * from none), a nested loop probed `entity_tag` by workspace alone once per session: 24,000
 * inherited rows took minutes instead of 0.2 s (CI, transient-faults test, session 11).
 */
export const invariantPlannerSettings = ['set local enable_nestloop = off'] as const;

/**
 * The rows breaking the inheritance rules (`invariantViolationsSql`), at most `limit`, read in
 * one transaction under `invariantPlannerSettings`. Empty in a healthy database.
 */
export async function findInvariantViolations(em: EntityManager, limit = 100): Promise<InvariantViolation[]> {
  return inTransaction(em, async (tx) => {
    for (const setting of invariantPlannerSettings) await tx.execute(setting);
    return tx.execute<InvariantViolation[]>(`${invariantViolationsSql} limit ?`, [limit]);
  });
}
