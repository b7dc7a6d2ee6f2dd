import { z } from 'zod';
import { isIntegerIn, queryInteger } from './query-integers.ts';
import { EntityType, SourceType } from './entity-tags.ts';
import { PropagationJobKind } from './jobs.ts';
import { Tag } from './tags.ts';

/**
 * The change-event catalogue (issue 17), in the product's words. Each type's `data` schema is
 * below; `docs/EVENTS.md` and the OpenAPI document's `webhooks` section show one example each.
 */
export const eventTypes = [
  'tag.created',
  'tag.updated',
  'tag.deleted',
  'tag.merged',
  'tag.merge_progressed',
  'contact.tagged',
  'contact.untagged',
  'session.tagged',
  'session.untagged',
  'propagation.finished',
  'export.finished',
] as const;
export const EventType = z.enum(eventTypes);
export type EventType = z.infer<typeof EventType>;

/** Types an endpoint may subscribe to: the catalogue plus the test event an operator sends. */
export const webhookEventTypes = [...eventTypes, 'webhook.test'] as const;
export const WebhookEventType = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** `tag.created`, `tag.updated`: the tag as it is after the change. */
export const TagEventData = z.object({ tag: Tag });
/** `tag.deleted`: every entity tag row of it went with it. */
export const TagDeletedEventData = z.object({ tagId: z.string(), removedEntityTags: z.number().int() });
/** `tag.merged`: the merged tags' rows now carry `tagId` and the merged tags are gone. */
export const TagMergedEventData = z.object({
  tagId: z.string(),
  mergedTagIds: z.array(z.string()),
  movedEntityTags: z.number().int(),
  collapsedEntityTags: z.number().int(),
});

/**
 * `tag.merge_progressed`: a batch of a background merge (`jobId`, a `merge-tags` job) moved the
 * merged tags' rows of these entities to `tagId`: in the own tag set of each listed contact and
 * session, the merged tags it had are replaced by `tagId`. At most 1,000 ids an event (a batch
 * may write several); `tag.merged` follows at the job's end for the rest (docs/EVENTS.md).
 */
export const TagMergeProgressedEventData = z.object({
  tagId: z.string(),
  mergedTagIds: z.array(z.string()),
  jobId: z.string(),
  contactIds: z.array(z.string()),
  sessionIds: z.array(z.string()),
});

/**
 * `contact.tagged`, `session.tagged`: the entity's own (direct) tag set gained `tagId`. A contact's
 * tag from `propagateToContact` is `inherited` with source the session. For a contact, how many
 * of its sessions inherited the tag now, or the background propagation that will
 * (`propagationJobId`; `propagation.finished` follows).
 */
export const EntityTaggedEventData = z.object({
  entityType: EntityType,
  entityId: z.string(),
  tagId: z.string(),
  sourceType: SourceType,
  sourceEntityType: EntityType.nullable(),
  sourceEntityId: z.string().nullable(),
  sessionsInherited: z.number().int().optional(),
  propagationJobId: z.string().nullable().optional(),
});

/** Why an entity lost a tag: removed, or the entity itself was deleted. */
export const UntagReason = z.enum(['untagged', 'deleted']);

/**
 * `contact.untagged`, `session.untagged`: the entity's own tag set lost `tagId`. A session whose
 * contact has the tag keeps it as inherited (`stillInherited`). For a contact, how many sessions
 * lost what they inherited, or the background propagation that will.
 */
export const EntityUntaggedEventData = z.object({
  entityType: EntityType,
  entityId: z.string(),
  tagId: z.string(),
  reason: UntagReason,
  stillInherited: z.boolean().optional(),
  sessionsLost: z.number().int().optional(),
  propagationJobId: z.string().nullable().optional(),
});

/**
 * `propagation.finished`: a background job of the propagation queue ended (`done` or `failed`):
 * a contact's tag reaching or leaving its sessions, or a tag merge (`merge-tags`, no contact).
 */
export const PropagationFinishedEventData = z.object({
  jobId: z.string(),
  kind: PropagationJobKind,
  contactId: z.string().nullable(),
  tagId: z.string(),
  status: z.enum(['done', 'failed']),
  processedSessions: z.number().int(),
});

