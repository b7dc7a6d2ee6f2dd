import { z } from 'zod';
import {
  AppliedTag,
  AppliedTags,
  BulkEntityError,
  BulkItemError,
  BulkPatchTagsResult,
  BulkTagResult,
  BulkUntagResult,
  BulkUpsertResult,
  Contact,
  ContactExportView,
  ContactPage,
  ContactTagAssignmentResult,
  DeferredPropagation,
  DeleteResult,
  DeleteTagResult,
  EntityTag,
  EntityType,
  ErrorBody,
  ErrorCode,
  ExportFormat,
  JobStatus,
  MergeTagsResult,
  Metadata,
  PropagationJob,
  PropagationJobKind,
  Session,
  SessionPage,
  SourceType,
  SyncSessionTagsResult,
  Tag,
  TagContactResult,
  TagEntitiesResult,
  TaggedEntity,
  TagPage,
  TagSessionResult,
  TagType,
  UntagContactResult,
  UntagSessionResult,
  ZapiniConversationTags,
  ZapiniErrorBody,
  ZapiniNoData,
  ZapiniTag,
  ZapiniTagBrief,
  ZapiniTagList,
  ZapiniTagOne,
  ExportPage,
  ApiKey,
  ApiKeyList,
  CreatedApiKey,
  EventPage,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookDeliveryDetail,
} from '@tagging/contracts';

/**
 * The contracts' schemas that are named components of the OpenAPI document
 * (`#/components/schemas/<name>`), so that generated clients (openapi-typescript,
 * @hey-api/openapi-ts, orval) get named types (`Tag`, `Contact`, …) instead of inline shapes or
 * `__schema0`. Kept here, one table, rather than as `.meta({ id })` on each schema: naming is a
 * fact of the document, not of the contract (tRPC and the SDK never see it).
 * Response bodies and what they are made of only: trpc-to-openapi rebuilds every request body
 * (it takes the path parameters out), dropping the name, and a named request body would read
 * worse in openapi-typescript, which makes a field with a default (an export's `format`) required
 * in a component. A schema used in requests and responses
 * alike gets a second component, `<name>Output`, wherever the two differ (zod-openapi), so the
 * error issue stays inline in `Error` rather than be named twice.
 */
const componentNames: readonly (readonly [z.ZodType, string])[] = [
  // Records and pages.
  [Tag, 'Tag'],
  [TagType, 'TagType'],
  [TagPage, 'TagPage'],
  [Contact, 'Contact'],
  [ContactPage, 'ContactPage'],
  [Session, 'Session'],
  [SessionPage, 'SessionPage'],
  // Any JSON value (contact and session `metadata`): the recursive schema refers to itself.
  [Metadata.valueType, 'JsonValue'],
  // Entity tags and propagation (document 000).
  [EntityTag, 'EntityTag'],
  [EntityType, 'EntityType'],
  [SourceType, 'SourceType'],
  [AppliedTag, 'AppliedTag'],
  [AppliedTags, 'AppliedTags'],
  [TaggedEntity, 'TaggedEntity'],
  [TagEntitiesResult, 'TagEntitiesResult'],
  [DeferredPropagation, 'DeferredPropagation'],
  [TagContactResult, 'TagContactResult'],
  [TagSessionResult, 'TagSessionResult'],
  [UntagContactResult, 'UntagContactResult'],
  [UntagSessionResult, 'UntagSessionResult'],
  [SyncSessionTagsResult, 'SyncSessionTagsResult'],
  [BulkEntityError, 'BulkEntityError'],
  [BulkTagResult, 'BulkTagResult'],
  [BulkUntagResult, 'BulkUntagResult'],
  [PropagationJob, 'PropagationJob'],
  [PropagationJobKind, 'PropagationJobKind'],
  [JobStatus, 'JobStatus'],
  // The results of writes.
  [DeleteTagResult, 'DeleteTagResult'],
  [DeleteResult, 'DeleteResult'],
  [MergeTagsResult, 'MergeTagsResult'],
  [BulkPatchTagsResult, 'BulkPatchTagsResult'],
  [BulkItemError, 'BulkItemError'],
  [BulkUpsertResult, 'BulkUpsertResult'],
  [ContactTagAssignmentResult, 'ContactTagAssignmentResult'],
  // Exports (document 001).
  [ContactExportView, 'ContactExport'],
  [ExportFormat, 'ExportFormat'],
  [ExportPage, 'ExportPage'],
  // API keys.
  [ApiKey, 'ApiKey'],
  [ApiKeyList, 'ApiKeyList'],
  [CreatedApiKey, 'CreatedApiKey'],
  // Change events and webhooks.
  [EventPage, 'EventPage'],
  [WebhookEndpoint, 'WebhookEndpoint'],
  [WebhookEndpointList, 'WebhookEndpointList'],
  [WebhookEndpointWithSecret, 'WebhookEndpointWithSecret'],
  [WebhookDelivery, 'WebhookDelivery'],
  [WebhookDeliveryPage, 'WebhookDeliveryPage'],
  [WebhookDeliveryDetail, 'WebhookDeliveryDetail'],
  // Zapini (document 002).
  [ZapiniTag, 'ZapiniTag'],
  [ZapiniTagBrief, 'ZapiniTagBrief'],
  [ZapiniTagList, 'ZapiniTagList'],
  [ZapiniTagOne, 'ZapiniTagOne'],
  [ZapiniNoData, 'ZapiniNoData'],
  [ZapiniConversationTags, 'ZapiniConversationTags'],
  // The error bodies of each dialect.
  [ErrorBody, 'Error'],
  [ErrorCode, 'ErrorCode'],
  [ZapiniErrorBody, 'ZapiniError'],
];

/**
 * Gives each schema of the table its component name in Zod's global registry, which zod-openapi
 * (under trpc-to-openapi) reads as `id`. Idempotent; throws if another schema already has a name.
 */
export function nameComponentSchemas(): void {
  for (const [schema, id] of componentNames) {
    const meta = z.globalRegistry.get(schema);
    if (meta?.id === id) continue;
    z.globalRegistry.add(schema, { ...meta, id });
  }
}
