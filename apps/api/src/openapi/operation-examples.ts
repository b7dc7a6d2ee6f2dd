import type {
  AppliedTags,
  BulkTagResult,
  BulkUntagResult,
  ContactTagAssignmentResult,
  CreateExportInput,
  CreateTagInput,
  MergeTagsResult,
  SyncSessionTagsResult,
  Tag,
  TagChanges,
  TagContactResult,
  TagEntitiesResult,
  TagSessionResult,
  UntagContactResult,
  ZapiniConversationTags,
  ZapiniTag,
} from '@tagging/contracts';

/** The examples of one operation: its request body, its success body, its parameters by name. */
export type OperationExamples = {
  request?: unknown;
  response?: unknown;
  parameters?: Record<string, unknown>;
};

/**
 * The documents' ids (`wtag_abc123`, `contact_123`, Zapini's bare UUIDs) are not ids this service
 * would accept; the examples keep the documents' UUIDs behind our prefixes, so that every example
 * validates against its schema.
 */
const uuid = (n: number) => `550e8400-e29b-41d4-a716-${String(446_655_440_000 + n)}`;
const ids = {
  vip: `wtag_${uuid(1)}`, // Zapini "VIP"; the Entity Tags document's wtag_def456 "VIP Customer"
  support: `wtag_${uuid(2)}`, // Zapini "Support"; the Entity Tags document's wtag_ghi012 "Follow Up"
  important: `wtag_${uuid(3)}`, // Zapini "Important"; the Entity Tags document's wtag_abc123
  contact: `contact_${uuid(123)}`,
  session: `wses_${uuid(45)}`, // Zapini's conversation 550e8400-…-446655440045, wses_abc
  entityTag: `etag_${uuid(789)}`,
  otherEntityTag: `etag_${uuid(124)}`,
  apiKey: `key_${uuid(7)}`,
};
const workspaceId = 1;
const at = '2025-12-15T12:00:00.000Z';
const later = '2025-12-15T12:05:00.000Z';

const vipTag: Tag = {
  id: ids.vip,
  workspaceId,
  name: 'VIP',
  color: 'blue',
  emoji: '⭐',
  type: 'common',
  order: 0,
  description: null,
  contactsCount: 0,
  sessionsCount: 0,
  createdByKeyId: ids.apiKey,
  updatedByKeyId: ids.apiKey,
  createdAt: at,
  updatedAt: at,
};

const bulkEntities = [
  { entityType: 'contact', entityId: ids.contact },
  { entityType: 'session', entityId: ids.session },
];

const zapiniVip: ZapiniTag = {
  id: ids.vip,
  name: 'VIP',
  color: '#f59e0b',
  conversations_count: 15,
  created_at: '2025-01-15T10:30:00Z',
  updated_at: '2025-01-15T10:30:00Z',
};

