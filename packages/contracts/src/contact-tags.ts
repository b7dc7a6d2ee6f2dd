import { z } from 'zod';
import { ContactId, TagId } from './ids.ts';
import { DeferredPropagation } from './entity-tags.ts';

/** `POST/DELETE /api/tags/:tagId/contacts/:contactId`: idempotent assignment (document 001). */
export const ContactTagAssignmentInput = z.strictObject({ tagId: TagId, contactId: ContactId });
export type ContactTagAssignmentInput = z.infer<typeof ContactTagAssignmentInput>;

export const ContactTagAssignmentResult = z.object({
  success: z.literal(true),
  /** False when the request changed nothing (already assigned, or already absent). */
  changed: z.boolean(),
  /** Sessions that gained (on assign) or lost (on remove) the tag through the contact. */
  sessionsAffected: z.number().int(),
  deferred: DeferredPropagation.optional(),
});
export type ContactTagAssignmentResult = z.infer<typeof ContactTagAssignmentResult>;
