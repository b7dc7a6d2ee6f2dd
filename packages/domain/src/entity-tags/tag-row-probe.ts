/**
 * `exists` an entity's row of a tag, whatever its source, as two probes, one per source type:
 * each binds every column of `entity_tag_tag_idx` (workspace, tag, entity type, source type,
 * entity) as well as the unique key's, so either index answers it exactly. A single probe with
 * the source type free is exact on the unique key only, and on `entity_tag_tag_idx` reads every
 * row of the tag and entity type; planned from missing statistics (a table just grown, before
 * its first analyze) the planner took that index, once per session: releasing 10,000 sessions'
 * direct rows ran 6 s instead of 0.5 s (session 11, `no-statistics.test.ts`).
 *
 * `conditions(alias)` are the probe's other conditions on the row (workspace, entity type,
 * entity, tag). A `?` in them appears twice in the result: pass its parameters twice.
 */
export function tagRowExists(conditions: (alias: string) => string, alias = 'probe'): string {
  const probe = (source: 'direct' | 'inherited') =>
    `exists (select 1 from entity_tag ${alias} where ${conditions(alias)} and ${alias}.source_type = '${source}')`;
  return `(${probe('direct')} or ${probe('inherited')})`;
}
