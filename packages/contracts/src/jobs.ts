import { z } from 'zod';

/** Where a background job (a propagation, an export) stands; the database checks the same list. */
export const jobStatuses = ['pending', 'running', 'done', 'failed'] as const;
export const JobStatus = z.enum(jobStatuses);
export type JobStatus = z.infer<typeof JobStatus>;

/**
 * What a background job of the propagation queue does: give a contact's tag to its sessions,
 * take it back, or move the entity tags of merged tags to their target (`merge-tags`).
 */
export const propagationJobKinds = ['tag-contact', 'untag-contact', 'merge-tags'] as const;
export const PropagationJobKind = z.enum(propagationJobKinds);
export type PropagationJobKind = z.infer<typeof PropagationJobKind>;