/** Examples from the API documents in `seeds/`, keyed by operationId. */
export const operationExamples: Record<string, OperationExamples> = {
  // ---- document 000: Entity Tags -------------------------------------------------------
  'entityTags-tagContact': {
    parameters: { contactId: ids.contact, workspaceId },
    request: { tagId: ids.important },
    response: {
      success: true,
      contactTag: {
        id: ids.entityTag,
        entityType: 'contact',
        entityId: ids.contact,
        tagId: ids.important,
        sourceType: 'direct',
        sourceEntityType: null,
        sourceEntityId: null,
        appliedByKeyId: ids.apiKey,
        createdAt: at,
      },
      propagatedToSessions: 3,
    } satisfies TagContactResult,
  },
  'entityTags-tagSession': {
    parameters: { sessionId: ids.session, workspaceId },
    request: { tagId: ids.important, propagateToContact: false },
    response: {
      success: true,
      sessionTag: {
        id: ids.entityTag,
        entityType: 'session',
        entityId: ids.session,
        tagId: ids.important,
        sourceType: 'direct',
        sourceEntityType: null,
        sourceEntityId: null,
        appliedByKeyId: ids.apiKey,
        createdAt: at,
      },
      propagatedToContact: false,
    } satisfies TagSessionResult,
  },
  'entityTags-contactTags': {
    parameters: { contactId: ids.contact, workspaceId },
    response: {
      tags: [
        {
          id: ids.otherEntityTag,
          tag: { id: ids.vip, name: 'VIP Customer', color: '#FF5733', emoji: null },
          sourceType: 'direct',
          appliedByKeyId: ids.apiKey,
          createdAt: at,
        },
      ],
    } satisfies AppliedTags,
  },
  'entityTags-sessionTags': {
    parameters: { sessionId: ids.session, workspaceId },
    response: {
      tags: [
        {
          id: ids.otherEntityTag,
          tag: { id: ids.vip, name: 'VIP Customer', color: '#FF5733', emoji: null },
          sourceType: 'direct',
          appliedByKeyId: ids.apiKey,
          createdAt: at,
        },
        {
          id: ids.entityTag,
          tag: { id: ids.support, name: 'Follow Up', color: '#33FF57', emoji: null },
          sourceType: 'inherited',
          sourceEntityType: 'contact',
          sourceEntityId: ids.contact,
          appliedByKeyId: null,
          createdAt: later,
        },
      ],
    } satisfies AppliedTags,
  },
  'entityTags-untagContact': {
    parameters: { contactId: ids.contact, tagId: ids.important, workspaceId },
    response: { success: true, removedFromSessions: 3 } satisfies UntagContactResult,
  },
  'entityTags-untagSession': {
    parameters: { sessionId: ids.session, tagId: ids.important, workspaceId },
    response: { success: true },
  },
  'entityTags-syncSessionTags': {
    parameters: { sessionId: ids.session, workspaceId },
    response: { success: true, addedTags: 2, removedTags: 0 } satisfies SyncSessionTagsResult,
  },
  'entityTags-tagEntities': {
    parameters: { tagId: ids.important, workspaceId },
    response: {
      entities: [
        {
          entityType: 'contact',
          entityId: ids.contact,
          sourceType: 'direct',
          appliedByKeyId: ids.apiKey,
          createdAt: at,
        },
        {
          entityType: 'session',
          entityId: ids.session,
          sourceType: 'inherited',
          sourceEntityType: 'contact',
          sourceEntityId: ids.contact,
          appliedByKeyId: null,
          createdAt: later,
        },
      ],
      nextCursor: null,
    } satisfies TagEntitiesResult,
  },
  'entityTags-bulkTag': {
    parameters: { workspaceId },
    request: { entities: bulkEntities, tagId: ids.important },
    response: {
      success: true,
      tagged: 2,
      skipped: 0,
      propagatedToSessions: 1,
      errors: [],
    } satisfies BulkTagResult,
  },
  'entityTags-bulkUntag': {
    parameters: { workspaceId },
    request: { entities: bulkEntities, tagId: ids.important },
    response: {
      success: true,
      untagged: 2,
      skipped: 0,
      removedFromSessions: 1,
      errors: [],
    } satisfies BulkUntagResult,
  },

  // ---- document 001: contact tags, filters, exports ---------------------------------------
  'tags-create': {
    request: { name: 'VIP', color: 'blue', emoji: '⭐' } satisfies CreateTagInput,
    response: vipTag,
  },
  'tags-update': {
    parameters: { id: ids.vip },
    request: { name: 'VIP Customer', color: '#FF5733' } satisfies TagChanges,
    response: { ...vipTag, name: 'VIP Customer', color: '#FF5733', updatedAt: later } satisfies Tag,
  },
  'tags-merge': {
    parameters: { id: ids.vip },
    request: { sourceTagIds: [ids.important] },
    response: {
      success: true,
      tag: { ...vipTag, contactsCount: 3, sessionsCount: 5 },
      mergedTagIds: [ids.important],
      movedEntityTags: 4,
      collapsedEntityTags: 1,
    } satisfies MergeTagsResult,
  },
  'tags-assignToContact': {
    parameters: { tagId: ids.vip, contactId: ids.contact },
    response: { success: true, changed: true, sessionsAffected: 2 } satisfies ContactTagAssignmentResult,
  },
  'tags-removeFromContact': {
    parameters: { tagId: ids.vip, contactId: ids.contact },
    response: { success: true, changed: true, sessionsAffected: 2 } satisfies ContactTagAssignmentResult,
  },
  'contacts-list': {
    parameters: { tag_ids: `${ids.vip},${ids.support},${ids.important}` },
  },
  'exports-create': {
    request: { format: 'csv', bom: false, tagIds: [ids.vip] } satisfies CreateExportInput,
  },

  // ---- document 002: Zapini ---------------------------------------------------------------
  'zapini-listTags': {
    response: { success: true, data: { tags: [zapiniVip] } },
  },
  'zapini-createTag': {
    request: { name: 'Important', color: '#ef4444' },
    response: {
      success: true,
      message: 'Tag created successfully',
      data: {
        tag: {
          id: ids.important,
          name: 'Important',
          color: '#ef4444',
          conversations_count: 0,
          created_at: '2025-01-15T12:00:00Z',
          updated_at: '2025-01-15T12:00:00Z',
        },
      },
    },
  },
  'zapini-getTag': {
    parameters: { uuid: ids.vip },
    response: { success: true, data: { tag: zapiniVip } },
  },
  'zapini-replaceConversationTags': {
    parameters: { uuid: ids.session },
    request: { tag_ids: [ids.vip, ids.support] },
    response: {
      success: true,
      message: 'Conversation tags updated',
      data: {
        tags: [
          { id: ids.vip, name: 'VIP', color: '#f59e0b' },
          { id: ids.support, name: 'Support', color: '#3b82f6' },
        ],
        inherited_tags: [],
        version: '5791a5d0c92ec1e85516',
      },
    } satisfies ZapiniConversationTags,
  },
};
