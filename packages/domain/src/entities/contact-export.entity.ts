import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { exportFormats, jobStatuses } from '@tagging/contracts';
import { workspaceKey } from './workspace-key.ts';
import { timestamps } from './timestamps.ts';

/** An export of contacts with their tag names, built in batches by the background worker. */
export const ContactExport = defineEntity({
  name: 'ContactExport',
  tableName: 'contact_export',
  properties: {
    ...workspaceKey(),
    format: p.enum([...exportFormats]),
    /** A CSV file that starts with a UTF-8 byte order mark (for Excel). */
    bom: p.boolean().default(false),
    criteria: p.json<Record<string, unknown>>().columnType('jsonb'),
    status: p.enum([...jobStatuses]).default('pending'),
    /** The last contact id written; the next batch goes on after it. */
    cursor: p.text().nullable(),
    totalRows: p.integer().nullable(),
    rowsWritten: p.integer().default(0),
    bytesWritten: p.bigint().default(0),
    /** The seq of the file's last stored chunk (0: none); seqs keep the file's order, with gaps. */
    chunks: p.integer().default(0),
    /** Consecutive failed batches since the export last made progress. */
    attempts: p.integer().default(0),
    /** Of those, the ones that were not transient: the job fails for good when they reach the limit. */
    hardFailures: p.integer().default(0),
    error: p.text().nullable(),
    /** Not claimed before this time: a failed batch's backoff. */
    runAfter: p.datetime().columnType('timestamptz').defaultRaw('now()'),
    ...timestamps(),
    completedAt: p.datetime().columnType('timestamptz').nullable(),
  },
  indexes: [
    // The claim reads the unfinished exports; fairness asks when each workspace was last served
    // (its newest started export); expiry walks the finished ones by age.
    { name: 'contact_export_claim_idx', properties: ['updatedAt'], where: `status in ('pending', 'running')` },
    { name: 'contact_export_served_idx', properties: ['workspace', 'updatedAt'], where: `status <> 'pending'` },
    {
      name: 'contact_export_finished_idx',
      properties: ['updatedAt'],
      where: `status not in ('pending', 'running')`,
    },
  ],
});
export type ContactExport = InferEntity<typeof ContactExport>;

/** The export's file, in order: one chunk per batch, so no file system is shared by processes. */
export const ContactExportChunk = defineEntity({
  name: 'ContactExportChunk',
  tableName: 'contact_export_chunk',
  properties: {
    contactExport: () =>
      p.manyToOne(ContactExport).primary().joinColumns('workspace_id', 'export_id').deleteRule('cascade'),
    seq: p.integer().primary(),
    data: p.text(),
  },
});
export type ContactExportChunk = InferEntity<typeof ContactExportChunk>;
