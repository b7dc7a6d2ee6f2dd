import { randomBytes } from 'node:crypto';
import {
  idPrefixes,
  type CreateWebhookEndpointInput,
  type RotateWebhookSecretInput,
  type UpdateWebhookEndpointInput,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
} from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { textArray, toIso, toIsoOrNull } from '../db/sql-values.ts';
import { DomainError } from '../errors.ts';
import { lockWorkspace } from '../entity-tags/entity-locks.ts';
import { inTransaction } from '../db/transaction.ts';
import { newId } from '../ids.ts';

/**
 * Webhook endpoints of a workspace (issue 17). The signing secret is a Standard Webhooks secret
 * (`whsec_` and 24 random bytes in base64), returned by create and rotate only.
 */

type EndpointRow = {
  id: string;
  url: string;
  description: string | null;
  event_types: string[] | string;
  secret: string;
  disabled_at: unknown;
  disabled_reason: string | null;
  failing_since: unknown;
  previous_secret_expires_at: unknown;
  created_at: unknown;
  updated_at: unknown;
};

/** PGlite returns `text[]` as an array, node-postgres too; a literal `{a,b}` is parsed just in case. */
const textList = (value: string[] | string): string[] =>
  Array.isArray(value)
    ? value
    : value
        .replace(/^\{|\}$/g, '')
        .split(',')
        .filter((s) => s !== '');

/**
 * The URL as responses show it: a password in it (`https://user:pw@host/…`, HTTP Basic auth at the
 * receiver) is replaced by `***`, so a read-scope key or a logged response never carries it. The
 * deliveries use the stored URL as given. Cut by hand, not re-serialised by a URL parser, so the
 * rest reads exactly as saved: the authority ends at the first `/`, `?`, `#` or `\`, its
 * userinfo at its last `@`, the user name at the userinfo's first `:`.
 */
export function urlWithoutPassword(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme < 0) return url;
  const authorityStart = scheme + 3;
  const rest = url.slice(authorityStart);
  const end = rest.search(/[/?#\\]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  const colon = authority.slice(0, Math.max(at, 0)).indexOf(':');
  if (at < 0 || colon < 0) return url;
  return `${url.slice(0, authorityStart + colon + 1)}***${url.slice(authorityStart + at)}`;
}

/** Event types as saved: each once, in the order given. */
const distinctTypes = (types: readonly string[]): string[] => [...new Set(types)];

const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: urlWithoutPassword(row.url),
  description: row.description,
  eventTypes: textList(row.event_types),
  disabled: row.disabled_at !== null,
  disabledAt: toIsoOrNull(row.disabled_at),
  disabledReason: row.disabled_reason,
  failingSince: toIsoOrNull(row.failing_since),
  previousSecretExpiresAt:
    row.previous_secret_expires_at !== null && new Date(toIso(row.previous_secret_expires_at)) > new Date()
      ? toIso(row.previous_secret_expires_at)
      : null,
  createdAt: toIso(row.created_at),
  updatedAt: toIso(row.updated_at),
});

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export const webhookNotFound = (id: string) => new DomainError('NOT_FOUND', `webhook endpoint ${id} not found`);

/**
 * Endpoints a workspace may have (Stripe allows 16): each is one more entry the delivery claim
 * sorts and may probe, and one more copy of every event the sequencer queues.
 */
export const maxWebhookEndpointsPerWorkspace = 50;

/**
 * Creates an endpoint (enabled) and returns it with its secret, shown this once. A workspace with
 * `maxWebhookEndpointsPerWorkspace` endpoints (disabled ones count) is a CONFLICT (409); creates
 * of one workspace take its lock (`lockWorkspace`) so that two cannot both pass the check.
 */
export async function createWebhookEndpoint(
  em: EntityManager,
  workspaceId: number,
  input: CreateWebhookEndpointInput,
): Promise<WebhookEndpointWithSecret> {
  return inTransaction(em, async (em) => {
    await lockWorkspace(em, workspaceId);
    const [count] = await em.execute<{ endpoints: number }[]>(
      'select count(*)::int as endpoints from webhook_endpoint where workspace_id = ?',
      [workspaceId],
    );
    if ((count?.endpoints ?? 0) >= maxWebhookEndpointsPerWorkspace)
      throw new DomainError(
        'CONFLICT',
        `this workspace has ${maxWebhookEndpointsPerWorkspace} webhook endpoints, the most it may have; delete one first`,
      );
    return insertEndpoint(em, workspaceId, input);
  });
}

