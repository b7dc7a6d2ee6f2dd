// Generated from the API's router type by `pnpm --filter @tagging/client generate`. Do not edit.
// The router's type as a client sees it: each procedure's kind, input and output, and the error
// shape, with no server type (context, database, meta) behind it, so the published SDK's
// declarations stand alone.
/* eslint-disable @typescript-eslint/no-explicit-any -- a subscription's output is tRPC's AsyncIterable<T, void, any> */
import type {
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from '@trpc/server';

/** What a subscription yields for a `tracked` event: tRPC's `TrackedData`, which it does not export. */
type TrackedData<TData> = { id: string; data: TData };

/** Any JSON value (contact and session `metadata`). */
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The API's tRPC router, as `createTaggingClient` types it. */
export type AppRouter = TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: {
      message: string;
      data: {
        code: string;
        httpStatus: number;
        path?: string | undefined;
        errorCode:
          | 'UNAUTHORIZED'
          | 'FORBIDDEN'
          | 'NOT_FOUND'
          | 'CONFLICT'
          | 'PRECONDITION_FAILED'
          | 'PAYLOAD_TOO_LARGE'
          | 'UNSUPPORTED_MEDIA_TYPE'
          | 'VALIDATION_ERROR'
          | 'METHOD_NOT_ALLOWED'
          | 'REQUEST_TIMEOUT'
          | 'URI_TOO_LONG'
          | 'IDEMPOTENCY_KEY_REUSED'
          | 'RATE_LIMITED'
          | 'HEADERS_TOO_LARGE'
          | 'INTERNAL_ERROR'
          | 'UNAVAILABLE';
        issues?: { path: (string | number)[]; message: string }[] | undefined;
      };
      code:
        | -32700
        | -32600
        | -32603
        | -32001
        | -32002
        | -32003
        | -32004
        | -32005
        | -32008
        | -32009
        | -32012
        | -32013
        | -32015
        | -32022
        | -32028
        | -32029
        | -32099;
    };
    transformer: false;
  },
  {
    zapini: {
      listTags: TRPCQueryProcedure<{
        input: { [x: string]: never };
        output: {
          success: true;
          data: {
            tags: {
              id: string;
              name: string;
              color: string | null;
              conversations_count: number;
              created_at: string;
              updated_at: string;
            }[];
          };
          message?: string | undefined;
        };
        meta: object;
      }>;
      createTag: TRPCMutationProcedure<{
        input: { name: string; color: string };
        output: {
          success: true;
          data: {
            tag: {
              id: string;
              name: string;
              color: string | null;
              conversations_count: number;
              created_at: string;
              updated_at: string;
            };
          };
          message?: string | undefined;
        };
        meta: object;
      }>;
      getTag: TRPCQueryProcedure<{
        input: { uuid: string };
        output: {
          success: true;
          data: {
            tag: {
              id: string;
              name: string;
              color: string | null;
              conversations_count: number;
              created_at: string;
              updated_at: string;
            };
          };
          message?: string | undefined;
        };
        meta: object;
      }>;
      updateTag: TRPCMutationProcedure<{
        input: { uuid: string; name?: string | undefined; color?: string | null | undefined };
        output: {
          success: true;
          data: {
            tag: {
              id: string;
              name: string;
              color: string | null;
              conversations_count: number;
              created_at: string;
              updated_at: string;
            };
          };
          message?: string | undefined;
        };
        meta: object;
      }>;
      deleteTag: TRPCMutationProcedure<{
        input: { uuid: string };
        output: { success: true; data: null; message?: string | undefined };
        meta: object;
      }>;
      replaceConversationTags: TRPCMutationProcedure<{
        input: { uuid: string; tag_ids: string[]; version?: string | undefined };
        output: {
          success: true;
          data: {
            tags: { id: string; name: string; color: string | null }[];
            inherited_tags: { id: string; name: string; color: string | null }[];
            version: string;
          };
          message?: string | undefined;
        };
        meta: object;
      }>;
      conversationTags: TRPCQueryProcedure<{
        input: { uuid: string };
        output: {
          success: true;
          data: {
            tags: { id: string; name: string; color: string | null }[];
            inherited_tags: { id: string; name: string; color: string | null }[];
            version: string;
          };
          message?: string | undefined;
        };
        meta: object;
      }>;
    };
    exports: {
      create: TRPCMutationProcedure<{
        input: {
          tagIds?: string[] | undefined;
          tagMatch?: 'any' | 'all' | undefined;
          excludeTagIds?: string[] | undefined;
          format?: 'jsonl' | 'csv' | 'xlsx' | undefined;
          bom?: boolean | undefined;
        };
        output: {
          id: string;
          format: 'jsonl' | 'csv' | 'xlsx';
          bom: boolean;
          status: 'pending' | 'running' | 'done' | 'failed';
          totalRows: number | null;
          rowsWritten: number;
          bytesWritten: number;
          progress: number;
          error: string | null;
          createdAt: string;
          completedAt: string | null;
          expiresAt: string | null;
          downloadUrl: string;
        };
        meta: object;
      }>;
      get: TRPCQueryProcedure<{
        input: { id: string };
        output: {
          id: string;
          format: 'jsonl' | 'csv' | 'xlsx';
          bom: boolean;
          status: 'pending' | 'running' | 'done' | 'failed';
          totalRows: number | null;
          rowsWritten: number;
          bytesWritten: number;
          progress: number;
          error: string | null;
          createdAt: string;
          completedAt: string | null;
          expiresAt: string | null;
          downloadUrl: string;
        };
        meta: object;
      }>;
      list: TRPCQueryProcedure<{
        input: { limit?: string | number | undefined; cursor?: string | undefined };
        output: {
          exports: {
            id: string;
            format: 'jsonl' | 'csv' | 'xlsx';
            bom: boolean;
            status: 'pending' | 'running' | 'done' | 'failed';
            totalRows: number | null;
            rowsWritten: number;
            bytesWritten: number;
            progress: number;
            error: string | null;
            createdAt: string;
            completedAt: string | null;
            expiresAt: string | null;
            downloadUrl: string;
          }[];
          nextCursor: string | null;
        };
        meta: object;
      }>;
      delete: TRPCMutationProcedure<{ input: { id: string }; output: { success: true }; meta: object }>;
    };
    entityTags: {
      tagContact: TRPCMutationProcedure<{
        input: { contactId: string; tagId: string; workspaceId: string | number };
        output: {
          success: true;
          contactTag: {
            id: string;
            entityType: 'contact' | 'session';
            entityId: string;
            tagId: string;
            sourceType: 'direct' | 'inherited';
            sourceEntityType: 'contact' | 'session' | null;
            sourceEntityId: string | null;
            appliedByKeyId: string | null;
            createdAt: string;
          };
          propagatedToSessions: number;
          deferred?:
            | { jobId: string; status: 'pending' | 'running' | 'done' | 'failed'; sessions: number; statusUrl: string }
            | undefined;
        };
        meta: object;
      }>;
      tagSession: TRPCMutationProcedure<{
        input: {
          sessionId: string;
          tagId: string;
          workspaceId: string | number;
          propagateToContact?: boolean | 'true' | 'false' | undefined;
        };
        output: {
          success: true;
          sessionTag: {
            id: string;
            entityType: 'contact' | 'session';
            entityId: string;
            tagId: string;
            sourceType: 'direct' | 'inherited';
            sourceEntityType: 'contact' | 'session' | null;
            sourceEntityId: string | null;
            appliedByKeyId: string | null;
            createdAt: string;
          };
          propagatedToContact: boolean;
          propagatedToSessions?: number | undefined;
          deferred?:
            | { jobId: string; status: 'pending' | 'running' | 'done' | 'failed'; sessions: number; statusUrl: string }
            | undefined;
        };
        meta: object;
      }>;
      contactTags: TRPCQueryProcedure<{
        input: { contactId: string; workspaceId: string | number };
        output: {
          tags: {
            id: string;
            tag: { id: string; name: string; color: string | null; emoji: string | null };
            sourceType: 'direct' | 'inherited';
            appliedByKeyId: string | null;
            createdAt: string;
            sourceEntityType?: 'contact' | 'session' | undefined;
            sourceEntityId?: string | undefined;
          }[];
        };
        meta: object;
      }>;
      sessionTags: TRPCQueryProcedure<{
        input: { sessionId: string; workspaceId: string | number };
        output: {
          tags: {
            id: string;
            tag: { id: string; name: string; color: string | null; emoji: string | null };
            sourceType: 'direct' | 'inherited';
            appliedByKeyId: string | null;
            createdAt: string;
            sourceEntityType?: 'contact' | 'session' | undefined;
            sourceEntityId?: string | undefined;
          }[];
        };
        meta: object;
      }>;
      untagContact: TRPCMutationProcedure<{
        input: { contactId: string; tagId: string; workspaceId: string | number };
        output: {
          success: true;
          removedFromSessions: number;
          deferred?:
            | { jobId: string; status: 'pending' | 'running' | 'done' | 'failed'; sessions: number; statusUrl: string }
            | undefined;
        };
        meta: object;
      }>;
      untagSession: TRPCMutationProcedure<{
        input: { sessionId: string; tagId: string; workspaceId: string | number };
        output: { success: true };
        meta: object;
      }>;
      syncSessionTags: TRPCMutationProcedure<{
        input: { sessionId: string; workspaceId: string | number };
        output: { success: true; addedTags: number; removedTags: number };
        meta: object;
      }>;
      tagEntities: TRPCQueryProcedure<{
        input: {
          tagId: string;
          workspaceId: string | number;
          limit?: string | number | undefined;
          cursor?: string | undefined;
          entityType?: 'contact' | 'session' | undefined;
          sourceType?: 'direct' | 'inherited' | undefined;
        };
        output: {
          entities: {
            entityType: 'contact' | 'session';
            entityId: string;
            sourceType: 'direct' | 'inherited';
            appliedByKeyId: string | null;
            createdAt: string;
            sourceEntityType?: 'contact' | 'session' | undefined;
            sourceEntityId?: string | undefined;
          }[];
          nextCursor: string | null;
        };
        meta: object;
      }>;
      bulkTag: TRPCMutationProcedure<{
        input: {
          tagId: string;
          entities: ({ entityType: 'contact'; entityId: string } | { entityType: 'session'; entityId: string })[];
          workspaceId: string | number;
        };
        output: {
          success: boolean;
          tagged: number;
          skipped: number;
          propagatedToSessions: number;
          errors: {
            index: number;
            entityType: string;
            entityId: string;
            code: 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_ERROR';
            message: string;
          }[];
        };
        meta: object;
      }>;
      bulkUntag: TRPCMutationProcedure<{
        input: {
          tagId: string;
          entities: ({ entityType: 'contact'; entityId: string } | { entityType: 'session'; entityId: string })[];
          workspaceId: string | number;
        };
        output: {
          success: boolean;
          untagged: number;
          skipped: number;
          removedFromSessions: number;
          errors: {
            index: number;
            entityType: string;
            entityId: string;
            code: 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_ERROR';
            message: string;
          }[];
        };
        meta: object;
      }>;
      propagationJob: TRPCQueryProcedure<{
        input: { jobId: string; workspaceId: string | number };
        output: {
          id: string;
          kind: 'tag-contact' | 'untag-contact' | 'merge-tags';
          contactId: string | null;
          tagId: string;
          status: 'pending' | 'running' | 'done' | 'failed';
          processedSessions: number;
          totalSessions: number;
          error: string | null;
          createdAt: string;
          updatedAt: string;
          sourceTagIds?: string[] | undefined;
        };
        meta: object;
      }>;
    };
    tags: {
      create: TRPCMutationProcedure<{
        input: {
          name: string;
          color?: string | null | undefined;
          emoji?: string | null | undefined;
          type?: 'client' | 'message' | 'common' | 'conversation' | 'clientStage' | 'convStage' | undefined;
          order?: number | undefined;
          description?: string | null | undefined;
        };
        output: {
          id: string;
          workspaceId: number;
          name: string;
          color: string | null;
          emoji: string | null;
          type: 'client' | 'message' | 'common' | 'conversation' | 'clientStage' | 'convStage';
          order: number;
          description: string | null;
          contactsCount: number;
          sessionsCount: number;
          createdByKeyId: string | null;
          updatedByKeyId: string | null;
          createdAt: string;
          updatedAt: string;
        };
        meta: object;
      }>;
      list: TRPCQueryProcedure<{
        input: {
          limit?: string | number | undefined;
          cursor?: string | undefined;
          q?: string | undefined;
          type?: 'client' | 'message' | 'common' | 'conversation' | 'clientStage' | 'convStage' | undefined;
        };
        output: {
          tags: {
            id: string;
            workspaceId: number;
            name: string;
            color: string | null;
            emoji: string | null;
            type: 'client' | 'message' | 'common' | 'conversation' | 'clientStage' | 'convStage';
            order: number;
            description: string | null;
            contactsCount: number;
            sessionsCount: number;
            createdByKeyId: string | null;
            updatedByKeyId: string | null;
            createdAt: string;
            updatedAt: string;
          }[];
          nextCursor: string | null;
        };
        meta: object;
      }>;
      get: TRPCQueryProcedure<{
        input: { id: string };
        output: {
          id: string;
          workspaceId: number;
          name: string;
          color: string | null;
          emoji: string | null;
          type: 'client' | 'message' | 'common' | 'conversation' | 'clientStage' | 'convStage';
          order: number;
          description: string | null;
          contactsCount: number;
          sessionsCount: number;
          createdByKeyId: string | null;
          updatedByKeyId: string | null;
          createdAt: string;
          updatedAt: string;
        };
        meta: object;
      }>;
      update: TRPCMutationProcedure<{
        input: {
          id: string;
          name?: string | undefined;
          color?: string | null | undefined;
          emoji?: string | null | undefined;
          type?: 'client' | 'message' | 'common' | 'conversation' | 'clientStage' | 'convStage' | undefined;
          order?: number | undefined;
          description?: string | null | undefined;
        };
        output: {
          id: string;
          workspaceId: number;
          name: string;
          color: string | null;
          emoji: string | null;
          type: 'client' | 'message' | 'common' | 'conversation' | 'clientStage' | 'convStage';
          order: number;
          description: string | null;
          contactsCount: number;
          sessionsCount: number;
          createdByKeyId: string | null;
          updatedByKeyId: string | null;
          createdAt: string;
          updatedAt: string;
        };
        meta: object;
      }>;
      delete: TRPCMutationProcedure<{
        input: { id: string };
        output: { success: true; removedEntityTags: number };
        meta: object;
      }>;
      bulkPatch: TRPCMutationProcedure<{
        input: { patches: { id: string; order?: number | undefined; description?: string | null | undefined }[] };
        output: { success: true; patched: number };
        meta: object;
      }>;
      merge: TRPCMutationProcedure<{
        input: { id: string; sourceTagIds: string[] };
        output: {
          success: true;
          tag: {
            id: string;
            workspaceId: number;
            name: string;
            color: string | null;
            emoji: string | null;
            type: 'client' | 'message' | 'common' | 'conversation' | 'clientStage' | 'convStage';
            order: number;
            description: string | null;
            contactsCount: number;
            sessionsCount: number;
            createdByKeyId: string | null;
            updatedByKeyId: string | null;
            createdAt: string;
            updatedAt: string;
          };
          mergedTagIds: string[];
          movedEntityTags: number;
          collapsedEntityTags: number;
          deferred?:
            | { jobId: string; status: 'pending' | 'running' | 'done' | 'failed'; sessions: number; statusUrl: string }
            | undefined;
        };
        meta: object;
      }>;
      assignToContact: TRPCMutationProcedure<{
        input: { tagId: string; contactId: string };
        output: {
          success: true;
          changed: boolean;
          sessionsAffected: number;
          deferred?:
            | { jobId: string; status: 'pending' | 'running' | 'done' | 'failed'; sessions: number; statusUrl: string }
            | undefined;
        };
        meta: object;
      }>;
      removeFromContact: TRPCMutationProcedure<{
        input: { tagId: string; contactId: string };
        output: {
          success: true;
          changed: boolean;
          sessionsAffected: number;
          deferred?:
            | { jobId: string; status: 'pending' | 'running' | 'done' | 'failed'; sessions: number; statusUrl: string }
            | undefined;
        };
        meta: object;
      }>;
    };
    contacts: {
      create: TRPCMutationProcedure<{
        input: {
          name?: string | undefined;
          externalId?: string | undefined;
          metadata?: Record<string, JsonValue> | undefined;
        };
        output: {
          workspaceId: number;
          name: string;
          externalId: string | null;
          metadata: Record<string, unknown>;
          createdAt: string;
          updatedAt: string;
          id: string;
        };
        meta: object;
      }>;
      list: TRPCQueryProcedure<{
        input: {
          limit?: string | number | undefined;
          cursor?: string | undefined;
          tag_ids?: unknown;
          tag_match?: 'any' | 'all' | undefined;
          exclude_tag_ids?: unknown;
        };
        output: {
          contacts: {
            workspaceId: number;
            name: string;
            externalId: string | null;
            metadata: Record<string, unknown>;
            createdAt: string;
            updatedAt: string;
            id: string;
          }[];
          nextCursor: string | null;
          total: number;
        };
        meta: object;
      }>;
      get: TRPCQueryProcedure<{
        input: { id: string };
        output: {
          workspaceId: number;
          name: string;
          externalId: string | null;
          metadata: Record<string, unknown>;
          createdAt: string;
          updatedAt: string;
          id: string;
        };
        meta: object;
      }>;
      update: TRPCMutationProcedure<{
        input: {
          id: string;
          name?: string | undefined;
          externalId?: string | null | undefined;
          metadata?: Record<string, JsonValue> | undefined;
        };
        output: {
          workspaceId: number;
          name: string;
          externalId: string | null;
          metadata: Record<string, unknown>;
          createdAt: string;
          updatedAt: string;
          id: string;
        };
        meta: object;
      }>;
      delete: TRPCMutationProcedure<{ input: { id: string }; output: { success: true }; meta: object }>;
      bulkUpsert: TRPCMutationProcedure<{
        input: {
          contacts: {
            externalId?: string | undefined;
            name?: string | undefined;
            metadata?: Record<string, JsonValue> | undefined;
          }[];
        };
        output: {
          success: true;
          created: number;
          updated: number;
          ids: (string | null)[];
          errors: { index: number; code: 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_ERROR'; message: string }[];
        };
        meta: object;
      }>;
    };
    sessions: {
      create: TRPCMutationProcedure<{
        input: {
          name?: string | undefined;
          contactId?: string | null | undefined;
          externalId?: string | undefined;
          metadata?: Record<string, JsonValue> | undefined;
        };
        output: {
          workspaceId: number;
          name: string;
          externalId: string | null;
          metadata: Record<string, unknown>;
          createdAt: string;
          updatedAt: string;
          id: string;
          contactId: string | null;
        };
        meta: object;
      }>;
      list: TRPCQueryProcedure<{
        input: {
          limit?: string | number | undefined;
          cursor?: string | undefined;
          tag_ids?: unknown;
          tag_match?: 'any' | 'all' | undefined;
          exclude_tag_ids?: unknown;
          contactId?: string | undefined;
        };
        output: {
          sessions: {
            workspaceId: number;
            name: string;
            externalId: string | null;
            metadata: Record<string, unknown>;
            createdAt: string;
            updatedAt: string;
            id: string;
            contactId: string | null;
          }[];
          nextCursor: string | null;
          total: number;
        };
        meta: object;
      }>;
      get: TRPCQueryProcedure<{
        input: { id: string };
        output: {
          workspaceId: number;
          name: string;
          externalId: string | null;
          metadata: Record<string, unknown>;
          createdAt: string;
          updatedAt: string;
          id: string;
          contactId: string | null;
        };
        meta: object;
      }>;
      update: TRPCMutationProcedure<{
        input: {
          id: string;
          name?: string | undefined;
          contactId?: string | null | undefined;
          externalId?: string | null | undefined;
          metadata?: Record<string, JsonValue> | undefined;
        };
        output: {
          workspaceId: number;
          name: string;
          externalId: string | null;
          metadata: Record<string, unknown>;
          createdAt: string;
          updatedAt: string;
          id: string;
          contactId: string | null;
        };
        meta: object;
      }>;
      delete: TRPCMutationProcedure<{ input: { id: string }; output: { success: true }; meta: object }>;
      bulkUpsert: TRPCMutationProcedure<{
        input: {
          sessions: {
            externalId?: string | undefined;
            name?: string | undefined;
            metadata?: Record<string, JsonValue> | undefined;
            contactId?: string | null | undefined;
            contactExternalId?: string | undefined;
          }[];
        };
        output: {
          success: true;
          created: number;
          updated: number;
          ids: (string | null)[];
          errors: { index: number; code: 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_ERROR'; message: string }[];
        };
        meta: object;
      }>;
    };
    apiKeys: {
      list: TRPCQueryProcedure<{
        input: Record<string, never> | undefined;
        output: {
          apiKeys: {
            id: string;
            workspaceId: number;
            name: string;
            hint: string;
            scope: 'admin' | 'read' | 'write';
            createdAt: string;
            expiresAt: string | null;
            lastUsedAt: string | null;
            revokedAt: string | null;
          }[];
        };
        meta: object;
      }>;
      create: TRPCMutationProcedure<{
        input: { scope: 'admin' | 'read' | 'write'; name?: string | undefined; expiresAt?: string | null | undefined };
        output: {
          id: string;
          workspaceId: number;
          name: string;
          hint: string;
          scope: 'admin' | 'read' | 'write';
          createdAt: string;
          expiresAt: string | null;
          lastUsedAt: string | null;
          revokedAt: string | null;
          secret: string;
        };
        meta: object;
      }>;
      revoke: TRPCMutationProcedure<{
        input: { id: string };
        output: {
          id: string;
          workspaceId: number;
          name: string;
          hint: string;
          scope: 'admin' | 'read' | 'write';
          createdAt: string;
          expiresAt: string | null;
          lastUsedAt: string | null;
          revokedAt: string | null;
        };
        meta: object;
      }>;
    };
    events: {
      list: TRPCQueryProcedure<{
        input: { after?: string | number | undefined; types?: string | undefined; limit?: string | number | undefined };
        output: {
          events: {
            id: string;
            type:
              | 'tag.created'
              | 'tag.updated'
              | 'tag.deleted'
              | 'tag.merged'
              | 'tag.merge_progressed'
              | 'contact.tagged'
              | 'contact.untagged'
              | 'session.tagged'
              | 'session.untagged'
              | 'propagation.finished'
              | 'export.finished'
              | 'webhook.test';
            workspaceId: number;
            seq: number;
            timestamp: string;
            data: Record<string, unknown>;
          }[];
          nextCursor: number;
          hasMore: boolean;
          latestSeq: number;
        };
        meta: object;
      }>;
      subscribe: TRPCSubscriptionProcedure<{
        input: {
          after?: number | undefined;
          lastEventId?: string | null | undefined;
          types?:
            | string
            | (
                | 'tag.created'
                | 'tag.updated'
                | 'tag.deleted'
                | 'tag.merged'
                | 'tag.merge_progressed'
                | 'contact.tagged'
                | 'contact.untagged'
                | 'session.tagged'
                | 'session.untagged'
                | 'propagation.finished'
                | 'export.finished'
              )[]
            | undefined;
        };
        output: AsyncIterable<
          TrackedData<{
            id: string;
            type:
              | 'tag.created'
              | 'tag.updated'
              | 'tag.deleted'
              | 'tag.merged'
              | 'tag.merge_progressed'
              | 'contact.tagged'
              | 'contact.untagged'
              | 'session.tagged'
              | 'session.untagged'
              | 'propagation.finished'
              | 'export.finished'
              | 'webhook.test';
            workspaceId: number;
            seq: number;
            timestamp: string;
            data: Record<string, unknown>;
          }>,
          void,
          any
        >;
        meta: object;
      }>;
    };
    webhooks: {
      create: TRPCMutationProcedure<{
        input: {
          url: string;
          eventTypes?:
            | (
                | 'tag.created'
                | 'tag.updated'
                | 'tag.deleted'
                | 'tag.merged'
                | 'tag.merge_progressed'
                | 'contact.tagged'
                | 'contact.untagged'
                | 'session.tagged'
                | 'session.untagged'
                | 'propagation.finished'
                | 'export.finished'
                | 'webhook.test'
              )[]
            | undefined;
          description?: string | null | undefined;
        };
        output: {
          id: string;
          url: string;
          description: string | null;
          eventTypes: string[];
          disabled: boolean;
          disabledAt: string | null;
          disabledReason: string | null;
          failingSince: string | null;
          previousSecretExpiresAt: string | null;
          createdAt: string;
          updatedAt: string;
          secret: string;
        };
        meta: object;
      }>;
      list: TRPCQueryProcedure<{
        input: { [x: string]: never };
        output: {
          endpoints: {
            id: string;
            url: string;
            description: string | null;
            eventTypes: string[];
            disabled: boolean;
            disabledAt: string | null;
            disabledReason: string | null;
            failingSince: string | null;
            previousSecretExpiresAt: string | null;
            createdAt: string;
            updatedAt: string;
          }[];
        };
        meta: object;
      }>;
      get: TRPCQueryProcedure<{
        input: { id: string };
        output: {
          id: string;
          url: string;
          description: string | null;
          eventTypes: string[];
          disabled: boolean;
          disabledAt: string | null;
          disabledReason: string | null;
          failingSince: string | null;
          previousSecretExpiresAt: string | null;
          createdAt: string;
          updatedAt: string;
        };
        meta: object;
      }>;
      update: TRPCMutationProcedure<{
        input: {
          id: string;
          url?: string | undefined;
          eventTypes?:
            | (
                | 'tag.created'
                | 'tag.updated'
                | 'tag.deleted'
                | 'tag.merged'
                | 'tag.merge_progressed'
                | 'contact.tagged'
                | 'contact.untagged'
                | 'session.tagged'
                | 'session.untagged'
                | 'propagation.finished'
                | 'export.finished'
                | 'webhook.test'
              )[]
            | undefined;
          description?: string | null | undefined;
          disabled?: boolean | undefined;
        };
        output: {
          id: string;
          url: string;
          description: string | null;
          eventTypes: string[];
          disabled: boolean;
          disabledAt: string | null;
          disabledReason: string | null;
          failingSince: string | null;
          previousSecretExpiresAt: string | null;
          createdAt: string;
          updatedAt: string;
        };
        meta: object;
      }>;
      delete: TRPCMutationProcedure<{ input: { id: string }; output: { success: true }; meta: object }>;
      rotateSecret: TRPCMutationProcedure<{
        input: { id: string; graceMinutes?: number | undefined };
        output: {
          id: string;
          url: string;
          description: string | null;
          eventTypes: string[];
          disabled: boolean;
          disabledAt: string | null;
          disabledReason: string | null;
          failingSince: string | null;
          previousSecretExpiresAt: string | null;
          createdAt: string;
          updatedAt: string;
          secret: string;
        };
        meta: object;
      }>;
      sendTest: TRPCMutationProcedure<{
        input: { id: string };
        output: {
          id: string;
          endpointId: string;
          eventId: string;
          eventType: string;
          status: 'pending' | 'failed' | 'succeeded';
          attempts: number;
          nextAttemptAt: string | null;
          lastStatusCode: number | null;
          lastError: string | null;
          deliveredAt: string | null;
          createdAt: string;
        };
        meta: object;
      }>;
      deliveries: TRPCQueryProcedure<{
        input: {
          id: string;
          status?: 'pending' | 'failed' | 'succeeded' | undefined;
          limit?: string | number | undefined;
          cursor?: string | undefined;
        };
        output: {
          deliveries: {
            id: string;
            endpointId: string;
            eventId: string;
            eventType: string;
            status: 'pending' | 'failed' | 'succeeded';
            attempts: number;
            nextAttemptAt: string | null;
            lastStatusCode: number | null;
            lastError: string | null;
            deliveredAt: string | null;
            createdAt: string;
          }[];
          nextCursor: string | null;
        };
        meta: object;
      }>;
      delivery: TRPCQueryProcedure<{
        input: { id: string; deliveryId: string };
        output: {
          id: string;
          endpointId: string;
          eventId: string;
          eventType: string;
          status: 'pending' | 'failed' | 'succeeded';
          attempts: number;
          nextAttemptAt: string | null;
          lastStatusCode: number | null;
          lastError: string | null;
          deliveredAt: string | null;
          createdAt: string;
          attemptLog: {
            attemptedAt: string;
            statusCode: number | null;
            latencyMs: number;
            responseBody: string | null;
            error: string | null;
          }[];
        };
        meta: object;
      }>;
      retryDelivery: TRPCMutationProcedure<{
        input: { id: string; deliveryId: string };
        output: {
          id: string;
          endpointId: string;
          eventId: string;
          eventType: string;
          status: 'pending' | 'failed' | 'succeeded';
          attempts: number;
          nextAttemptAt: string | null;
          lastStatusCode: number | null;
          lastError: string | null;
          deliveredAt: string | null;
          createdAt: string;
          attemptLog: {
            attemptedAt: string;
            statusCode: number | null;
            latencyMs: number;
            responseBody: string | null;
            error: string | null;
          }[];
        };
        meta: object;
      }>;
    };
  }
>;
