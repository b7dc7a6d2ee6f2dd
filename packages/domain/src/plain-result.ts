import type { ContactExportView, DeferredPropagation } from '@tagging/contracts';

/** A propagation queued for the background, as the domain knows it (the transports link its status route). */
export type QueuedPropagation = Omit<DeferredPropagation, 'statusUrl'>;

/**
 * A domain result without what only the API documents put around it: the `success: true` flag
 * their answers carry and the URL of a deferred propagation's status route. The domain returns
 * plain data; each dialect's procedure adds its envelope and links.
 */
export type PlainResult<T> = Omit<T, 'success' | 'deferred'> &
  ('deferred' extends keyof T ? { deferred?: QueuedPropagation } : unknown);

/** An export as the domain knows it; the transports add the URL of its download route. */
export type ContactExport = Omit<ContactExportView, 'downloadUrl'>;
