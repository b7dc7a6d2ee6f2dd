import { randomUUID } from 'node:crypto';
import {
  idPrefixes,
  toStorableText,
  type ListWebhookDeliveriesInput,
  type WebhookDelivery,
  type WebhookDeliveryDetail,
  type WebhookDeliveryPage,
} from '@tagging/contracts';
import type { Database, EntityManager } from '../db/database.ts';
import { executePrepared } from '../db/prepared-statements.ts';
import { sqlNewId } from '../db/sql-ids.ts';
import { toIso, toIsoOrNull } from '../db/sql-values.ts';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../db/keyset-cursor.ts';
import { DomainError } from '../errors.ts';
import { newId } from '../ids.ts';
import { eventExpiredError } from '../events/event-feed.ts';
import { webhookNotFound } from './webhook-endpoints.ts';
import { inTransaction } from '../db/transaction.ts';

/**
 * The webhook delivery queue (issue 17), on the project's hand-written PostgreSQL queue
 * (docs/DECISIONS.md, "One queue"): one row per (event, endpoint), queued by the sequencer.
 *
 * A claim (`for update skip locked`, so concurrent claimers never take one row) moves the row's
 * `next_attempt_at` to the end of a lease and stamps it with a claim id, and commits: the HTTP
 * call then runs with no transaction or connection held. Until the lease ends no other process
 * can claim the row; the sender's timeout is well inside it. A process killed mid-delivery leaves
 * the row pending, due again when the lease ends, and it is sent again with the same
 * `webhook-id` (the event id): at least once. Only the claim still current records its outcome.
 */

/** Backoff and limits of deliveries; the defaults spread 10 attempts over about a day. */
export type WebhookRetryPolicy = {
  /** The first retry's delay (ms); each next one is 4 times longer, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts before a delivery fails (a manual retry allows one more). */
  maxAttempts: number;
  /** An endpoint failing for this long without a success is disabled (ms). */
  disableAfterMs: number;
};

const hour = 60 * 60 * 1000;
export const defaultWebhookRetryPolicy: WebhookRetryPolicy = {
  baseDelayMs: 10_000,
  maxDelayMs: 8 * hour,
  maxAttempts: 10,
  disableAfterMs: 24 * hour,
};

/**
 * The delay before retry `attempt` (1 = the first retry): exponential (×4) with "equal jitter"
 * (half fixed, half random), so retries of many deliveries that failed together spread out.
 * With the defaults: ~10 s, 40 s, 2.7 min, 11 min, 43 min, 2.8 h, then 8 h: about a day in all.
 */
export function webhookRetryDelayMs(attempt: number, policy: WebhookRetryPolicy, random = Math.random()): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 4 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (random * exponential) / 2);
}

/** A claimed delivery: where to send it, the secrets that sign it and the exact body. */
export type ClaimedDelivery = {
  workspaceId: number;
  deliveryId: string;
  claimId: string;
  endpointId: string;
  url: string;
  /** The current secret first; the previous one while its grace period lasts. */
  secrets: string[];
  /** The `webhook-id`: the event's id, the same on every attempt. */
  messageId: string;
  /** The `webhook-timestamp` basis: when the event happened. */
  body: string;
  attempts: number;
  /** When the event was committed, for the lag metric. */
  occurredAt: string;
};

type ClaimRow = {
  workspace_id: number;
  id: string;
  endpoint_id: string;
  event_id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  body: string;
  attempts: number;
  occurred_at: unknown;
};

/** The advisory lock key of claims (any constant the service uses for nothing else). */
const claimLockKey = 1_701_170_018;

/** The caps a claim keeps, each counted across every process (env.ts: `WEBHOOK_*_CONCURRENCY`). */
export type WebhookClaimCaps = {
  /** Attempts in flight at once to one endpoint. */
  endpoint: number;
  /** Attempts in flight at once to all the endpoints of one workspace. */
  workspace: number;
};

