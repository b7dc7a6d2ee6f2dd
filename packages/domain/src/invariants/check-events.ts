import type { EntityManager } from '../db/database.ts';

/** An entity whose own tags the event feed and `entity_tag` disagree on. */
export type EventFeedViolation = {
  problem: string;
  workspace_id: number;
  entity: string;
  tag_id: string;
};

type EventRow = { workspace_id: number; type: string; payload: unknown; seq: string | number | null };

/**
 * The outbox's invariant (issue 17): replaying each workspace's numbered events in `seq` order
 * rebuilds every entity's own tags (a contact's rows, a session's direct rows), so every committed
 * change to them has its event and none has an event it did not commit. Replay: `*.tagged` adds,
 * `*.untagged` removes, `tag.deleted` removes the tag everywhere, `tag.merge_progressed` replaces
 * the merged tags by the target in the entities it names, `tag.merged` everywhere. Events must
 * all be numbered (run the sequencer first) and none expired. Returns the disagreements (at most
 * `limit`); empty in a healthy database.
 */
export async function findEventFeedViolations(em: EntityManager, limit = 100): Promise<EventFeedViolation[]> {
  const violations: EventFeedViolation[] = [];
  const unnumbered = await em.execute<{ workspace_id: number; count: number }[]>(
    `select workspace_id, count(*)::int as count from event where seq is null group by workspace_id`,
  );
  for (const row of unnumbered)
    violations.push({
      problem: `${row.count} events not numbered`,
      workspace_id: row.workspace_id,
      entity: '',
      tag_id: '',
    });

  const events = await em.execute<EventRow[]>(
    `select workspace_id, type, payload, seq from event where seq is not null order by workspace_id, seq`,
  );
  // workspace → entity key → tag ids
  const replayed = new Map<number, Map<string, Set<string>>>();
  const of = (workspaceId: number) => {
    let entities = replayed.get(workspaceId);
    if (!entities) replayed.set(workspaceId, (entities = new Map()));
    return entities;
  };
  for (const event of events) {
    const data = (typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload) as Record<
      string,
      unknown
    >;
    const entities = of(event.workspace_id);
    const key = `${String(data.entityType)}:${String(data.entityId)}`;
    const tags = () => {
      let set = entities.get(key);
      if (!set) entities.set(key, (set = new Set()));
      return set;
    };
    if (event.type.endsWith('.tagged')) tags().add(String(data.tagId));
    else if (event.type.endsWith('.untagged')) tags().delete(String(data.tagId));
    else if (event.type === 'tag.deleted') for (const set of entities.values()) set.delete(String(data.tagId));
    else if (event.type === 'tag.merge_progressed' || event.type === 'tag.merged') {
      // One replacement for both: in the entities named by a batch, or in every entity.
      const merged = new Set(data.mergedTagIds as string[]);
      const moved =
        event.type === 'tag.merged'
          ? [...entities.values()]
          : [
              ...(data.contactIds as string[]).map((id) => `contact:${id}`),
              ...(data.sessionIds as string[]).map((id) => `session:${id}`),
            ].flatMap((entity) => entities.get(entity) ?? []);
      for (const set of moved)
        if ([...set].some((id) => merged.has(id))) {
          for (const id of merged) set.delete(id);
          set.add(String(data.tagId));
        }
    }
  }

  const rows = await em.execute<{ workspace_id: number; entity_type: string; entity_id: string; tag_id: string }[]>(
    `select workspace_id, entity_type, entity_id, tag_id from entity_tag
     where entity_type = 'contact' or source_type = 'direct'`,
  );
  const actual = new Map<number, Map<string, Set<string>>>();
  for (const row of rows) {
    let entities = actual.get(row.workspace_id);
    if (!entities) actual.set(row.workspace_id, (entities = new Map()));
    const key = `${row.entity_type}:${row.entity_id}`;
    let set = entities.get(key);
    if (!set) entities.set(key, (set = new Set()));
    set.add(row.tag_id);
  }
  const compare = (
    left: Map<number, Map<string, Set<string>>>,
    right: Map<number, Map<string, Set<string>>>,
    problem: string,
  ) => {
    for (const [workspaceId, entities] of left)
      for (const [entity, tags] of entities)
        for (const tagId of tags)
          if (!right.get(workspaceId)?.get(entity)?.has(tagId))
            violations.push({ problem, workspace_id: workspaceId, entity, tag_id: tagId });
  };
  compare(actual, replayed, 'entity has a tag the event feed does not give it');
  compare(replayed, actual, 'event feed gives a tag the entity does not have');
  return violations.slice(0, limit);
}
