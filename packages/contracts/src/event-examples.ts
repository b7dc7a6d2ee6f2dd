import type { WebhookEventType } from './events.ts';

const tag = {
  id: 'wtag_0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b',
  workspaceId: 1,
  name: 'VIP',
  color: 'blue',
  emoji: '⭐',
  type: 'common',
  order: 1,
  description: null,
  contactsCount: 0,
  sessionsCount: 0,
  createdAt: '2026-11-30T12:00:00.000Z',
  updatedAt: '2026-11-30T12:00:00.000Z',
  createdByKeyId: 'key_0193a1b2-5a6b-7c8d-9e0f-1a2b3c4d5e6f',
  updatedByKeyId: 'key_0193a1b2-5a6b-7c8d-9e0f-1a2b3c4d5e6f',
};
const contactId = 'contact_0193a1b2-8d9e-7f00-8a1b-2c3d4e5f6a7b';
const sessionId = 'wses_0193a1b2-9eaf-7b10-9c2d-3e4f5a6b7c8d';

/**
 * One example `data` per event type: the catalogue of docs/EVENTS.md and of the OpenAPI
 * document's `webhooks` section (checked against the schemas by the document's lint).
 */
export const eventDataExamples: Record<WebhookEventType, Record<string, unknown>> = {
  'tag.created': { tag },
  'tag.updated': { tag: { ...tag, color: '#FF5733', updatedAt: '2026-11-30T12:05:00.000Z' } },
  'tag.deleted': { tagId: tag.id, removedEntityTags: 1204 },
  'tag.merged': {
    tagId: tag.id,
    mergedTagIds: ['wtag_0193a1b2-aaaa-7bbb-8ccc-dddddddddddd'],
    movedEntityTags: 310,
    collapsedEntityTags: 12,
  },
  'tag.merge_progressed': {
    tagId: tag.id,
    mergedTagIds: ['wtag_0193a1b2-aaaa-7bbb-8ccc-dddddddddddd'],
    jobId: 'job_0193a1b2-cccc-7ddd-8eee-ffffffffffff',
    contactIds: [contactId],
    sessionIds: [sessionId],
  },
  'contact.tagged': {
    entityType: 'contact',
    entityId: contactId,
    tagId: tag.id,
    sourceType: 'direct',
    sourceEntityType: null,
    sourceEntityId: null,
    sessionsInherited: 3,
    propagationJobId: null,
  },
  'contact.untagged': {
    entityType: 'contact',
    entityId: contactId,
    tagId: tag.id,
    reason: 'untagged',
    sessionsLost: 5000,
    propagationJobId: 'job_0193a1b2-bbbb-7ccc-8ddd-eeeeeeeeeeee',
  },
  'session.tagged': {
    entityType: 'session',
    entityId: sessionId,
    tagId: tag.id,
    sourceType: 'direct',
    sourceEntityType: null,
    sourceEntityId: null,
  },
  'session.untagged': {
    entityType: 'session',
    entityId: sessionId,
    tagId: tag.id,
    reason: 'untagged',
    stillInherited: true,
  },
  'propagation.finished': {
    jobId: 'job_0193a1b2-bbbb-7ccc-8ddd-eeeeeeeeeeee',
    kind: 'untag-contact',
    contactId,
    tagId: tag.id,
    status: 'done',
    processedSessions: 995000,
  },
  'export.finished': { exportId: 'exp_0193a1b2-cccc-7ddd-8eee-ffffffffffff', status: 'done', totalRows: 18250 },
  'webhook.test': {
    endpointId: 'whep_0193a1b2-dddd-7eee-8fff-000000000000',
    message: 'This is a test event from the tagging service.',
  },
};