/**
 * `claimWebhookDeliveries`' statement (parameters: the endpoint cap twice, the workspace cap twice,
 * the claim's limit twice, the workspace cap, the limit, the lease in ms, the claim id, the
 * expired event's error).
 *
 * Its cost is bounded by the free slots, not by endpoints times due rows (200 endpoints with 60
 * due deliveries each walked 200 ranges of 16 rows per claim, docs/DECISIONS.md):
 * - attempts in flight are counted in one pass over the small partial index of claimed rows
 *   (`webhook_delivery_in_flight_idx`), per endpoint and per workspace;
 * - enabled endpoints below both caps are put in turn order without reading a delivery (a
 *   workspace with fewer attempts in flight first, then its endpoints with fewer, random among
 *   equals so no endpoint waits for ever), and probed in that order for a due delivery (one
 *   index probe each, `webhook_delivery_due_idx`), stopping at `limit` endpoints that have one
 *   (the `offset 0` keeps the probe above the sort, so the limit stops it);
 * - each of those walks at most its room (the endpoint cap and the workspace cap less what is in
 *   flight) and never more than `limit` less the other chosen endpoints plus one (each of them has
 *   a due row, so this one cannot get more);
 * - the candidates go least loaded first: a workspace's by what their endpoint would then have in
 *   flight, all of them by what their workspace would then have in flight (oldest first among
 *   equals), and none past the workspace cap.
 * The picked rows are locked by the row version the walk found (a TID scan): joined on the key,
 * PostgreSQL went back to the workspace's range of the due index for each one. A version updated
 * since (a manual retry) fails the recheck and is left for the next claim. A picked delivery whose
 * event is gone (retention) is not claimed but ended, `failed` with the expired error, in the same
 * update: it is never sent (its body would be empty). (No quote characters in the SQL text's
 * comments: `numberedPlaceholders` would take one for a literal.)
 */
const claimWebhookDeliveriesSql = `with in_flight as materialized (
       select f.workspace_id, f.endpoint_id, count(*)::int as attempts
       from webhook_delivery f where f.claim_id is not null and f.next_attempt_at > now()
       group by f.workspace_id, f.endpoint_id),
     workspace_in_flight as materialized (
       select workspace_id, sum(attempts)::int as attempts from in_flight group by workspace_id),
     endpoints as (
       select ep.workspace_id, ep.id, coalesce(f.attempts, 0) as in_flight, coalesce(w.attempts, 0) as workspace_in_flight
       from webhook_endpoint ep
       left join in_flight f on f.workspace_id = ep.workspace_id and f.endpoint_id = ep.id
       left join workspace_in_flight w on w.workspace_id = ep.workspace_id
       where ep.disabled_at is null),
     turns as (
       select e.workspace_id, e.id, e.in_flight, e.workspace_in_flight,
              least(?::int - e.in_flight, ?::int - e.workspace_in_flight) as room,
              e.workspace_in_flight + row_number() over (partition by e.workspace_id order by e.in_flight, random()) as turn
       from endpoints e where e.in_flight < ?::int and e.workspace_in_flight < ?::int),
     chosen as materialized (
       select t.workspace_id, t.id, t.in_flight, t.workspace_in_flight, t.room
       from (select * from turns order by turn, in_flight, random() offset 0) t
       where exists (select 1 from webhook_delivery d
                     where d.workspace_id = t.workspace_id and d.endpoint_id = t.id
                       and d.status = 'pending' and d.next_attempt_at <= now())
       limit ?::int),
     candidates as (
       select d.workspace_id, d.ctid as row, d.next_attempt_at, c.workspace_in_flight,
              c.in_flight + row_number() over (partition by d.workspace_id, d.endpoint_id order by d.next_attempt_at)
                as endpoint_load
       from (select c.*, count(*) over () as endpoints from chosen c) c cross join lateral (
         select d.ctid, d.workspace_id, d.endpoint_id, d.next_attempt_at
         from webhook_delivery d
         where d.workspace_id = c.workspace_id and d.endpoint_id = c.id
           and d.status = 'pending' and d.next_attempt_at <= now()
         order by d.next_attempt_at limit least(c.room, ?::int - c.endpoints + 1)) d),
     picked as (
       select row from (
         select c.row, c.next_attempt_at,
                c.workspace_in_flight + row_number() over (partition by c.workspace_id order by c.endpoint_load, c.next_attempt_at)
                  as workspace_load
         from candidates c) r
       where workspace_load <= ?::int
       order by workspace_load, next_attempt_at limit ?::int),
     due as (
       select d.workspace_id, d.id,
              d.payload is not null or exists (select 1 from event e where e.workspace_id = d.workspace_id and e.id = d.event_id)
                as has_body
       from picked p join webhook_delivery d on d.ctid = p.row
       where d.status = 'pending' and d.next_attempt_at <= now()
       for update of d skip locked),
     claimed as (
       update webhook_delivery d set
         next_attempt_at = case when due.has_body then now() + ?::bigint * interval '1 millisecond' else d.next_attempt_at end,
         claim_id = case when due.has_body then ?::text end,
         status = case when due.has_body then d.status else 'failed' end,
         last_error = case when due.has_body then d.last_error else ?::text end,
         updated_at = case when due.has_body then d.updated_at else now() end
       from due where d.workspace_id = due.workspace_id and d.id = due.id
       returning d.*, due.has_body)
     select c.workspace_id, c.id, c.endpoint_id, c.event_id, c.attempts, ep.url, ep.secret,
            case when ep.previous_secret_expires_at > now() then ep.previous_secret end as previous_secret,
            coalesce(e.occurred_at, c.created_at) as occurred_at,
            coalesce(c.payload, jsonb_build_object('id', e.id, 'type', e.type, 'workspaceId', e.workspace_id,
              'seq', e.seq, 'timestamp', to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'data', e.payload))::text as body
     from claimed c
     join webhook_endpoint ep on ep.workspace_id = c.workspace_id and ep.id = c.endpoint_id
     left join event e on e.workspace_id = c.workspace_id and e.id = c.event_id
     where c.has_body`;

