import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Workspace } from './workspace.entity.ts';

/**
 * A contact-to-sessions propagation that continues in the background (a contact with more
 * sessions than the synchronous limit). Worked in batches, claimed with skip-locked selects; the
 * cursor makes a restart resume where the last committed batch ended.
 */
export const PropagationJob = defineEntity({
  name: 'PropagationJob',
  tableName: 'propagation_job',
  properties: {
    workspace: () => p.manyToOne(Workspace).primary().deleteRule('cascade'),
    id: p.text().primary(),
    kind: p.enum(['tag-contact', 'untag-contact']),
    contactId: p.text(),
    tagId: p.text(),
    status: p.enum(['pending', 'running', 'done', 'failed']).default('pending'),
    /** The last session id handled; batches go on after it. */
    cursor: p.text().nullable(),
    processedSessions: p.integer().default(0),
    totalSessions: p.integer().default(0),
    attempts: p.integer().default(0),
    error: p.text().nullable(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
  },
  indexes: [{ name: 'propagation_job_status_idx', properties: ['status', 'createdAt'] }],
});
export type PropagationJob = InferEntity<typeof PropagationJob>;