/** `export.finished`: an export ended (`done` or `failed`); download it while it lasts. */
export const ExportFinishedEventData = z.object({
  exportId: z.string(),
  status: z.enum(['done', 'failed']),
  totalRows: z.number().int(),
});

/** `webhook.test`: sent to one endpoint by "send test event"; never in the feed. */
export const WebhookTestEventData = z.object({ endpointId: z.string(), message: z.string() });

/** Each type's `data` schema. */
export const eventDataSchemas = {
  'tag.created': TagEventData,
  'tag.updated': TagEventData,
  'tag.deleted': TagDeletedEventData,
  'tag.merged': TagMergedEventData,
  'tag.merge_progressed': TagMergeProgressedEventData,
  'contact.tagged': EntityTaggedEventData,
  'contact.untagged': EntityUntaggedEventData,
  'session.tagged': EntityTaggedEventData,
  'session.untagged': EntityUntaggedEventData,
  'propagation.finished': PropagationFinishedEventData,
  'export.finished': ExportFinishedEventData,
  'webhook.test': WebhookTestEventData,
} as const satisfies Record<WebhookEventType, z.ZodType>;

/**
 * One event as the feed, the subscription and a webhook body show it. `seq` is the event's
 * position in its workspace (the feed's cursor); `timestamp` when the change was written.
 */
export const ChangeEvent = z.object({
  id: z.string(),
  type: WebhookEventType,
  workspaceId: z.number().int(),
  seq: z.number().int(),
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type ChangeEvent = z.infer<typeof ChangeEvent>;

/**
 * A list of event types, comma-separated (`contact.tagged,contact.untagged`): the same string in a
 * query string and over tRPC. Empty or absent: every type.
 */
export const EventTypeList = z
  .string()
  .max(1000)
  .refine(
    (value) => value.split(',').every((type) => type === '' || (eventTypes as readonly string[]).includes(type)),
    {
      message: `each type must be one of ${eventTypes.join(', ')}`,
    },
  );

/** The types of an `EventTypeList`, or of an array of types (none: every type). */
export const eventTypesOf = (list: string | readonly string[] | undefined): EventType[] =>
  (typeof list === 'string' ? list.split(',') : (list ?? [])).filter((type): type is EventType =>
    (eventTypes as readonly string[]).includes(type),
  );

/**
 * `GET /api/events`: events after the cursor `after` (a `seq`; 0 or absent: from the oldest kept),
 * of the listed `types` (comma-separated in a query string; all when absent), oldest first.
 */
export const ListEventsInput = z.object({
  after: queryInteger(0, Number.MAX_SAFE_INTEGER).default(0),
  types: EventTypeList.optional(),
  limit: queryInteger(1, 1000).default(100),
});
export type ListEventsInput = z.infer<typeof ListEventsInput>;

/**
 * A page of the feed; `nextCursor` is the last event's `seq` (the cursor as it was when empty);
 * `latestSeq` is the workspace's last numbered event (0 when none): `after=latestSeq` reads only
 * what comes next, the position a consumer that starts "from now" keeps.
 */
export const EventPage = z.object({
  events: z.array(ChangeEvent),
  nextCursor: z.number().int(),
  hasMore: z.boolean(),
  latestSeq: z.number().int(),
});
export type EventPage = z.infer<typeof EventPage>;

/**
 * The subscription's input: `lastEventId` is set by tRPC's SSE link on a reconnect. `types` as the
 * feed takes them (comma-separated) or as a JSON array (`{"types":["tag.created"]}`, what a raw
 * tRPC client naturally sends).
 */
export const SubscribeEventsInput = z.object({
  after: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  // Always the decimal `seq` of an event we sent (empty: none); anything else is not ours.
  lastEventId: z
    .string()
    .max(20)
    .refine(
      (id) => id === '' || isIntegerIn(id, 0, Number.MAX_SAFE_INTEGER),
      'expected the seq of an event, in decimal',
    )
    .nullish(),
  types: z.union([EventTypeList, z.array(EventType).max(eventTypes.length * 2)]).optional(),
});
export type SubscribeEventsInput = z.infer<typeof SubscribeEventsInput>;