/**
 * Whether any enabled endpoint has a delivery due now (pending, its next attempt or the end of its
 * claim's lease passed): one statement outside any transaction, one probe of the due index per
 * enabled endpoint, stopping at the first. The dispatcher asks it after a claim that found
 * nothing, instead of opening the claim's transaction (four round trips and the claim's plan)
 * five times a second in every process while no webhook is due (issue 20, as `dueQueues` and
 * `hasUnnumberedEvents`; docs/PERFORMANCE.md). It may say yes where the claim then takes nothing
 * (every due endpoint at its cap): the claim decides. The lateral `limit 1` keeps it a probe per
 * endpoint: written as a plain `exists`, PostgreSQL could hash-join the whole due index, every
 * pending delivery that waits for a later retry included (seen with 2,000 of them).
 */
export async function hasDueWebhookDeliveries(db: Database): Promise<boolean> {
  const [row] = await executePrepared<{ due: boolean }>(
    db.fork(),
    'has_due_webhook_deliveries',
    `select exists (
       select 1 from webhook_endpoint ep
       cross join lateral (
         select 1 from webhook_delivery d
         where d.workspace_id = ep.workspace_id and d.endpoint_id = ep.id
           and d.status = 'pending' and d.next_attempt_at <= now()
         limit 1) d
       where ep.disabled_at is null) as due`,
    [],
  );
  return row?.due === true;
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints for `leaseMs`, at most `caps.endpoint`
 * in flight per endpoint and `caps.workspace` per workspace across every process (the ones claimed
 * before and not recorded yet count), taking turns between workspaces and their endpoints. The
 * body is the event as the feed shows it (a test event's own body for `webhook.test`). A due
 * delivery whose event expired is ended `failed` (`eventExpiredError`) instead of claimed.
 *
 * Claims are serialised across processes by a transaction-scoped advisory lock, taken in a
 * statement of its own so that the claim's snapshot sees the previous claim's commit: two claims
 * counting the same attempts in flight would together exceed the caps.
 */
export async function claimWebhookDeliveries(
  db: Database,
  limit: number,
  leaseMs: number,
  caps: WebhookClaimCaps,
): Promise<ClaimedDelivery[]> {
  if (limit <= 0 || caps.endpoint <= 0 || caps.workspace <= 0) return [];
  const claimId = randomUUID();
  const rows = await inTransaction(db.fork(), async (em) => {
    // The planner's statistics rarely know how many deliveries are due (the table is mostly
    // finished ones; a burst makes thousands due in seconds), and when it expects few it may read
    // every due row with a bitmap scan and sort them (8 ms per claim at 3,000 due, RESULTS.md).
    // Without bitmap scans it walks each endpoint's range in order and stops at its limit.
    // Without sequential scans either: with no statistics (a never-analyzed table, autovacuum
    // off) the planner costs the claimed rows at half the table and counted the attempts in
    // flight by reading all of it, 15 ms per claim after 22,000 deliveries (bench/RESULTS.md).
    // The generic plan, always: with custom plans (PostgreSQL's choice for this statement)
    // every claim was planned again, 2-5 ms of PostgreSQL CPU for a handful of deliveries.
    await em.execute(
      `select set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true),
              set_config('plan_cache_mode', 'force_generic_plan', true), pg_advisory_xact_lock(?)`,
      [claimLockKey],
    );
    return executePrepared<ClaimRow>(em, 'claim_webhook_deliveries', claimWebhookDeliveriesSql, [
      caps.endpoint,
      caps.workspace,
      caps.endpoint,
      caps.workspace,
      limit,
      limit,
      caps.workspace,
      limit,
      leaseMs,
      claimId,
      eventExpiredError,
    ]);
  });
  return rows.map((row) => ({
    workspaceId: row.workspace_id,
    deliveryId: row.id,
    claimId,
    endpointId: row.endpoint_id,
    url: row.url,
    secrets: row.previous_secret ? [row.secret, row.previous_secret] : [row.secret],
    messageId: row.event_id,
    body: row.body,
    attempts: row.attempts,
    occurredAt: toIso(row.occurred_at),
  }));
}

/** What one HTTP attempt got: a status (null when no response), latency, the start of the body. */
export type AttemptOutcome = {
  statusCode: number | null;
  /** When the attempt started (ISO 8601): its `attemptedAt` in the attempt log. */
  attemptedAt: string;
  latencyMs: number;
  responseBody: string | null;
  error: string | null;
};

/** One attempt to record: the claim it was sent under and what it got. */
export type RecordedAttempt = { claimed: ClaimedDelivery; outcome: AttemptOutcome };

/**
 * `recordWebhookAttempts`' statement (parameters: the outcomes as JSON, how many there are, then
 * `disableAfterMs` three times). The `limit` (the outcomes' count) is there for the planner: it
 * takes `jsonb_to_recordset` for 100 rows, and its generic plan then read the whole delivery
 * table (a sequential scan and a hash join: 11 ms for 3 outcomes at 9,000 deliveries, most of
 * the bench's PostgreSQL CPU per delivery); with a parameter limit it expects a few rows and
 * probes the primary key for each.
 */
const recordWebhookAttemptsSql = `with o as (
       select * from jsonb_to_recordset(?::jsonb) as o(workspace_id int, delivery_id text, claim_id text, ok boolean,
         status text, delay_ms bigint, attempted_at timestamptz, status_code int, latency_ms int, response_body text, last_error text, error text) limit ?::int),
     d as (
       update webhook_delivery d set attempts = d.attempts + 1, claim_id = null, updated_at = now(),
         status = o.status, last_status_code = o.status_code, last_error = o.last_error,
         delivered_at = case when o.ok then o.attempted_at + o.latency_ms * interval '1 millisecond' end,
         delivered_latency_ms = case when o.ok then o.latency_ms end,
         delivered_response_body = case when o.ok then o.response_body end,
         next_attempt_at = now() + o.delay_ms * interval '1 millisecond'
       from o where d.workspace_id = o.workspace_id and d.id = o.delivery_id and d.claim_id = o.claim_id
       returning d.workspace_id, d.id, d.endpoint_id),
     a as (
       insert into webhook_attempt (workspace_id, id, delivery_id, attempted_at, status_code, latency_ms, response_body, error)
       select o.workspace_id, ${sqlNewId('what')}, o.delivery_id, o.attempted_at, o.status_code, o.latency_ms, o.response_body, o.error
       from o join d on d.workspace_id = o.workspace_id and d.id = o.delivery_id
       where not o.ok),
     e as (
       select d.workspace_id, d.endpoint_id, bool_or(o.ok) as ok,
              (array_agg(o.last_error) filter (where not o.ok))[1] as last_error
       from d join o on o.workspace_id = d.workspace_id and o.delivery_id = d.id
       group by d.workspace_id, d.endpoint_id)
     update webhook_endpoint ep set
       failing_since = case when e.ok then null else coalesce(ep.failing_since, now()) end,
       disabled_at = case when not e.ok and ep.failing_since < now() - ?::bigint * interval '1 millisecond' then now() else ep.disabled_at end,
       disabled_reason = case when not e.ok and ep.failing_since < now() - ?::bigint * interval '1 millisecond'
         then 'disabled automatically: deliveries failing since ' || to_char(ep.failing_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '; last error: ' || coalesce(e.last_error, '')
         else ep.disabled_reason end
     from e where ep.workspace_id = e.workspace_id and ep.id = e.endpoint_id
       and case when e.ok then ep.failing_since is not null
                else ep.failing_since is null or (ep.disabled_at is null and ep.failing_since < now() - ?::bigint * interval '1 millisecond') end`;

/**
 * Records attempts in one statement, however many (a dispatcher records what finished while the
 * previous recording ran, so the cost per attempt falls as the load grows): each failed attempt's
 * row (a success is kept on its delivery: `deliveredLatencyMs`, `deliveredResponseBody`); its
 * delivery `succeeded` (a 2xx), `failed` (the attempts ran out) or due again after the
 * backoff; and per endpoint the failure streak, disabling it (with the reason) when it has failed
 * for `disableAfterMs` without a success. An endpoint row is written only when that changes (a
 * success after failures, the first failure, the disabling), so attempts to one healthy endpoint
 * do not all queue on its row lock. An attempt whose claim is no longer current (its lease ended
 * and another process claimed the row) changes nothing.
 */
export async function recordWebhookAttempts(
  db: Database,
  attempts: readonly RecordedAttempt[],
  policy: WebhookRetryPolicy = defaultWebhookRetryPolicy,
): Promise<void> {
  if (attempts.length === 0) return;
  const rows = attempts.map(({ claimed, outcome }) => {
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const attempt = claimed.attempts + 1;
    const fails = !ok && attempt >= policy.maxAttempts;
    return {
      workspace_id: claimed.workspaceId,
      delivery_id: claimed.deliveryId,
      claim_id: claimed.claimId,
      ok,
      status: ok ? 'succeeded' : fails ? 'failed' : 'pending',
      delay_ms: ok || fails ? 0 : webhookRetryDelayMs(attempt, policy),
      attempted_at: outcome.attemptedAt,
      status_code: outcome.statusCode,
      latency_ms: outcome.latencyMs,
      // What a receiver answered is any bytes: stored only once made storable (one NUL failed
      // the whole statement, every outcome in it).
      response_body: outcome.responseBody === null ? null : toStorableText(outcome.responseBody),
      // The delivery's last error names the status when the receiver answered non-2xx.
      last_error: ok ? null : toStorableText(outcome.error ?? `HTTP ${outcome.statusCode ?? ''}`),
      error: outcome.error === null ? null : toStorableText(outcome.error),
    };
  });
  // A prepared statement, planned once per connection: sent as text it was parsed and planned on
  // every call, for every few attempts (docs/DECISIONS.md, "Delivery cost per event").
  await executePrepared(db.fork(), 'record_webhook_attempts', recordWebhookAttemptsSql, [
    JSON.stringify(rows),
    rows.length,
    policy.disableAfterMs,
    policy.disableAfterMs,
    policy.disableAfterMs,
  ]);
}

type DeliveryRow = {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: WebhookDelivery['status'];
  attempts: number;
  next_attempt_at: unknown;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: unknown;
  delivered_latency_ms: number | null;
  delivered_response_body: string | null;
  created_at: unknown;
};

const toDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  endpointId: row.endpoint_id,
  eventId: row.event_id,
  eventType: row.event_type,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.status === 'pending' ? toIso(row.next_attempt_at) : null,
  lastStatusCode: row.last_status_code,
  lastError: row.last_error,
  deliveredAt: toIsoOrNull(row.delivered_at),
  createdAt: toIso(row.created_at),
});