async function insertEndpoint(
  em: EntityManager,
  workspaceId: number,
  input: CreateWebhookEndpointInput,
): Promise<WebhookEndpointWithSecret> {
  const secret = newSecret();
  const [row] = await em.execute<EndpointRow[]>(
    `insert into webhook_endpoint (workspace_id, id, url, description, event_types, secret)
     values (?, ?, ?, ?, ?::text[], ?) returning *`,
    [
      workspaceId,
      newId(idPrefixes.webhookEndpoint),
      input.url,
      input.description ?? null,
      textArray(distinctTypes(input.eventTypes ?? [])),
      secret,
    ],
  );
  if (!row) throw new Error('insert returned nothing');
  return { ...toEndpoint(row), secret };
}

export async function listWebhookEndpoints(em: EntityManager, workspaceId: number): Promise<WebhookEndpoint[]> {
  const rows = await em.execute<EndpointRow[]>('select * from webhook_endpoint where workspace_id = ? order by id', [
    workspaceId,
  ]);
  return rows.map(toEndpoint);
}

export async function getWebhookEndpoint(em: EntityManager, workspaceId: number, id: string): Promise<WebhookEndpoint> {
  const [row] = await em.execute<EndpointRow[]>('select * from webhook_endpoint where workspace_id = ? and id = ?', [
    workspaceId,
    id,
  ]);
  if (!row) throw webhookNotFound(id);
  return toEndpoint(row);
}

/**
 * Applies the fields present. `disabled: true` disables (reason: by request); `false`
 * re-enables, forgets the failure streak, and lets the endpoint's pending deliveries go at once.
 */
export async function updateWebhookEndpoint(
  em: EntityManager,
  workspaceId: number,
  input: UpdateWebhookEndpointInput,
): Promise<WebhookEndpoint> {
  const sets = ['updated_at = now()'];
  const params: unknown[] = [];
  const change = (assignment: string, ...values: unknown[]) => {
    sets.push(assignment);
    params.push(...values);
  };
  if (input.url !== undefined) change('url = ?', input.url);
  if (input.description !== undefined) change('description = ?', input.description);
  if (input.eventTypes !== undefined) change('event_types = ?::text[]', textArray(distinctTypes(input.eventTypes)));
  if (input.disabled === true)
    change(
      'disabled_at = coalesce(disabled_at, now()), disabled_reason = coalesce(disabled_reason, ?)',
      'disabled by request',
    );
  if (input.disabled === false) change('disabled_at = null, disabled_reason = null, failing_since = null');
  return inTransaction(em, async (em) => {
    const [row] = await em.execute<EndpointRow[]>(
      `update webhook_endpoint set ${sets.join(', ')} where workspace_id = ? and id = ? returning *`,
      [...params, workspaceId, input.id],
    );
    if (!row) throw webhookNotFound(input.id);
    if (input.disabled === false)
      await em.execute(
        `update webhook_delivery set next_attempt_at = now(), updated_at = now()
         where workspace_id = ? and endpoint_id = ? and status = 'pending'`,
        [workspaceId, input.id],
      );
    return toEndpoint(row);
  });
}

/** Deletes an endpoint with its deliveries and their attempts. */
export async function deleteWebhookEndpoint(em: EntityManager, workspaceId: number, id: string): Promise<void> {
  const rows = await em.execute('delete from webhook_endpoint where workspace_id = ? and id = ? returning id', [
    workspaceId,
    id,
  ]);
  if (rows.length === 0) throw webhookNotFound(id);
}

/**
 * A new signing secret, returned this once; the current one keeps signing too for
 * `graceMinutes`, so receivers can switch without losing a delivery (each delivery carries one
 * signature per secret, as Standard Webhooks allows).
 */
export async function rotateWebhookSecret(
  em: EntityManager,
  workspaceId: number,
  input: RotateWebhookSecretInput,
): Promise<WebhookEndpointWithSecret> {
  const secret = newSecret();
  const [row] = await em.execute<EndpointRow[]>(
    `update webhook_endpoint set previous_secret = secret, secret = ?,
       previous_secret_expires_at = now() + ? * interval '1 minute', updated_at = now()
     where workspace_id = ? and id = ? returning *`,
    [secret, input.graceMinutes, workspaceId, input.id],
  );
  if (!row) throw webhookNotFound(input.id);
  return { ...toEndpoint(row), secret };
}
