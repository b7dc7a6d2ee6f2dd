// Generated from the API's OpenAPI document by `pnpm --filter @tagging/client generate`. Do not edit.
/* eslint-disable */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | {
      [key: string]: JsonValue;
    };
export interface paths {
  '/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the workspace's API keys (never their secrets; needs an admin key) */
    get: operations['apiKeys-list'];
    put?: never;
    /** Create an API key of the workspace; its secret is in this response only (needs an admin key) */
    post: operations['apiKeys-create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key at once (revoking twice is harmless; needs an admin key) */
    delete: operations['apiKeys-revoke'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/contacts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List contacts (keyset pagination) */
    get: operations['contacts-list'];
    put?: never;
    /** Create a contact */
    post: operations['contacts-create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/contacts/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a contact */
    get: operations['contacts-get'];
    put?: never;
    post?: never;
    /** Delete a contact; its sessions stay, unlinked */
    delete: operations['contacts-delete'];
    options?: never;
    head?: never;
    /** Update a contact (partial) */
    patch: operations['contacts-update'];
    trace?: never;
  };
  '/contacts/bulk': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create or update up to 10,000 contacts by externalId */
    post: operations['contacts-bulkUpsert'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entity-tags/bulk/tag': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Tag up to 10,000 contacts and sessions */
    post: operations['entityTags-bulkTag'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entity-tags/bulk/untag': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Untag up to 10,000 contacts and sessions */
    post: operations['entityTags-bulkUntag'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entity-tags/contacts/{contactId}/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the tags of a contact */
    get: operations['entityTags-contactTags'];
    put?: never;
    /** Tag a contact; its linked sessions inherit the tag */
    post: operations['entityTags-tagContact'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entity-tags/contacts/{contactId}/tags/{tagId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a tag from a contact and what its sessions inherited */
    delete: operations['entityTags-untagContact'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entity-tags/jobs/{jobId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Follow a propagation that continues in the background */
    get: operations['entityTags-propagationJob'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entity-tags/sessions/{sessionId}/sync-tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Recompute the inherited tags of a session */
    post: operations['entityTags-syncSessionTags'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entity-tags/sessions/{sessionId}/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the tags of a session, direct and inherited */
    get: operations['entityTags-sessionTags'];
    put?: never;
    /** Tag a session, optionally its contact too */
    post: operations['entityTags-tagSession'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entity-tags/sessions/{sessionId}/tags/{tagId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a direct tag from a session */
    delete: operations['entityTags-untagSession'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entity-tags/tags/{tagId}/entities': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Find the contacts and sessions that have a tag */
    get: operations['entityTags-tagEntities'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List change events
     * @description The workspace’s change events after the cursor `after` (an event’s `seq`; 0 or absent: the oldest kept), oldest first, of the comma-separated `types` (all when absent). Page on with `after=nextCursor` while `hasMore`; poll with the last `nextCursor` for new events. `latestSeq` is the workspace’s last event: `after=latestSeq` reads only what comes next. Events are kept `EVENT_RETENTION_DAYS` (default 30). The catalogue, with an example of each, is the `webhooks` section of this document.
     */
    get: operations['events-list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/exports': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the workspace’s exports, newest first (keyset pagination)
     * @description Every export not yet expired, whatever its status; `expiresAt` says when a finished one (and its file) will be deleted.
     */
    get: operations['exports-list'];
    put?: never;
    /**
     * Export the contacts matching a tag filter (CSV, xlsx or JSON lines) with their tag names
     * @description Built in the background; follow `GET /exports/{id}`, then download `downloadUrl`. A workspace may have a few exports queued or running at once (`EXPORT_MAX_ACTIVE_PER_WORKSPACE`, default 5); beyond that the answer is 429 with `Retry-After`. Finished exports expire (`EXPORT_EXPIRY_DAYS`, default 7) and then answer 404. CSV and xlsx cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return, or the full-width `＝`, `＋`, `－`, `＠`) get a leading apostrophe (`'`); the tags cell is a JSON array of the exact tag names; `bom: true` starts a CSV with a UTF-8 byte order mark for Excel (`bom: true` with another format is a 400). JSON lines keep every value exact. Every id in `tagIds` and `excludeTagIds` must be a tag of the workspace: an unknown one is a 404 naming it, so that a mistyped exclusion cannot export the contacts it meant to leave out.
     */
    post: operations['exports-create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/exports/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Status and progress of an export */
    get: operations['exports-get'];
    put?: never;
    post?: never;
    /**
     * Delete an export and its file; one queued or being built is cancelled
     * @description The worker building it stops at its next batch and nothing of it is kept; its routes then answer 404.
     */
    delete: operations['exports-delete'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/exports/{id}/download': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download a finished export (CSV, xlsx or JSON lines), streamed */
    get: operations['exports-download'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List sessions (keyset pagination), optionally of one contact */
    get: operations['sessions-list'];
    put?: never;
    /** Create a session, optionally linked to a contact */
    post: operations['sessions-create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/sessions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a session */
    get: operations['sessions-get'];
    put?: never;
    post?: never;
    /** Delete a session and its tags */
    delete: operations['sessions-delete'];
    options?: never;
    head?: never;
    /** Update a session; contactId relinks it, null unlinks */
    patch: operations['sessions-update'];
    trace?: never;
  };
  '/sessions/bulk': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create or update up to 10,000 sessions by externalId */
    post: operations['sessions-bulkUpsert'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List tags
     * @description In display order; `q` is a case-insensitive name prefix (autocomplete), `type` filters by tag type.
     */
    get: operations['tags-list'];
    put?: never;
    /** Create a tag */
    post: operations['tags-create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tags/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a tag with its usage counts */
    get: operations['tags-get'];
    /**
     * Update a tag (partial)
     * @description Fields left out keep their value; `null` clears color, emoji or description.
     */
    put: operations['tags-update'];
    post?: never;
    /** Delete a tag and all its contact and session associations */
    delete: operations['tags-delete'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tags/{id}/merge': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Merge tags into this one
     * @description Every contact and session tag of `sourceTagIds` moves to this tag (an entity that ends up with it twice keeps one row, direct over inherited), then those tags are deleted; one transaction. When the merged tags have more entity tags than the fan-out limit, the move continues in a background job: the answer has `deferred` (follow `deferred.statusUrl`), and the merged tags are deleted when it is done.
     */
    post: operations['tags-merge'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tags/{tagId}/contacts/{contactId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Add a tag to a contact (idempotent: an assigned tag succeeds and changes nothing) */
    post: operations['tags-assignToContact'];
    /** Remove a tag from a contact (idempotent) */
    delete: operations['tags-removeFromContact'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tags/bulk': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Patch the order and description of many tags, all or nothing */
    patch: operations['tags-bulkPatch'];
    trace?: never;
  };
  '/v1/conversations/{uuid}/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A conversation’s tags and their version (for If-Match) */
    get: operations['zapini-conversationTags'];
    /** Replace the tags assigned to a conversation (Zapini) */
    put: operations['zapini-replaceConversationTags'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List all tags of the tenant (Zapini) */
    get: operations['zapini-listTags'];
    put?: never;
    /** Create a tag (Zapini) */
    post: operations['zapini-createTag'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tags/{uuid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Tag details (Zapini) */
    get: operations['zapini-getTag'];
    put?: never;
    post?: never;
    /** Delete a tag; it is removed from all conversations (Zapini) */
    delete: operations['zapini-deleteTag'];
    options?: never;
    head?: never;
    /** Update a tag (Zapini) */
    patch: operations['zapini-updateTag'];
    trace?: never;
  };
  '/webhooks/endpoints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List webhook endpoints */
    get: operations['webhooks-list'];
    put?: never;
    /**
     * Create a webhook endpoint
     * @description Deliveries of the listed `eventTypes` (all when empty) are POSTed to `url`, signed by the Standard Webhooks specification with the returned `secret`, which is shown this once. A URL that resolves to a loopback, private or link-local address is refused (400). A workspace has at most 50 endpoints (409 beyond).
     */
    post: operations['webhooks-create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhooks/endpoints/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a webhook endpoint */
    get: operations['webhooks-get'];
    put?: never;
    post?: never;
    /** Delete a webhook endpoint with its deliveries */
    delete: operations['webhooks-delete'];
    options?: never;
    head?: never;
    /**
     * Update, disable or re-enable a webhook endpoint
     * @description `disabled: true` stops deliveries (they wait, pending); `disabled: false` re-enables the endpoint, clears an automatic disable and sends what waited.
     */
    patch: operations['webhooks-update'];
    trace?: never;
  };
  '/webhooks/endpoints/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a webhook endpoint’s deliveries, newest first */
    get: operations['webhooks-deliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhooks/endpoints/{id}/deliveries/{deliveryId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get a webhook delivery with every attempt (time, status, latency, start of the response) */
    get: operations['webhooks-delivery'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhooks/endpoints/{id}/deliveries/{deliveryId}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Retry a webhook delivery now
     * @description A failed delivery gets one more attempt now (the same `webhook-id`). A pending one (in flight, or waiting for its next attempt) or one that succeeded is a 409, and so is a failed one whose event expired.
     */
    post: operations['webhooks-retryDelivery'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhooks/endpoints/{id}/rotate-secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rotate a webhook endpoint’s signing secret
     * @description Returns the new `secret` (shown this once). For `graceMinutes` (default 1440) deliveries carry a signature by the old secret too, so the receiver can switch without missing one.
     */
    post: operations['webhooks-rotateSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhooks/endpoints/{id}/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a test event to a webhook endpoint
     * @description Queues a `webhook.test` delivery to this endpoint only; follow it among the endpoint’s deliveries. A disabled endpoint receives nothing: 409.
     */
    post: operations['webhooks-sendTest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export interface webhooks {
  'contact.tagged': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** contact.tagged */
    post: operations['webhook.contact.tagged'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'contact.untagged': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** contact.untagged */
    post: operations['webhook.contact.untagged'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'export.finished': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** export.finished */
    post: operations['webhook.export.finished'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'propagation.finished': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** propagation.finished */
    post: operations['webhook.propagation.finished'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'session.tagged': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** session.tagged */
    post: operations['webhook.session.tagged'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'session.untagged': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** session.untagged */
    post: operations['webhook.session.untagged'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'tag.created': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** tag.created */
    post: operations['webhook.tag.created'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'tag.deleted': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** tag.deleted */
    post: operations['webhook.tag.deleted'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'tag.merge_progressed': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** tag.merge_progressed */
    post: operations['webhook.tag.merge_progressed'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'tag.merged': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** tag.merged */
    post: operations['webhook.tag.merged'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'tag.updated': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** tag.updated */
    post: operations['webhook.tag.updated'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'webhook.test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** webhook.test */
    post: operations['webhook.webhook.test'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export interface components {
  schemas: {
    ApiKey: {
      /** Format: date-time */
      createdAt: string;
      expiresAt: string | null;
      hint: string;
      id: string;
      lastUsedAt: string | null;
      name: string;
      revokedAt: string | null;
      /** @enum {string} */
      scope: 'read' | 'write' | 'admin';
      workspaceId: number;
    };
    ApiKeyList: {
      apiKeys: components['schemas']['ApiKey'][];
    };
    AppliedTag: {
      appliedByKeyId: string | null;
      /** Format: date-time */
      createdAt: string;
      id: string;
      sourceEntityId?: string;
      sourceEntityType?: components['schemas']['EntityType'];
      sourceType: components['schemas']['SourceType'];
      tag: {
        color: string | null;
        emoji: string | null;
        /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
        name: string;
      };
    };
    AppliedTags: {
      tags: components['schemas']['AppliedTag'][];
    };
    BulkEntityError: {
      /** @enum {string} */
      code: 'NOT_FOUND' | 'VALIDATION_ERROR' | 'CONFLICT';
      entityId: string;
      entityType: string;
      index: number;
      message: string;
    };
    BulkItemError: {
      /** @enum {string} */
      code: 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_ERROR';
      index: number;
      message: string;
    };
    BulkPatchTagsResult: {
      patched: number;
      /** @constant */
      success: true;
    };
    BulkTagResult: {
      errors: components['schemas']['BulkEntityError'][];
      propagatedToSessions: number;
      skipped: number;
      success: boolean;
      tagged: number;
    };
    BulkUntagResult: {
      errors: components['schemas']['BulkEntityError'][];
      removedFromSessions: number;
      skipped: number;
      success: boolean;
      untagged: number;
    };
    BulkUpsertResult: {
      created: number;
      errors: components['schemas']['BulkItemError'][];
      ids: (string | null)[];
      /** @constant */
      success: true;
      updated: number;
    };
    Contact: {
      /** Format: date-time */
      createdAt: string;
      externalId: string | null;
      /** @description A contact_<uuid> id; the bare UUID (any letter case) is accepted too */
      id: string;
      metadata: {
        [key: string]: unknown;
      };
      name: string;
      /** Format: date-time */
      updatedAt: string;
      workspaceId: number;
    };
    ContactExport: {
      bom: boolean;
      bytesWritten: number;
      completedAt: string | null;
      /** Format: date-time */
      createdAt: string;
      downloadUrl: string;
      error: string | null;
      expiresAt: string | null;
      format: components['schemas']['ExportFormat'];
      id: string;
      progress: number;
      rowsWritten: number;
      status: components['schemas']['JobStatus'];
      totalRows: number | null;
    };
    ContactPage: {
      contacts: components['schemas']['Contact'][];
      nextCursor: string | null;
      total: number;
    };
    ContactTagAssignmentResult: {
      changed: boolean;
      deferred?: components['schemas']['DeferredPropagation'];
      sessionsAffected: number;
      /** @constant */
      success: true;
    };
    CreatedApiKey: {
      /** Format: date-time */
      createdAt: string;
      expiresAt: string | null;
      hint: string;
      id: string;
      lastUsedAt: string | null;
      name: string;
      revokedAt: string | null;
      /** @enum {string} */
      scope: 'read' | 'write' | 'admin';
      secret: string;
      workspaceId: number;
    };
    DeferredPropagation: {
      jobId: string;
      sessions: number;
      status: components['schemas']['JobStatus'];
      statusUrl: string;
    };
    DeleteResult: {
      /** @constant */
      success: true;
    };
    DeleteTagResult: {
      removedEntityTags: number;
      /** @constant */
      success: true;
    };
    EntityTag: {
      appliedByKeyId: string | null;
      /** Format: date-time */
      createdAt: string;
      entityId: string;
      entityType: components['schemas']['EntityType'];
      id: string;
      sourceEntityId: string | null;
      sourceEntityType: components['schemas']['EntityType'] | null;
      sourceType: components['schemas']['SourceType'];
      /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
      tagId: string;
    };
    /** @enum {string} */
    EntityType: 'contact' | 'session';
    Error: {
      code: components['schemas']['ErrorCode'];
      issues?: {
        message: string;
        path: (string | number)[];
      }[];
      message: string;
    };
    /** @enum {string} */
    ErrorCode:
      | 'VALIDATION_ERROR'
      | 'UNAUTHORIZED'
      | 'FORBIDDEN'
      | 'NOT_FOUND'
      | 'METHOD_NOT_ALLOWED'
      | 'CONFLICT'
      | 'REQUEST_TIMEOUT'
      | 'PRECONDITION_FAILED'
      | 'PAYLOAD_TOO_LARGE'
      | 'URI_TOO_LONG'
      | 'UNSUPPORTED_MEDIA_TYPE'
      | 'IDEMPOTENCY_KEY_REUSED'
      | 'RATE_LIMITED'
      | 'HEADERS_TOO_LARGE'
      | 'INTERNAL_ERROR'
      | 'UNAVAILABLE';
    EventPage: {
      events: {
        data: {
          [key: string]: unknown;
        };
        id: string;
        seq: number;
        timestamp: string;
        /** @enum {string} */
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
      }[];
      hasMore: boolean;
      latestSeq: number;
      nextCursor: number;
    };
    /** @enum {string} */
    ExportFormat: 'csv' | 'jsonl' | 'xlsx';
    ExportPage: {
      exports: components['schemas']['ContactExport'][];
      nextCursor: string | null;
    };
    /** @enum {string} */
    JobStatus: 'pending' | 'running' | 'done' | 'failed';
    JsonValue: JsonValue;
    MergeTagsResult: {
      collapsedEntityTags: number;
      deferred?: components['schemas']['DeferredPropagation'];
      mergedTagIds: string[];
      movedEntityTags: number;
      /** @constant */
      success: true;
      tag: components['schemas']['Tag'];
    };
    PropagationJob: {
      contactId: string | null;
      /** Format: date-time */
      createdAt: string;
      error: string | null;
      id: string;
      kind: components['schemas']['PropagationJobKind'];
      processedSessions: number;
      sourceTagIds?: string[];
      status: components['schemas']['JobStatus'];
      tagId: string;
      totalSessions: number;
      /** Format: date-time */
      updatedAt: string;
    };
    /** @enum {string} */
    PropagationJobKind: 'tag-contact' | 'untag-contact' | 'merge-tags';
    Session: {
      contactId: string | null;
      /** Format: date-time */
      createdAt: string;
      externalId: string | null;
      /** @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too */
      id: string;
      metadata: {
        [key: string]: unknown;
      };
      name: string;
      /** Format: date-time */
      updatedAt: string;
      workspaceId: number;
    };
    SessionPage: {
      nextCursor: string | null;
      sessions: components['schemas']['Session'][];
      total: number;
    };
    /** @enum {string} */
    SourceType: 'direct' | 'inherited';
    SyncSessionTagsResult: {
      addedTags: number;
      removedTags: number;
      /** @constant */
      success: true;
    };
    Tag: {
      color: string | null;
      contactsCount: number;
      /** Format: date-time */
      createdAt: string;
      createdByKeyId: string | null;
      description: string | null;
      emoji: string | null;
      /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
      id: string;
      name: string;
      order: number;
      sessionsCount: number;
      type: components['schemas']['TagType'];
      /** Format: date-time */
      updatedAt: string;
      updatedByKeyId: string | null;
      workspaceId: number;
    };
    TagContactResult: {
      contactTag: components['schemas']['EntityTag'];
      deferred?: components['schemas']['DeferredPropagation'];
      propagatedToSessions: number;
      /** @constant */
      success: true;
    };
    TagEntitiesResult: {
      entities: components['schemas']['TaggedEntity'][];
      nextCursor: string | null;
    };
    TaggedEntity: {
      appliedByKeyId: string | null;
      /** Format: date-time */
      createdAt: string;
      entityId: string;
      entityType: components['schemas']['EntityType'];
      sourceEntityId?: string;
      sourceEntityType?: components['schemas']['EntityType'];
      sourceType: components['schemas']['SourceType'];
    };
    TagPage: {
      nextCursor: string | null;
      tags: components['schemas']['Tag'][];
    };
    TagSessionResult: {
      deferred?: components['schemas']['DeferredPropagation'];
      propagatedToContact: boolean;
      propagatedToSessions?: number;
      sessionTag: components['schemas']['EntityTag'];
      /** @constant */
      success: true;
    };
    /** @enum {string} */
    TagType: 'common' | 'client' | 'message' | 'conversation' | 'clientStage' | 'convStage';
    UntagContactResult: {
      deferred?: components['schemas']['DeferredPropagation'];
      removedFromSessions: number;
      /** @constant */
      success: true;
    };
    UntagSessionResult: {
      /** @constant */
      success: true;
    };
    WebhookDelivery: {
      attempts: number;
      createdAt: string;
      /** @description When the successful attempt’s response arrived (ISO 8601). */
      deliveredAt: string | null;
      endpointId: string;
      eventId: string;
      eventType: string;
      id: string;
      lastError: string | null;
      lastStatusCode: number | null;
      nextAttemptAt: string | null;
      /** @enum {string} */
      status: 'pending' | 'succeeded' | 'failed';
    };
    WebhookDeliveryDetail: {
      attemptLog: {
        /** @description When the attempt started (ISO 8601); it ended `latencyMs` later. */
        attemptedAt: string;
        error: string | null;
        /** @description From the start of the attempt to its end (response read, timeout or error), ms. */
        latencyMs: number;
        /** @description The start of the response (2,000 characters); NUL and broken characters are shown as U+FFFD. */
        responseBody: string | null;
        statusCode: number | null;
      }[];
      attempts: number;
      createdAt: string;
      /** @description When the successful attempt’s response arrived (ISO 8601). */
      deliveredAt: string | null;
      endpointId: string;
      eventId: string;
      eventType: string;
      id: string;
      lastError: string | null;
      lastStatusCode: number | null;
      nextAttemptAt: string | null;
      /** @enum {string} */
      status: 'pending' | 'succeeded' | 'failed';
    };
    WebhookDeliveryPage: {
      deliveries: components['schemas']['WebhookDelivery'][];
      nextCursor: string | null;
    };
    WebhookEndpoint: {
      createdAt: string;
      description: string | null;
      disabled: boolean;
      disabledAt: string | null;
      disabledReason: string | null;
      eventTypes: string[];
      failingSince: string | null;
      id: string;
      previousSecretExpiresAt: string | null;
      updatedAt: string;
      url: string;
    };
    WebhookEndpointList: {
      endpoints: components['schemas']['WebhookEndpoint'][];
    };
    WebhookEndpointWithSecret: {
      createdAt: string;
      description: string | null;
      disabled: boolean;
      disabledAt: string | null;
      disabledReason: string | null;
      eventTypes: string[];
      failingSince: string | null;
      id: string;
      previousSecretExpiresAt: string | null;
      secret: string;
      updatedAt: string;
      url: string;
    };
    ZapiniConversationTags: {
      data: {
        inherited_tags: components['schemas']['ZapiniTagBrief'][];
        tags: components['schemas']['ZapiniTagBrief'][];
        version: string;
      };
      message?: string;
      /** @constant */
      success: true;
    };
    ZapiniError: {
      errors?: {
        [key: string]: string[];
      };
      message: string;
      /** @constant */
      success: false;
    };
    ZapiniNoData: {
      data: null;
      message?: string;
      /** @constant */
      success: true;
    };
    ZapiniTag: {
      color: string | null;
      conversations_count: number;
      /** Format: date-time */
      created_at: string;
      /** @description A UUID (the prefixed form is accepted in inputs too) */
      id: string;
      name: string;
      /** Format: date-time */
      updated_at: string;
    };
    ZapiniTagBrief: {
      color: string | null;
      /** @description A UUID (the prefixed form is accepted in inputs too) */
      id: string;
      name: string;
    };
    ZapiniTagList: {
      data: {
        tags: components['schemas']['ZapiniTag'][];
      };
      message?: string;
      /** @constant */
      success: true;
    };
    ZapiniTagOne: {
      data: {
        tag: components['schemas']['ZapiniTag'];
      };
      message?: string;
      /** @constant */
      success: true;
    };
  };
  responses: {
    /** @description Conflicts with the current state (duplicate name or external id, tag already applied, stale version) */
    CONFLICT: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": "CONFLICT",
         *       "message": "a tag named \"VIP\" already exists"
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The API key may not do this: a `read` key on a change, a key that is not `admin` on the API-key routes, or a `workspaceId` that is not the key’s workspace */
    FORBIDDEN: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": "FORBIDDEN",
         *       "message": "this API key does not give access to workspace 2"
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The `Idempotency-Key` was already used with a different request (another route or body) */
    IDEMPOTENCY_KEY_REUSED: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": "IDEMPOTENCY_KEY_REUSED",
         *       "message": "this Idempotency-Key was already used with a different request"
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description Unexpected server error (the body never carries details) */
    INTERNAL_ERROR: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": "INTERNAL_ERROR",
         *       "message": "Internal server error"
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description Not found in the API key’s workspace (another workspace’s ids are never revealed) */
    NOT_FOUND: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": "NOT_FOUND",
         *       "message": "tag wtag_550e8400-e29b-41d4-a716-446655440001 not found"
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The body is larger than the operation takes (1 MiB; 10 MiB for bulk operations, by default), or more than 10,000 items in one request */
    PAYLOAD_TOO_LARGE: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": "PAYLOAD_TOO_LARGE",
         *       "message": "at most 10000 entities per request (got 10001)"
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description Too many requests with this API key; retry after `Retry-After` seconds */
    RATE_LIMITED: {
      headers: {
        /** @description Seconds to wait before retrying */
        'Retry-After'?: number;
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": "RATE_LIMITED",
         *       "message": "rate limit exceeded; retry in 1 s"
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description No API key, or an unknown or revoked one */
    UNAUTHORIZED: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": "UNAUTHORIZED",
         *       "message": "a valid API key is required (Authorization: Bearer <key>)"
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The database is unavailable; retry shortly */
    UNAVAILABLE: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": "UNAVAILABLE",
         *       "message": "the database is unavailable; retry shortly"
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description A body that is not `application/json` in UTF-8, or has a content coding (`Content-Encoding` other than `identity`) */
    UNSUPPORTED_MEDIA_TYPE: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": "UNSUPPORTED_MEDIA_TYPE",
         *       "message": "bodies are JSON in UTF-8 (application/json)"
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description Invalid input: `issues` (Zapini: `errors`) names each field and what is wrong with it */
    VALIDATION_ERROR: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "code": "VALIDATION_ERROR",
         *       "message": "Input validation failed",
         *       "issues": [
         *         {
         *           "path": [
         *             "color"
         *           ],
         *           "message": "must be #RRGGBB or a color name"
         *         }
         *       ]
         *     }
         */
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description Conflicts with the current state (duplicate name or external id, tag already applied, stale version) */
    ZapiniCONFLICT: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "a tag named \"VIP\" already exists"
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
    /** @description The API key may not do this: a `read` key on a change, a key that is not `admin` on the API-key routes, or a `workspaceId` that is not the key’s workspace */
    ZapiniFORBIDDEN: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "this API key does not give access to workspace 2"
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
    /** @description The `Idempotency-Key` was already used with a different request (another route or body) */
    ZapiniIDEMPOTENCY_KEY_REUSED: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "this Idempotency-Key was already used with a different request"
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
    /** @description Unexpected server error (the body never carries details) */
    ZapiniINTERNAL_ERROR: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "Internal server error"
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
    /** @description Not found in the API key’s workspace (another workspace’s ids are never revealed) */
    ZapiniNOT_FOUND: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "tag wtag_550e8400-e29b-41d4-a716-446655440001 not found"
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
    /** @description The body is larger than the operation takes (1 MiB; 10 MiB for bulk operations, by default), or more than 10,000 items in one request */
    ZapiniPAYLOAD_TOO_LARGE: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "at most 10000 entities per request (got 10001)"
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
    /** @description The `If-Match` header names a version that is no longer current (reload and retry) */
    ZapiniPRECONDITION_FAILED: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "The conversation tags were changed by someone else (If-Match no longer holds); reload them and try again."
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
    /** @description Too many requests with this API key; retry after `Retry-After` seconds */
    ZapiniRATE_LIMITED: {
      headers: {
        /** @description Seconds to wait before retrying */
        'Retry-After'?: number;
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "rate limit exceeded; retry in 1 s"
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
    /** @description No API key, or an unknown or revoked one */
    ZapiniUNAUTHORIZED: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "a valid API key is required (Authorization: Bearer <key>)"
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
    /** @description The database is unavailable; retry shortly */
    ZapiniUNAVAILABLE: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "the database is unavailable; retry shortly"
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
    /** @description A body that is not `application/json` in UTF-8, or has a content coding (`Content-Encoding` other than `identity`) */
    ZapiniUNSUPPORTED_MEDIA_TYPE: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "bodies are JSON in UTF-8 (application/json)"
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
    /** @description Invalid input: `issues` (Zapini: `errors`) names each field and what is wrong with it */
    ZapiniVALIDATION_ERROR: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        /**
         * @example {
         *       "success": false,
         *       "message": "Input validation failed",
         *       "errors": {
         *         "color": [
         *           "The color must be a hex color code (#RRGGBB)."
         *         ]
         *       }
         *     }
         */
        'application/json': components['schemas']['ZapiniError'];
      };
    };
  };
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  'apiKeys-list': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKeyList'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'apiKeys-create': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description When the key stops working (ISO 8601, in the future); omitted or null: never */
          expiresAt?: string | null;
          /** @description A name to tell the key apart (default "default") */
          name?: string;
          /**
           * @description read, write (read and change data) or admin (write and manage API keys)
           * @enum {string}
           */
          scope: 'read' | 'write' | 'admin';
        };
      };
    };
    responses: {
      /** @description Successful response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKey'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'apiKeys-revoke': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A key_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKey'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'contacts-list': {
    parameters: {
      query?: {
        cursor?: string;
        exclude_tag_ids?: string;
        limit?: number;
        /** @example wtag_550e8400-e29b-41d4-a716-446655440001,wtag_550e8400-e29b-41d4-a716-446655440002,wtag_550e8400-e29b-41d4-a716-446655440003 */
        tag_ids?: string;
        tag_match?: 'any' | 'all';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContactPage'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'contacts-create': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @description Your own id, unique per workspace; stored without white space at either end (tab, CR, LF, NBSP, BOM included); 1-255 characters */
          externalId?: string;
          metadata?: {
            [key: string]: components['schemas']['JsonValue'];
          };
          /** @description Stored without white space at either end (tab, CR, LF, NBSP, BOM included); at most 200 characters */
          name?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Contact'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'contacts-get': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A contact_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Contact'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'contacts-delete': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A contact_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeleteResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'contacts-update': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A contact_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          externalId?: string | null;
          metadata?: {
            [key: string]: components['schemas']['JsonValue'];
          };
          /** @description Stored without white space at either end (tab, CR, LF, NBSP, BOM included); at most 200 characters */
          name?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Contact'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'contacts-bulkUpsert': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          contacts: {
            /** @description Your own id, unique per workspace; stored without white space at either end (tab, CR, LF, NBSP, BOM included); 1-255 characters */
            externalId?: string;
            metadata?: {
              [key: string]: components['schemas']['JsonValue'];
            };
            /** @description Stored without white space at either end (tab, CR, LF, NBSP, BOM included); at most 200 characters */
            name?: string;
          }[];
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BulkUpsertResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'entityTags-bulkTag': {
    parameters: {
      query: {
        /**
         * @description The workspace ID (must be the API key’s)
         * @example 1
         */
        workspaceId: number;
      };
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "entities": [
         *         {
         *           "entityType": "contact",
         *           "entityId": "contact_550e8400-e29b-41d4-a716-446655440123"
         *         },
         *         {
         *           "entityType": "session",
         *           "entityId": "wses_550e8400-e29b-41d4-a716-446655440045"
         *         }
         *       ],
         *       "tagId": "wtag_550e8400-e29b-41d4-a716-446655440003"
         *     }
         */
        'application/json': {
          entities: (
            | {
                /** @description A contact_<uuid> id; the bare UUID (any letter case) is accepted too */
                entityId: string;
                /** @constant */
                entityType: 'contact';
              }
            | {
                /** @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too */
                entityId: string;
                /** @constant */
                entityType: 'session';
              }
          )[];
          /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
          tagId: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "tagged": 2,
           *       "skipped": 0,
           *       "propagatedToSessions": 1,
           *       "errors": []
           *     }
           */
          'application/json': components['schemas']['BulkTagResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'entityTags-bulkUntag': {
    parameters: {
      query: {
        /**
         * @description The workspace ID (must be the API key’s)
         * @example 1
         */
        workspaceId: number;
      };
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "entities": [
         *         {
         *           "entityType": "contact",
         *           "entityId": "contact_550e8400-e29b-41d4-a716-446655440123"
         *         },
         *         {
         *           "entityType": "session",
         *           "entityId": "wses_550e8400-e29b-41d4-a716-446655440045"
         *         }
         *       ],
         *       "tagId": "wtag_550e8400-e29b-41d4-a716-446655440003"
         *     }
         */
        'application/json': {
          entities: (
            | {
                /** @description A contact_<uuid> id; the bare UUID (any letter case) is accepted too */
                entityId: string;
                /** @constant */
                entityType: 'contact';
              }
            | {
                /** @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too */
                entityId: string;
                /** @constant */
                entityType: 'session';
              }
          )[];
          /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
          tagId: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "untagged": 2,
           *       "skipped": 0,
           *       "removedFromSessions": 1,
           *       "errors": []
           *     }
           */
          'application/json': components['schemas']['BulkUntagResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'entityTags-contactTags': {
    parameters: {
      query: {
        /**
         * @description The workspace ID (must be the API key’s)
         * @example 1
         */
        workspaceId: number;
      };
      header?: never;
      path: {
        /**
         * @description A contact_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example contact_550e8400-e29b-41d4-a716-446655440123
         */
        contactId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "tags": [
           *         {
           *           "id": "etag_550e8400-e29b-41d4-a716-446655440124",
           *           "tag": {
           *             "id": "wtag_550e8400-e29b-41d4-a716-446655440001",
           *             "name": "VIP Customer",
           *             "color": "#FF5733",
           *             "emoji": null
           *           },
           *           "sourceType": "direct",
           *           "appliedByKeyId": "key_550e8400-e29b-41d4-a716-446655440007",
           *           "createdAt": "2025-12-15T12:00:00.000Z"
           *         }
           *       ]
           *     }
           */
          'application/json': components['schemas']['AppliedTags'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'entityTags-tagContact': {
    parameters: {
      query: {
        /**
         * @description The workspace ID (must be the API key’s)
         * @example 1
         */
        workspaceId: number;
      };
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path: {
        /**
         * @description A contact_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example contact_550e8400-e29b-41d4-a716-446655440123
         */
        contactId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "tagId": "wtag_550e8400-e29b-41d4-a716-446655440003"
         *     }
         */
        'application/json': {
          /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
          tagId: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "contactTag": {
           *         "id": "etag_550e8400-e29b-41d4-a716-446655440789",
           *         "entityType": "contact",
           *         "entityId": "contact_550e8400-e29b-41d4-a716-446655440123",
           *         "tagId": "wtag_550e8400-e29b-41d4-a716-446655440003",
           *         "sourceType": "direct",
           *         "sourceEntityType": null,
           *         "sourceEntityId": null,
           *         "appliedByKeyId": "key_550e8400-e29b-41d4-a716-446655440007",
           *         "createdAt": "2025-12-15T12:00:00.000Z"
           *       },
           *       "propagatedToSessions": 3
           *     }
           */
          'application/json': components['schemas']['TagContactResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'entityTags-untagContact': {
    parameters: {
      query: {
        /**
         * @description The workspace ID (must be the API key’s)
         * @example 1
         */
        workspaceId: number;
      };
      header?: never;
      path: {
        /**
         * @description A contact_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example contact_550e8400-e29b-41d4-a716-446655440123
         */
        contactId: string;
        /**
         * @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wtag_550e8400-e29b-41d4-a716-446655440003
         */
        tagId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "removedFromSessions": 3
           *     }
           */
          'application/json': components['schemas']['UntagContactResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'entityTags-propagationJob': {
    parameters: {
      query: {
        /** @description The workspace ID (must be the API key’s) */
        workspaceId: number;
      };
      header?: never;
      path: {
        jobId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PropagationJob'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'entityTags-syncSessionTags': {
    parameters: {
      query: {
        /**
         * @description The workspace ID (must be the API key’s)
         * @example 1
         */
        workspaceId: number;
      };
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path: {
        /**
         * @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wses_550e8400-e29b-41d4-a716-446655440045
         */
        sessionId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "addedTags": 2,
           *       "removedTags": 0
           *     }
           */
          'application/json': components['schemas']['SyncSessionTagsResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'entityTags-sessionTags': {
    parameters: {
      query: {
        /**
         * @description The workspace ID (must be the API key’s)
         * @example 1
         */
        workspaceId: number;
      };
      header?: never;
      path: {
        /**
         * @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wses_550e8400-e29b-41d4-a716-446655440045
         */
        sessionId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "tags": [
           *         {
           *           "id": "etag_550e8400-e29b-41d4-a716-446655440124",
           *           "tag": {
           *             "id": "wtag_550e8400-e29b-41d4-a716-446655440001",
           *             "name": "VIP Customer",
           *             "color": "#FF5733",
           *             "emoji": null
           *           },
           *           "sourceType": "direct",
           *           "appliedByKeyId": "key_550e8400-e29b-41d4-a716-446655440007",
           *           "createdAt": "2025-12-15T12:00:00.000Z"
           *         },
           *         {
           *           "id": "etag_550e8400-e29b-41d4-a716-446655440789",
           *           "tag": {
           *             "id": "wtag_550e8400-e29b-41d4-a716-446655440002",
           *             "name": "Follow Up",
           *             "color": "#33FF57",
           *             "emoji": null
           *           },
           *           "sourceType": "inherited",
           *           "sourceEntityType": "contact",
           *           "sourceEntityId": "contact_550e8400-e29b-41d4-a716-446655440123",
           *           "appliedByKeyId": null,
           *           "createdAt": "2025-12-15T12:05:00.000Z"
           *         }
           *       ]
           *     }
           */
          'application/json': components['schemas']['AppliedTags'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'entityTags-tagSession': {
    parameters: {
      query: {
        /**
         * @description The workspace ID (must be the API key’s)
         * @example 1
         */
        workspaceId: number;
      };
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path: {
        /**
         * @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wses_550e8400-e29b-41d4-a716-446655440045
         */
        sessionId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "tagId": "wtag_550e8400-e29b-41d4-a716-446655440003",
         *       "propagateToContact": false
         *     }
         */
        'application/json': {
          propagateToContact?: boolean | ('true' | 'false');
          /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
          tagId: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "sessionTag": {
           *         "id": "etag_550e8400-e29b-41d4-a716-446655440789",
           *         "entityType": "session",
           *         "entityId": "wses_550e8400-e29b-41d4-a716-446655440045",
           *         "tagId": "wtag_550e8400-e29b-41d4-a716-446655440003",
           *         "sourceType": "direct",
           *         "sourceEntityType": null,
           *         "sourceEntityId": null,
           *         "appliedByKeyId": "key_550e8400-e29b-41d4-a716-446655440007",
           *         "createdAt": "2025-12-15T12:00:00.000Z"
           *       },
           *       "propagatedToContact": false
           *     }
           */
          'application/json': components['schemas']['TagSessionResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'entityTags-untagSession': {
    parameters: {
      query: {
        /**
         * @description The workspace ID (must be the API key’s)
         * @example 1
         */
        workspaceId: number;
      };
      header?: never;
      path: {
        /**
         * @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wses_550e8400-e29b-41d4-a716-446655440045
         */
        sessionId: string;
        /**
         * @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wtag_550e8400-e29b-41d4-a716-446655440003
         */
        tagId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true
           *     }
           */
          'application/json': components['schemas']['UntagSessionResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'entityTags-tagEntities': {
    parameters: {
      query: {
        cursor?: string;
        entityType?: components['schemas']['EntityType'];
        limit?: number;
        sourceType?: components['schemas']['SourceType'];
        /**
         * @description The workspace ID (must be the API key’s)
         * @example 1
         */
        workspaceId: number;
      };
      header?: never;
      path: {
        /**
         * @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wtag_550e8400-e29b-41d4-a716-446655440003
         */
        tagId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "entities": [
           *         {
           *           "entityType": "contact",
           *           "entityId": "contact_550e8400-e29b-41d4-a716-446655440123",
           *           "sourceType": "direct",
           *           "appliedByKeyId": "key_550e8400-e29b-41d4-a716-446655440007",
           *           "createdAt": "2025-12-15T12:00:00.000Z"
           *         },
           *         {
           *           "entityType": "session",
           *           "entityId": "wses_550e8400-e29b-41d4-a716-446655440045",
           *           "sourceType": "inherited",
           *           "sourceEntityType": "contact",
           *           "sourceEntityId": "contact_550e8400-e29b-41d4-a716-446655440123",
           *           "appliedByKeyId": null,
           *           "createdAt": "2025-12-15T12:05:00.000Z"
           *         }
           *       ],
           *       "nextCursor": null
           *     }
           */
          'application/json': components['schemas']['TagEntitiesResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'events-list': {
    parameters: {
      query?: {
        after?: number;
        limit?: number;
        types?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EventPage'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'exports-list': {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ExportPage'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'exports-create': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        /**
         * @example {
         *       "format": "csv",
         *       "bom": false,
         *       "tagIds": [
         *         "wtag_550e8400-e29b-41d4-a716-446655440001"
         *       ]
         *     }
         */
        'application/json': {
          /** @default false */
          bom?: boolean;
          excludeTagIds?: string[];
          /** @default csv */
          format?: components['schemas']['ExportFormat'];
          tagIds?: string[];
          /** @enum {string} */
          tagMatch?: 'any' | 'all';
        };
      };
    };
    responses: {
      /** @description Successful response */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContactExport'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'exports-get': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A exp_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContactExport'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'exports-delete': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A exp_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeleteResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'exports-download': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A exp_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file, with a `Content-Disposition: attachment` name. CSV and JSON lines carry `Content-Length` (the file's exact size, `bytesWritten`); xlsx is sent chunked. If the export is deleted or expires during the download, the connection is closed before the end of the file (never a normal end). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': string;
          'application/x-ndjson': string;
          'text/csv': string;
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'sessions-list': {
    parameters: {
      query?: {
        contactId?: string;
        cursor?: string;
        exclude_tag_ids?: string;
        limit?: number;
        tag_ids?: string;
        tag_match?: 'any' | 'all';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SessionPage'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'sessions-create': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          contactId?: string | null;
          /** @description Your own id, unique per workspace; stored without white space at either end (tab, CR, LF, NBSP, BOM included); 1-255 characters */
          externalId?: string;
          metadata?: {
            [key: string]: components['schemas']['JsonValue'];
          };
          /** @description Stored without white space at either end (tab, CR, LF, NBSP, BOM included); at most 200 characters */
          name?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Session'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'sessions-get': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Session'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'sessions-delete': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeleteResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'sessions-update': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          contactId?: string | null;
          externalId?: string | null;
          metadata?: {
            [key: string]: components['schemas']['JsonValue'];
          };
          /** @description Stored without white space at either end (tab, CR, LF, NBSP, BOM included); at most 200 characters */
          name?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Session'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'sessions-bulkUpsert': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          sessions: {
            /** @description Your own id, unique per workspace; stored without white space at either end (tab, CR, LF, NBSP, BOM included); 1-255 characters */
            contactExternalId?: string;
            contactId?: string | null;
            /** @description Your own id, unique per workspace; stored without white space at either end (tab, CR, LF, NBSP, BOM included); 1-255 characters */
            externalId?: string;
            metadata?: {
              [key: string]: components['schemas']['JsonValue'];
            };
            /** @description Stored without white space at either end (tab, CR, LF, NBSP, BOM included); at most 200 characters */
            name?: string;
          }[];
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BulkUpsertResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'tags-list': {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
        q?: string;
        type?: components['schemas']['TagType'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TagPage'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'tags-create': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "VIP",
         *       "color": "blue",
         *       "emoji": "⭐"
         *     }
         */
        'application/json': {
          color?: string | null;
          description?: string | null;
          emoji?: string | null;
          /** @description 1–100 user-perceived characters, counted after trimming and NFC normalization; unique per workspace and type ignoring case, compatibility forms and invisible characters */
          name: string;
          order?: number;
          type?: components['schemas']['TagType'];
        };
      };
    };
    responses: {
      /** @description Successful response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "wtag_550e8400-e29b-41d4-a716-446655440001",
           *       "workspaceId": 1,
           *       "name": "VIP",
           *       "color": "blue",
           *       "emoji": "⭐",
           *       "type": "common",
           *       "order": 0,
           *       "description": null,
           *       "contactsCount": 0,
           *       "sessionsCount": 0,
           *       "createdByKeyId": "key_550e8400-e29b-41d4-a716-446655440007",
           *       "updatedByKeyId": "key_550e8400-e29b-41d4-a716-446655440007",
           *       "createdAt": "2025-12-15T12:00:00.000Z",
           *       "updatedAt": "2025-12-15T12:00:00.000Z"
           *     }
           */
          'application/json': components['schemas']['Tag'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'tags-get': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Tag'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'tags-update': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wtag_550e8400-e29b-41d4-a716-446655440001
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        /**
         * @example {
         *       "name": "VIP Customer",
         *       "color": "#FF5733"
         *     }
         */
        'application/json': {
          color?: string | null;
          description?: string | null;
          emoji?: string | null;
          /** @description 1–100 user-perceived characters, counted after trimming and NFC normalization; unique per workspace and type ignoring case, compatibility forms and invisible characters */
          name?: string;
          order?: number;
          type?: components['schemas']['TagType'];
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "wtag_550e8400-e29b-41d4-a716-446655440001",
           *       "workspaceId": 1,
           *       "name": "VIP Customer",
           *       "color": "#FF5733",
           *       "emoji": "⭐",
           *       "type": "common",
           *       "order": 0,
           *       "description": null,
           *       "contactsCount": 0,
           *       "sessionsCount": 0,
           *       "createdByKeyId": "key_550e8400-e29b-41d4-a716-446655440007",
           *       "updatedByKeyId": "key_550e8400-e29b-41d4-a716-446655440007",
           *       "createdAt": "2025-12-15T12:00:00.000Z",
           *       "updatedAt": "2025-12-15T12:05:00.000Z"
           *     }
           */
          'application/json': components['schemas']['Tag'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'tags-delete': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeleteTagResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'tags-merge': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path: {
        /**
         * @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wtag_550e8400-e29b-41d4-a716-446655440001
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "sourceTagIds": [
         *         "wtag_550e8400-e29b-41d4-a716-446655440003"
         *       ]
         *     }
         */
        'application/json': {
          sourceTagIds: string[];
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "tag": {
           *         "id": "wtag_550e8400-e29b-41d4-a716-446655440001",
           *         "workspaceId": 1,
           *         "name": "VIP",
           *         "color": "blue",
           *         "emoji": "⭐",
           *         "type": "common",
           *         "order": 0,
           *         "description": null,
           *         "contactsCount": 3,
           *         "sessionsCount": 5,
           *         "createdByKeyId": "key_550e8400-e29b-41d4-a716-446655440007",
           *         "updatedByKeyId": "key_550e8400-e29b-41d4-a716-446655440007",
           *         "createdAt": "2025-12-15T12:00:00.000Z",
           *         "updatedAt": "2025-12-15T12:00:00.000Z"
           *       },
           *       "mergedTagIds": [
           *         "wtag_550e8400-e29b-41d4-a716-446655440003"
           *       ],
           *       "movedEntityTags": 4,
           *       "collapsedEntityTags": 1
           *     }
           */
          'application/json': components['schemas']['MergeTagsResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'tags-assignToContact': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path: {
        /**
         * @description A contact_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example contact_550e8400-e29b-41d4-a716-446655440123
         */
        contactId: string;
        /**
         * @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wtag_550e8400-e29b-41d4-a716-446655440001
         */
        tagId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "changed": true,
           *       "sessionsAffected": 2
           *     }
           */
          'application/json': components['schemas']['ContactTagAssignmentResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'tags-removeFromContact': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description A contact_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example contact_550e8400-e29b-41d4-a716-446655440123
         */
        contactId: string;
        /**
         * @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wtag_550e8400-e29b-41d4-a716-446655440001
         */
        tagId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "changed": true,
           *       "sessionsAffected": 2
           *     }
           */
          'application/json': components['schemas']['ContactTagAssignmentResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'tags-bulkPatch': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          patches: {
            description?: string | null;
            /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
            id: string;
            order?: number;
          }[];
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BulkPatchTagsResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'zapini-conversationTags': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too */
        uuid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          /** @description The version of the conversation’s direct tag set */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ZapiniConversationTags'];
        };
      };
      400: components['responses']['ZapiniVALIDATION_ERROR'];
      401: components['responses']['ZapiniUNAUTHORIZED'];
      403: components['responses']['ZapiniFORBIDDEN'];
      404: components['responses']['ZapiniNOT_FOUND'];
      413: components['responses']['ZapiniPAYLOAD_TOO_LARGE'];
      415: components['responses']['ZapiniUNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['ZapiniRATE_LIMITED'];
      500: components['responses']['ZapiniINTERNAL_ERROR'];
      503: components['responses']['ZapiniUNAVAILABLE'];
    };
  };
  'zapini-replaceConversationTags': {
    parameters: {
      query?: never;
      header?: {
        /** @description Replace only if the tag set is still at this version (the `ETag` of the last read), else 412 Precondition Failed (RFC 9110); `*` matches any existing conversation. The body’s `version` does the same and answers a stale version with 409. */
        'If-Match'?: string;
      };
      path: {
        /**
         * @description A wses_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wses_550e8400-e29b-41d4-a716-446655440045
         */
        uuid: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "tag_ids": [
         *         "wtag_550e8400-e29b-41d4-a716-446655440001",
         *         "wtag_550e8400-e29b-41d4-a716-446655440002"
         *       ]
         *     }
         */
        'application/json': {
          tag_ids: string[];
          version?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          /** @description The version of the conversation’s direct tag set */
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "message": "Conversation tags updated",
           *       "data": {
           *         "tags": [
           *           {
           *             "id": "wtag_550e8400-e29b-41d4-a716-446655440001",
           *             "name": "VIP",
           *             "color": "#f59e0b"
           *           },
           *           {
           *             "id": "wtag_550e8400-e29b-41d4-a716-446655440002",
           *             "name": "Support",
           *             "color": "#3b82f6"
           *           }
           *         ],
           *         "inherited_tags": [],
           *         "version": "5791a5d0c92ec1e85516"
           *       }
           *     }
           */
          'application/json': components['schemas']['ZapiniConversationTags'];
        };
      };
      400: components['responses']['ZapiniVALIDATION_ERROR'];
      401: components['responses']['ZapiniUNAUTHORIZED'];
      403: components['responses']['ZapiniFORBIDDEN'];
      404: components['responses']['ZapiniNOT_FOUND'];
      409: components['responses']['ZapiniCONFLICT'];
      412: components['responses']['ZapiniPRECONDITION_FAILED'];
      413: components['responses']['ZapiniPAYLOAD_TOO_LARGE'];
      415: components['responses']['ZapiniUNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['ZapiniRATE_LIMITED'];
      500: components['responses']['ZapiniINTERNAL_ERROR'];
      503: components['responses']['ZapiniUNAVAILABLE'];
    };
  };
  'zapini-listTags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "data": {
           *         "tags": [
           *           {
           *             "id": "wtag_550e8400-e29b-41d4-a716-446655440001",
           *             "name": "VIP",
           *             "color": "#f59e0b",
           *             "conversations_count": 15,
           *             "created_at": "2025-01-15T10:30:00Z",
           *             "updated_at": "2025-01-15T10:30:00Z"
           *           }
           *         ]
           *       }
           *     }
           */
          'application/json': components['schemas']['ZapiniTagList'];
        };
      };
      400: components['responses']['ZapiniVALIDATION_ERROR'];
      401: components['responses']['ZapiniUNAUTHORIZED'];
      403: components['responses']['ZapiniFORBIDDEN'];
      413: components['responses']['ZapiniPAYLOAD_TOO_LARGE'];
      415: components['responses']['ZapiniUNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['ZapiniRATE_LIMITED'];
      500: components['responses']['ZapiniINTERNAL_ERROR'];
      503: components['responses']['ZapiniUNAVAILABLE'];
    };
  };
  'zapini-createTag': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Important",
         *       "color": "#ef4444"
         *     }
         */
        'application/json': {
          color: string;
          /** @description 1–50 user-perceived characters, counted after trimming and NFC normalization; unique per workspace and type ignoring case, compatibility forms and invisible characters */
          name: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "message": "Tag created successfully",
           *       "data": {
           *         "tag": {
           *           "id": "wtag_550e8400-e29b-41d4-a716-446655440003",
           *           "name": "Important",
           *           "color": "#ef4444",
           *           "conversations_count": 0,
           *           "created_at": "2025-01-15T12:00:00Z",
           *           "updated_at": "2025-01-15T12:00:00Z"
           *         }
           *       }
           *     }
           */
          'application/json': components['schemas']['ZapiniTagOne'];
        };
      };
      400: components['responses']['ZapiniVALIDATION_ERROR'];
      401: components['responses']['ZapiniUNAUTHORIZED'];
      403: components['responses']['ZapiniFORBIDDEN'];
      409: components['responses']['ZapiniCONFLICT'];
      413: components['responses']['ZapiniPAYLOAD_TOO_LARGE'];
      415: components['responses']['ZapiniUNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['ZapiniIDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['ZapiniRATE_LIMITED'];
      500: components['responses']['ZapiniINTERNAL_ERROR'];
      503: components['responses']['ZapiniUNAVAILABLE'];
    };
  };
  'zapini-getTag': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too
         * @example wtag_550e8400-e29b-41d4-a716-446655440001
         */
        uuid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "data": {
           *         "tag": {
           *           "id": "wtag_550e8400-e29b-41d4-a716-446655440001",
           *           "name": "VIP",
           *           "color": "#f59e0b",
           *           "conversations_count": 15,
           *           "created_at": "2025-01-15T10:30:00Z",
           *           "updated_at": "2025-01-15T10:30:00Z"
           *         }
           *       }
           *     }
           */
          'application/json': components['schemas']['ZapiniTagOne'];
        };
      };
      400: components['responses']['ZapiniVALIDATION_ERROR'];
      401: components['responses']['ZapiniUNAUTHORIZED'];
      403: components['responses']['ZapiniFORBIDDEN'];
      404: components['responses']['ZapiniNOT_FOUND'];
      413: components['responses']['ZapiniPAYLOAD_TOO_LARGE'];
      415: components['responses']['ZapiniUNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['ZapiniRATE_LIMITED'];
      500: components['responses']['ZapiniINTERNAL_ERROR'];
      503: components['responses']['ZapiniUNAVAILABLE'];
    };
  };
  'zapini-deleteTag': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
        uuid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ZapiniNoData'];
        };
      };
      400: components['responses']['ZapiniVALIDATION_ERROR'];
      401: components['responses']['ZapiniUNAUTHORIZED'];
      403: components['responses']['ZapiniFORBIDDEN'];
      404: components['responses']['ZapiniNOT_FOUND'];
      409: components['responses']['ZapiniCONFLICT'];
      413: components['responses']['ZapiniPAYLOAD_TOO_LARGE'];
      415: components['responses']['ZapiniUNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['ZapiniRATE_LIMITED'];
      500: components['responses']['ZapiniINTERNAL_ERROR'];
      503: components['responses']['ZapiniUNAVAILABLE'];
    };
  };
  'zapini-updateTag': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A wtag_<uuid> id; the bare UUID (any letter case) is accepted too */
        uuid: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          color?: ('' | string) | null;
          /** @description 1–50 user-perceived characters, counted after trimming and NFC normalization; unique per workspace and type ignoring case, compatibility forms and invisible characters */
          name?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ZapiniTagOne'];
        };
      };
      400: components['responses']['ZapiniVALIDATION_ERROR'];
      401: components['responses']['ZapiniUNAUTHORIZED'];
      403: components['responses']['ZapiniFORBIDDEN'];
      404: components['responses']['ZapiniNOT_FOUND'];
      409: components['responses']['ZapiniCONFLICT'];
      413: components['responses']['ZapiniPAYLOAD_TOO_LARGE'];
      415: components['responses']['ZapiniUNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['ZapiniRATE_LIMITED'];
      500: components['responses']['ZapiniINTERNAL_ERROR'];
      503: components['responses']['ZapiniUNAVAILABLE'];
    };
  };
  'webhooks-list': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpointList'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'webhooks-create': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          description?: string | null;
          eventTypes?: (
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
          )[];
          /** Format: uri */
          url: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpointWithSecret'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'webhooks-get': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A whep_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpoint'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'webhooks-delete': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A whep_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeleteResult'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'webhooks-update': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A whep_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          description?: string | null;
          disabled?: boolean;
          eventTypes?: (
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
          )[];
          /** Format: uri */
          url?: string;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpoint'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'webhooks-deliveries': {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
        status?: 'pending' | 'succeeded' | 'failed';
      };
      header?: never;
      path: {
        /** @description A whep_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDeliveryPage'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'webhooks-delivery': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A whdl_<uuid> id; the bare UUID (any letter case) is accepted too */
        deliveryId: string;
        /** @description A whep_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDeliveryDetail'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'webhooks-retryDelivery': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path: {
        /** @description A whdl_<uuid> id; the bare UUID (any letter case) is accepted too */
        deliveryId: string;
        /** @description A whep_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDeliveryDetail'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'webhooks-rotateSecret': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path: {
        /** @description A whep_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @default 1440 */
          graceMinutes?: number;
        };
      };
    };
    responses: {
      /** @description Successful response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpointWithSecret'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'webhooks-sendTest': {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry safe: the same key with the same request replays the first response (with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409. */
        'Idempotency-Key'?: string;
      };
      path: {
        /** @description A whep_<uuid> id; the bare UUID (any letter case) is accepted too */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Successful response */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDelivery'];
        };
      };
      400: components['responses']['VALIDATION_ERROR'];
      401: components['responses']['UNAUTHORIZED'];
      403: components['responses']['FORBIDDEN'];
      404: components['responses']['NOT_FOUND'];
      409: components['responses']['CONFLICT'];
      413: components['responses']['PAYLOAD_TOO_LARGE'];
      415: components['responses']['UNSUPPORTED_MEDIA_TYPE'];
      422: components['responses']['IDEMPOTENCY_KEY_REUSED'];
      429: components['responses']['RATE_LIMITED'];
      500: components['responses']['INTERNAL_ERROR'];
      503: components['responses']['UNAVAILABLE'];
    };
  };
  'webhook.contact.tagged': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "contact.tagged",
         *       "workspaceId": 1,
         *       "seq": 42,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "entityType": "contact",
         *         "entityId": "contact_0193a1b2-8d9e-7f00-8a1b-2c3d4e5f6a7b",
         *         "tagId": "wtag_0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
         *         "sourceType": "direct",
         *         "sourceEntityType": null,
         *         "sourceEntityId": null,
         *         "sessionsInherited": 3,
         *         "propagationJobId": null
         *       }
         *     }
         */
        'application/json': {
          data: {
            entityId: string;
            entityType: components['schemas']['EntityType'];
            propagationJobId?: string | null;
            sessionsInherited?: number;
            sourceEntityId: string | null;
            sourceEntityType: components['schemas']['EntityType'] | null;
            sourceType: components['schemas']['SourceType'];
            tagId: string;
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'contact.tagged';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  'webhook.contact.untagged': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "contact.untagged",
         *       "workspaceId": 1,
         *       "seq": 42,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "entityType": "contact",
         *         "entityId": "contact_0193a1b2-8d9e-7f00-8a1b-2c3d4e5f6a7b",
         *         "tagId": "wtag_0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
         *         "reason": "untagged",
         *         "sessionsLost": 5000,
         *         "propagationJobId": "job_0193a1b2-bbbb-7ccc-8ddd-eeeeeeeeeeee"
         *       }
         *     }
         */
        'application/json': {
          data: {
            entityId: string;
            entityType: components['schemas']['EntityType'];
            propagationJobId?: string | null;
            /** @enum {string} */
            reason: 'untagged' | 'deleted';
            sessionsLost?: number;
            stillInherited?: boolean;
            tagId: string;
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'contact.untagged';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  'webhook.export.finished': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "export.finished",
         *       "workspaceId": 1,
         *       "seq": 42,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "exportId": "exp_0193a1b2-cccc-7ddd-8eee-ffffffffffff",
         *         "status": "done",
         *         "totalRows": 18250
         *       }
         *     }
         */
        'application/json': {
          data: {
            exportId: string;
            /** @enum {string} */
            status: 'done' | 'failed';
            totalRows: number;
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'export.finished';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  'webhook.propagation.finished': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "propagation.finished",
         *       "workspaceId": 1,
         *       "seq": 42,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "jobId": "job_0193a1b2-bbbb-7ccc-8ddd-eeeeeeeeeeee",
         *         "kind": "untag-contact",
         *         "contactId": "contact_0193a1b2-8d9e-7f00-8a1b-2c3d4e5f6a7b",
         *         "tagId": "wtag_0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
         *         "status": "done",
         *         "processedSessions": 995000
         *       }
         *     }
         */
        'application/json': {
          data: {
            contactId: string | null;
            jobId: string;
            kind: components['schemas']['PropagationJobKind'];
            processedSessions: number;
            /** @enum {string} */
            status: 'done' | 'failed';
            tagId: string;
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'propagation.finished';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  'webhook.session.tagged': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "session.tagged",
         *       "workspaceId": 1,
         *       "seq": 42,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "entityType": "session",
         *         "entityId": "wses_0193a1b2-9eaf-7b10-9c2d-3e4f5a6b7c8d",
         *         "tagId": "wtag_0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
         *         "sourceType": "direct",
         *         "sourceEntityType": null,
         *         "sourceEntityId": null
         *       }
         *     }
         */
        'application/json': {
          data: {
            entityId: string;
            entityType: components['schemas']['EntityType'];
            propagationJobId?: string | null;
            sessionsInherited?: number;
            sourceEntityId: string | null;
            sourceEntityType: components['schemas']['EntityType'] | null;
            sourceType: components['schemas']['SourceType'];
            tagId: string;
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'session.tagged';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  'webhook.session.untagged': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "session.untagged",
         *       "workspaceId": 1,
         *       "seq": 42,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "entityType": "session",
         *         "entityId": "wses_0193a1b2-9eaf-7b10-9c2d-3e4f5a6b7c8d",
         *         "tagId": "wtag_0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
         *         "reason": "untagged",
         *         "stillInherited": true
         *       }
         *     }
         */
        'application/json': {
          data: {
            entityId: string;
            entityType: components['schemas']['EntityType'];
            propagationJobId?: string | null;
            /** @enum {string} */
            reason: 'untagged' | 'deleted';
            sessionsLost?: number;
            stillInherited?: boolean;
            tagId: string;
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'session.untagged';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  'webhook.tag.created': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "tag.created",
         *       "workspaceId": 1,
         *       "seq": 42,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "tag": {
         *           "id": "wtag_0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
         *           "workspaceId": 1,
         *           "name": "VIP",
         *           "color": "blue",
         *           "emoji": "⭐",
         *           "type": "common",
         *           "order": 1,
         *           "description": null,
         *           "contactsCount": 0,
         *           "sessionsCount": 0,
         *           "createdAt": "2026-11-30T12:00:00.000Z",
         *           "updatedAt": "2026-11-30T12:00:00.000Z",
         *           "createdByKeyId": "key_0193a1b2-5a6b-7c8d-9e0f-1a2b3c4d5e6f",
         *           "updatedByKeyId": "key_0193a1b2-5a6b-7c8d-9e0f-1a2b3c4d5e6f"
         *         }
         *       }
         *     }
         */
        'application/json': {
          data: {
            tag: components['schemas']['Tag'];
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'tag.created';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  'webhook.tag.deleted': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "tag.deleted",
         *       "workspaceId": 1,
         *       "seq": 42,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "tagId": "wtag_0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
         *         "removedEntityTags": 1204
         *       }
         *     }
         */
        'application/json': {
          data: {
            removedEntityTags: number;
            tagId: string;
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'tag.deleted';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  'webhook.tag.merge_progressed': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "tag.merge_progressed",
         *       "workspaceId": 1,
         *       "seq": 42,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "tagId": "wtag_0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
         *         "mergedTagIds": [
         *           "wtag_0193a1b2-aaaa-7bbb-8ccc-dddddddddddd"
         *         ],
         *         "jobId": "job_0193a1b2-cccc-7ddd-8eee-ffffffffffff",
         *         "contactIds": [
         *           "contact_0193a1b2-8d9e-7f00-8a1b-2c3d4e5f6a7b"
         *         ],
         *         "sessionIds": [
         *           "wses_0193a1b2-9eaf-7b10-9c2d-3e4f5a6b7c8d"
         *         ]
         *       }
         *     }
         */
        'application/json': {
          data: {
            contactIds: string[];
            jobId: string;
            mergedTagIds: string[];
            sessionIds: string[];
            tagId: string;
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'tag.merge_progressed';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  'webhook.tag.merged': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "tag.merged",
         *       "workspaceId": 1,
         *       "seq": 42,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "tagId": "wtag_0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
         *         "mergedTagIds": [
         *           "wtag_0193a1b2-aaaa-7bbb-8ccc-dddddddddddd"
         *         ],
         *         "movedEntityTags": 310,
         *         "collapsedEntityTags": 12
         *       }
         *     }
         */
        'application/json': {
          data: {
            collapsedEntityTags: number;
            mergedTagIds: string[];
            movedEntityTags: number;
            tagId: string;
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'tag.merged';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  'webhook.tag.updated': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "tag.updated",
         *       "workspaceId": 1,
         *       "seq": 42,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "tag": {
         *           "id": "wtag_0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
         *           "workspaceId": 1,
         *           "name": "VIP",
         *           "color": "#FF5733",
         *           "emoji": "⭐",
         *           "type": "common",
         *           "order": 1,
         *           "description": null,
         *           "contactsCount": 0,
         *           "sessionsCount": 0,
         *           "createdAt": "2026-11-30T12:00:00.000Z",
         *           "updatedAt": "2026-11-30T12:05:00.000Z",
         *           "createdByKeyId": "key_0193a1b2-5a6b-7c8d-9e0f-1a2b3c4d5e6f",
         *           "updatedByKeyId": "key_0193a1b2-5a6b-7c8d-9e0f-1a2b3c4d5e6f"
         *         }
         *       }
         *     }
         */
        'application/json': {
          data: {
            tag: components['schemas']['Tag'];
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'tag.updated';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  'webhook.webhook.test': {
    parameters: {
      query?: never;
      header: {
        /** @description The event id: the same on every attempt of a delivery (deduplicate on it). */
        'webhook-id': string;
        /** @description Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period. */
        'webhook-signature': string;
        /** @description Seconds since the epoch, when this attempt was signed. */
        'webhook-timestamp': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "id": "evt_0193a1b2-eeee-7fff-8000-111111111111",
         *       "type": "webhook.test",
         *       "workspaceId": 1,
         *       "seq": 0,
         *       "timestamp": "2026-11-30T12:00:00.000Z",
         *       "data": {
         *         "endpointId": "whep_0193a1b2-dddd-7eee-8fff-000000000000",
         *         "message": "This is a test event from the tagging service."
         *       }
         *     }
         */
        'application/json': {
          data: {
            endpointId: string;
            message: string;
          };
          id: string;
          seq: number;
          timestamp: string;
          /** @constant */
          type: 'webhook.test';
          workspaceId: number;
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