/** The endpoint of the workspace, whether it is disabled; NOT_FOUND when there is none. */
async function assertEndpoint(
  em: EntityManager,
  workspaceId: number,
  endpointId: string,
): Promise<{ disabled: boolean }> {
  const [row] = await em.execute<{ disabled: boolean }[]>(
    'select disabled_at is not null as disabled from webhook_endpoint where workspace_id = ? and id = ?',
    [workspaceId, endpointId],
  );
  if (!row) throw webhookNotFound(endpointId);
  return row;
}

const DeliveryCursor = z.tuple([z.string()]);

/**
 * An endpoint's deliveries, newest first (keyset on the id, a UUIDv7, in an opaque cursor that
 * is checked before anything is read: a hostile one is a 400 like on every list).
 */
export async function listWebhookDeliveries(
  em: EntityManager,
  workspaceId: number,
  input: ListWebhookDeliveriesInput,
): Promise<WebhookDeliveryPage> {
  const [after] = input.cursor ? decodeCursor(input.cursor, DeliveryCursor) : [undefined];
  await assertEndpoint(em, workspaceId, input.id);
  const where = ['workspace_id = ?', 'endpoint_id = ?'];
  const params: unknown[] = [workspaceId, input.id];
  if (input.status) {
    where.push('status = ?');
    params.push(input.status);
  }
  if (after !== undefined) {
    where.push('id < ?');
    params.push(after);
  }
  const rows = await em.execute<DeliveryRow[]>(
    `select * from webhook_delivery where ${where.join(' and ')} order by id desc limit ?`,
    [...params, input.limit + 1],
  );
  const page = rows.slice(0, input.limit).map(toDelivery);
  const last = page.at(-1);
  return { deliveries: page, nextCursor: rows.length > input.limit && last ? encodeCursor([last.id]) : null };
}

