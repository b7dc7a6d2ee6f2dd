export { TaggingApiError } from './api-error.ts';
export type { ConnectionOptions } from './connection.ts';
export {
  bulkTagAll,
  eachItem,
  waitForExport,
  waitForPropagation,
  type BulkProgress,
  type WaitOptions,
} from './helpers.ts';
export { createTaggingClient, idempotent, type TaggingClient, type TaggingClientOptions } from './trpc-client.ts';
export {
  createTaggingRestClient,
  unwrap,
  type TaggingRestClient,
  type TaggingRestClientOptions,
} from './rest-client.ts';
export type { components, operations, paths } from './generated/rest-api.ts';
export { subscribeToEvents, type EventSubscription, type EventSubscriptionOptions } from './event-subscription.ts';
