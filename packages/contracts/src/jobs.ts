import { z } from 'zod';

/** Where a background job (a propagation, an export) stands; the database checks the same list. */
export const jobStatuses = ['pending', 'running', 'done', 'failed'] as const;
export const JobStatus = z.enum(jobStatuses);
export type JobStatus = z.infer<typeof JobStatus>;

/** What a background propagation does to a contact's sessions. */
export const propagationJobKinds = ['tag-contact', 'untag-contact'] as const;
export const PropagationJobKind = z.enum(propagationJobKinds);
export type PropagationJobKind = z.infer<typeof PropagationJobKind>;
