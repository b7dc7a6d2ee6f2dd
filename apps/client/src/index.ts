export { TaggingApiError } from './api-error.ts';
export { createTaggingClient, type TaggingClient, type TaggingClientOptions } from './trpc-client.ts';
