import { ApiKey } from './api-key.entity.ts';
import { Contact } from './contact.entity.ts';
import { ContactExport, ContactExportChunk } from './contact-export.entity.ts';
import { EntityTag } from './entity-tag.entity.ts';
import { IdempotencyKey } from './idempotency-key.entity.ts';
import { PropagationJob } from './propagation-job.entity.ts';
import { Session } from './session.entity.ts';
import { Tag } from './tag.entity.ts';
import { Workspace } from './workspace.entity.ts';
import { ChangeEvent, EventSequence } from './change-event.entity.ts';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entity.ts';

export {
  ApiKey,
  Contact,
  ContactExport,
  ContactExportChunk,
  EntityTag,
  IdempotencyKey,
  PropagationJob,
  Session,
  Tag,
  Workspace,
};
export { ChangeEvent, EventSequence, WebhookAttempt, WebhookDelivery, WebhookEndpoint };
export const entities = [
  Workspace,
  ApiKey,
  Tag,
  Contact,
  Session,
  EntityTag,
  PropagationJob,
  ContactExport,
  ContactExportChunk,
  IdempotencyKey,
  ChangeEvent,
  EventSequence,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookAttempt,
];
