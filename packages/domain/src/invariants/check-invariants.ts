import type { EntityManager } from '../db/database.ts';

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
 * converge when the job ends).
 */
export const invariantViolationsSql = `
with busy as (
  select workspace_id, contact_id from propagation_job where status in ('pending', 'running')
)
select 'session lacks a tag of its contact' as problem, s.workspace_id, 'session' as entity_type, s.id as entity_id, c.tag_id
from session s
join entity_tag c on c.workspace_id = s.workspace_id and c.entity_type = 'contact' and c.entity_id = s.contact_id
where not exists (select 1 from entity_tag et where et.workspace_id = s.workspace_id and et.entity_type = 'session'
                    and et.entity_id = s.id and et.tag_id = c.tag_id)
  and not exists (select 1 from busy b where b.workspace_id = s.workspace_id and b.contact_id = s.contact_id)
union all
select 'inherited row not justified by the contact', et.workspace_id, et.entity_type, et.entity_id, et.tag_id
from entity_tag et
left join session s on s.workspace_id = et.workspace_id and s.id = et.entity_id
where et.entity_type = 'session' and et.source_type = 'inherited'
  and (s.id is null or s.contact_id is null or et.source_entity_type is distinct from 'contact'
       or et.source_entity_id is distinct from s.contact_id
       or not exists (select 1 from entity_tag c where c.workspace_id = et.workspace_id and c.entity_type = 'contact'
                        and c.entity_id = s.contact_id and c.tag_id = et.tag_id))
  and not exists (select 1 from busy b where b.workspace_id = et.workspace_id and b.contact_id = et.source_entity_id)
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
where (et.entity_type = 'contact' and not exists (select 1 from contact c where c.workspace_id = et.workspace_id and c.id = et.entity_id))
   or (et.entity_type = 'session' and not exists (select 1 from session s where s.workspace_id = et.workspace_id and s.id = et.entity_id))
`;

export async function findInvariantViolations(em: EntityManager, limit = 100): Promise<InvariantViolation[]> {
  return em.execute<InvariantViolation[]>(`${invariantViolationsSql} limit ?`, [limit]);
}