/**
 * A delivery of the endpoint with every attempt, oldest first: the failed ones from
 * `webhook_attempt`, then the one that succeeded, kept on the delivery row.
 */
export async function getWebhookDelivery(
  em: EntityManager,
  workspaceId: number,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDeliveryDetail> {
  const [row] = await em.execute<DeliveryRow[]>(
    'select * from webhook_delivery where workspace_id = ? and endpoint_id = ? and id = ?',
    [workspaceId, endpointId, deliveryId],
  );
  if (!row) throw new DomainError('NOT_FOUND', `webhook delivery ${deliveryId} not found`);
  const attempts = await em.execute<
    {
      attempted_at: unknown;
      status_code: number | null;
      latency_ms: number;
      response_body: string | null;
      error: string | null;
    }[]
  >(
    `select attempted_at, status_code, latency_ms, response_body, error from webhook_attempt
     where workspace_id = ? and delivery_id = ? order by attempted_at, id`,
    [workspaceId, deliveryId],
  );
  const attemptLog = attempts.map((a) => ({
    attemptedAt: toIso(a.attempted_at),
    statusCode: a.status_code,
    latencyMs: a.latency_ms,
    responseBody: a.response_body,
    error: a.error,
  }));
  if (row.status === 'succeeded' && row.delivered_latency_ms !== null)
    attemptLog.push({
      // Delivered when its response arrived: the attempt started its latency before.
      attemptedAt: new Date(Date.parse(toIso(row.delivered_at)) - row.delivered_latency_ms).toISOString(),
      statusCode: row.last_status_code,
      latencyMs: row.delivered_latency_ms,
      responseBody: row.delivered_response_body,
      error: null,
    });
  return { ...toDelivery(row), attemptLog };
}

/**
 * Sends a `failed` delivery again now (one more attempt, the same `webhook-id`). Only a failed
 * delivery: a `pending` one is in flight or waiting for its backoff, and sending it at once
 * would put a second attempt beside the one in flight (past the endpoint's cap, and an attempt
 * never recorded); a `succeeded` one reached its receiver. Both are a 409 (CONFLICT) that says
 * which. A failed delivery whose event expired (retention) has no body to send: a 409 too. The
 * check and the change are one statement, so of two retries (or a retry and a claim) at once
 * exactly one wins. Throws NOT_FOUND for a delivery that is not the endpoint's.
 */
export async function retryWebhookDelivery(
  em: EntityManager,
  workspaceId: number,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDeliveryDetail> {
  const rows = await em.execute<{ id: string }[]>(
    `update webhook_delivery d set status = 'pending', next_attempt_at = now(), claim_id = null, updated_at = now()
     where d.workspace_id = ? and d.endpoint_id = ? and d.id = ? and d.status = 'failed'
       and (d.payload is not null or exists (select 1 from event e where e.workspace_id = d.workspace_id and e.id = d.event_id))
     returning d.id`,
    [workspaceId, endpointId, deliveryId],
  );
  if (rows.length === 0) {
    const current = await getWebhookDelivery(em, workspaceId, endpointId, deliveryId);
    throw new DomainError(
      'CONFLICT',
      current.status === 'succeeded'
        ? `webhook delivery ${current.id} succeeded already`
        : current.status === 'pending'
          ? `webhook delivery ${current.id} is pending (in flight, or waiting for its next attempt at ${current.nextAttemptAt ?? 'once'}); only a failed delivery can be retried`
          : `webhook delivery ${current.id} cannot be retried: ${eventExpiredError}`,
    );
  }
  return getWebhookDelivery(em, workspaceId, endpointId, deliveryId);
}

/**
 * Queues a `webhook.test` event to this endpoint only (even a disabled one's test is queued, and
 * sent once it is enabled). Not in the feed. Returns the delivery.
 */
export async function sendWebhookTestEvent(
  em: EntityManager,
  workspaceId: number,
  endpointId: string,
): Promise<WebhookDelivery> {
  // A disabled endpoint receives nothing (EVENTS.md): a test queued now would wait and arrive
  // after a re-enabling, unlike every event committed meanwhile (attack of issue 17, session 15).
  if ((await assertEndpoint(em, workspaceId, endpointId)).disabled)
    throw new DomainError('CONFLICT', `webhook endpoint ${endpointId} is disabled: enable it to send a test event`);
  const eventId = newId(idPrefixes.event);
  const body = {
    id: eventId,
    type: 'webhook.test',
    workspaceId,
    seq: 0,
    timestamp: new Date().toISOString(),
    data: { endpointId, message: 'This is a test event from the tagging service.' },
  };
  const [row] = await em.execute<DeliveryRow[]>(
    `insert into webhook_delivery (workspace_id, id, endpoint_id, event_id, event_type, payload)
     values (?, ?, ?, ?, 'webhook.test', ?::jsonb) returning *`,
    [workspaceId, newId(idPrefixes.webhookDelivery), endpointId, eventId, JSON.stringify(body)],
  );
  if (!row) throw new Error('insert returned nothing');
  return toDelivery(row);
}
