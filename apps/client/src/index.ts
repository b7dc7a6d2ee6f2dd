export { TaggingApiError } from './api-error.ts';
export {
  bulkTagAll,
  eachItem,
  waitForExport,
  waitForPropagation,
  type BulkProgress,
  type WaitOptions,
} from './helpers.ts';
export { createTaggingClient, type TaggingClient, type TaggingClientOptions } from './trpc-client.ts';
