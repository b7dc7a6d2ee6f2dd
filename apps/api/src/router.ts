import { bulkPatchTagsProcedure } from './procedures/tags/bulk-patch-tags.ts';
import { listEventsProcedure } from './procedures/events/list-events.ts';
import { subscribeEventsProcedure } from './procedures/events/subscribe-events.ts';
import { createWebhookEndpointProcedure } from './procedures/webhooks/create-webhook-endpoint.ts';
import { listWebhookEndpointsProcedure } from './procedures/webhooks/list-webhook-endpoints.ts';
import { getWebhookEndpointProcedure } from './procedures/webhooks/get-webhook-endpoint.ts';
import { updateWebhookEndpointProcedure } from './procedures/webhooks/update-webhook-endpoint.ts';
import { deleteWebhookEndpointProcedure } from './procedures/webhooks/delete-webhook-endpoint.ts';
import { rotateWebhookSecretProcedure } from './procedures/webhooks/rotate-webhook-secret.ts';
import { sendWebhookTestProcedure } from './procedures/webhooks/send-webhook-test.ts';
import { listWebhookDeliveriesProcedure } from './procedures/webhooks/list-webhook-deliveries.ts';
import { getWebhookDeliveryProcedure } from './procedures/webhooks/get-webhook-delivery.ts';
import { retryWebhookDeliveryProcedure } from './procedures/webhooks/retry-webhook-delivery.ts';
import { zapiniCreateTagProcedure } from './procedures/zapini/create-tag.ts';
import { zapiniDeleteTagProcedure } from './procedures/zapini/delete-tag.ts';
import { zapiniGetConversationTagsProcedure } from './procedures/zapini/get-conversation-tags.ts';
import { zapiniGetTagProcedure } from './procedures/zapini/get-tag.ts';
import { zapiniListTagsProcedure } from './procedures/zapini/list-tags.ts';
import { zapiniReplaceConversationTagsProcedure } from './procedures/zapini/replace-conversation-tags.ts';
import { zapiniUpdateTagProcedure } from './procedures/zapini/update-tag.ts';
import { createExportProcedure } from './procedures/exports/create-export.ts';
import { getExportProcedure } from './procedures/exports/get-export.ts';
import { listExportsProcedure } from './procedures/exports/list-exports.ts';
import { deleteExportProcedure } from './procedures/exports/delete-export.ts';
import { assignContactTagProcedure } from './procedures/contact-tags/assign-contact-tag.ts';
import { removeContactTagProcedure } from './procedures/contact-tags/remove-contact-tag.ts';
import { bulkTagProcedure } from './procedures/entity-tags/bulk-tag.ts';
import { bulkUntagProcedure } from './procedures/entity-tags/bulk-untag.ts';
import { getContactTagsProcedure } from './procedures/entity-tags/get-contact-tags.ts';
import { getPropagationJobProcedure } from './procedures/entity-tags/get-propagation-job.ts';
import { getSessionTagsProcedure } from './procedures/entity-tags/get-session-tags.ts';
import { syncSessionTagsProcedure } from './procedures/entity-tags/sync-session-tags.ts';
import { tagContactProcedure } from './procedures/entity-tags/tag-contact.ts';
import { tagEntitiesProcedure } from './procedures/entity-tags/tag-entities.ts';
import { tagSessionProcedure } from './procedures/entity-tags/tag-session.ts';
import { untagContactProcedure } from './procedures/entity-tags/untag-contact.ts';
import { untagSessionProcedure } from './procedures/entity-tags/untag-session.ts';
import { bulkUpsertContactsProcedure } from './procedures/contacts/bulk-upsert-contacts.ts';
import { createContactProcedure } from './procedures/contacts/create-contact.ts';
import { deleteContactProcedure } from './procedures/contacts/delete-contact.ts';
import { getContactProcedure } from './procedures/contacts/get-contact.ts';
import { listContactsProcedure } from './procedures/contacts/list-contacts.ts';
import { updateContactProcedure } from './procedures/contacts/update-contact.ts';
import { bulkUpsertSessionsProcedure } from './procedures/sessions/bulk-upsert-sessions.ts';
import { createSessionProcedure } from './procedures/sessions/create-session.ts';
import { deleteSessionProcedure } from './procedures/sessions/delete-session.ts';
import { getSessionProcedure } from './procedures/sessions/get-session.ts';
import { listSessionsProcedure } from './procedures/sessions/list-sessions.ts';
import { updateSessionProcedure } from './procedures/sessions/update-session.ts';
import { createTagProcedure } from './procedures/tags/create-tag.ts';
import { deleteTagProcedure } from './procedures/tags/delete-tag.ts';
import { getTagProcedure } from './procedures/tags/get-tag.ts';
import { listTagsProcedure } from './procedures/tags/list-tags.ts';
import { mergeTagsProcedure } from './procedures/tags/merge-tags.ts';
import { updateTagProcedure } from './procedures/tags/update-tag.ts';
import { bcrumbsBulkPatchTagsProcedure } from './procedures/bcrumbs/bulk-patch-tags.ts';
import { bcrumbsCreateTagProcedure } from './procedures/bcrumbs/create-tag.ts';
import { bcrumbsTagsProcedure } from './procedures/bcrumbs/list-tags.ts';
import { createApiKeyProcedure } from './procedures/api-keys/create-api-key.ts';
import { listApiKeysProcedure } from './procedures/api-keys/list-api-keys.ts';
import { revokeApiKeyProcedure } from './procedures/api-keys/revoke-api-key.ts';
import { router } from './trpc/init.ts';

