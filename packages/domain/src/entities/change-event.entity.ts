import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Workspace } from './workspace.entity.ts';
import { workspaceKey } from './workspace-key.ts';

/**
 * A change event (issue 17): written in the transaction of the change it describes (the outbox),
 * numbered per workspace after commit by the sequencer (`events/event-sequencer.ts`). `seq` is
 * null until then; the feed, the subscriptions and the webhook fan-out read numbered events only.
 */
export const ChangeEvent = defineEntity({
  name: 'ChangeEvent',
  tableName: 'event',
  properties: {
    ...workspaceKey(),
    seq: p.bigint('number').nullable(),
    type: p.text(),
    payload: p.json(),
    occurredAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
  },
  uniques: [{ name: 'event_seq_uq', properties: ['workspace', 'seq'] }],
  indexes: [
    { name: 'event_unsequenced_idx', properties: ['occurredAt', 'id'], where: 'seq is null' },
    { name: 'event_occurred_at_idx', properties: ['occurredAt'] },
  ],
});
export type ChangeEvent = InferEntity<typeof ChangeEvent>;

/** The last sequence number given in each workspace; written by the sequencer only. */
export const EventSequence = defineEntity({
  name: 'EventSequence',
  tableName: 'event_sequence',
  properties: {
    workspace: () => p.manyToOne(Workspace).primary().deleteRule('cascade'),
    lastSeq: p.bigint('number'),
  },
});
export type EventSequence = InferEntity<typeof EventSequence>;