export const appRouter = router({
  zapini: router({
    listTags: zapiniListTagsProcedure,
    createTag: zapiniCreateTagProcedure,
    getTag: zapiniGetTagProcedure,
    updateTag: zapiniUpdateTagProcedure,
    deleteTag: zapiniDeleteTagProcedure,
    replaceConversationTags: zapiniReplaceConversationTagsProcedure,
    conversationTags: zapiniGetConversationTagsProcedure,
  }),
  exports: router({
    create: createExportProcedure,
    get: getExportProcedure,
    list: listExportsProcedure,
    delete: deleteExportProcedure,
  }),
  entityTags: router({
    tagContact: tagContactProcedure,
    tagSession: tagSessionProcedure,
    contactTags: getContactTagsProcedure,
    sessionTags: getSessionTagsProcedure,
    untagContact: untagContactProcedure,
    untagSession: untagSessionProcedure,
    syncSessionTags: syncSessionTagsProcedure,
    tagEntities: tagEntitiesProcedure,
    bulkTag: bulkTagProcedure,
    bulkUntag: bulkUntagProcedure,
    propagationJob: getPropagationJobProcedure,
  }),
  tags: router({
    create: createTagProcedure,
    list: listTagsProcedure,
    get: getTagProcedure,
    update: updateTagProcedure,
    delete: deleteTagProcedure,
    bulkPatch: bulkPatchTagsProcedure,
    merge: mergeTagsProcedure,
    assignToContact: assignContactTagProcedure,
    removeFromContact: removeContactTagProcedure,
  }),
  contacts: router({
    create: createContactProcedure,
    list: listContactsProcedure,
    get: getContactProcedure,
    update: updateContactProcedure,
    delete: deleteContactProcedure,
    bulkUpsert: bulkUpsertContactsProcedure,
  }),
  sessions: router({
    create: createSessionProcedure,
    list: listSessionsProcedure,
    get: getSessionProcedure,
    update: updateSessionProcedure,
    delete: deleteSessionProcedure,
    bulkUpsert: bulkUpsertSessionsProcedure,
  }),
  apiKeys: router({
    list: listApiKeysProcedure,
    create: createApiKeyProcedure,
    revoke: revokeApiKeyProcedure,
  }),
  events: router({
    list: listEventsProcedure,
    subscribe: subscribeEventsProcedure,
  }),
  webhooks: router({
    create: createWebhookEndpointProcedure,
    list: listWebhookEndpointsProcedure,
    get: getWebhookEndpointProcedure,
    update: updateWebhookEndpointProcedure,
    delete: deleteWebhookEndpointProcedure,
    rotateSecret: rotateWebhookSecretProcedure,
    sendTest: sendWebhookTestProcedure,
    deliveries: listWebhookDeliveriesProcedure,
    delivery: getWebhookDeliveryProcedure,
    retryDelivery: retryWebhookDeliveryProcedure,
  }),
});

export type AppRouter = typeof appRouter;

/**
 * The bcrumbs GraphQL dialect (document 003): its resolvers call these through a server-side
 * caller (`trpc/server-callers.ts`); not part of `appRouter`, so neither `/trpc` nor REST serves them.
 */
export const bcrumbsRouter = router({
  tags: bcrumbsTagsProcedure,
  createTag: bcrumbsCreateTagProcedure,
  bulkPatchTags: bcrumbsBulkPatchTagsProcedure,
});
