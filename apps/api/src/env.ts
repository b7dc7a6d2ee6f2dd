import { z } from 'zod';

/** Fastify's `trustProxy`: no proxy, any, the nearest N hops, or these addresses/CIDR ranges. */
export type TrustProxy = boolean | number | string[];
/**
 * One browser origin as the `Origin` header spells it: `http(s)://host[:port]`, lower case, no
 * default port, no path. Written otherwise (a trailing slash, upper case) it is normalized; with
 * a path, query or credentials it is refused, since no browser would send it.
 */
const corsOrigin = z.url({ protocol: /^https?$/ }).transform((value, ctx) => {
  const url = new URL(value);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: `${value} is not an origin (scheme://host[:port], no path)`,
    });
    return z.NEVER;
  }
  return url.origin;
});

/**
 * The longest any day setting may be (10 years): beyond it a typo (`1e9`) would overflow the
 * dates and timers it becomes, so it is refused at start-up.
 */
const maxDays = 3650;

/** A setting that cannot be used: its message is one line, `invalid configuration: …`, for an operator. */
export class InvalidConfigurationError extends Error {
  override name = 'InvalidConfigurationError';
}

/** The only place that reads `process.env`. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /**
   * Connections to the PostgreSQL server per API process. Few beat many when the server has few
   * cores: on the 2-core benchmark machine 8 did ~20% more tag-session requests than 20.
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  /**
   * How long the API keeps an idle connection to the PostgreSQL server open (seconds). Each new
   * connection is a new server process that pays to map the shared buffers as it first touches
   * them: an export on two new connections took 1-2 s longer on the benchmark VM
   * (docs/OPERATIONS.md, "New connections and page faults"). `pg`'s own default is 10 s.
   */
  DATABASE_POOL_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /**
   * The longest a statement of the API may run (ms) before PostgreSQL cancels it and the request
   * gets a 503; 0: no limit. Not applied to the CLI (migrations may run longer).
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  DATA_DIR: z.string().min(1).default('./.data'),
  DEMO_API_KEY: z.string().min(16).optional(),
  /** Above this many sessions, a contact's tag reaches its sessions in a background job. */
  PROPAGATION_SYNC_LIMIT: z.coerce.number().int().min(0).default(5000),
  PROPAGATION_BATCH_SIZE: z.coerce.number().int().min(1).default(5000),
  /** Finished propagation jobs (done, failed) are deleted this many days after they ended. */
  JOB_RETENTION_DAYS: z.coerce.number().positive().max(maxDays).default(7),
  /** Finished exports (row and file) are deleted this many days after they ended. */
  EXPORT_EXPIRY_DAYS: z.coerce.number().positive().max(maxDays).default(7),
  /** Exports a workspace may have queued or running at once; beyond it, creating one answers 429. */
  EXPORT_MAX_ACTIVE_PER_WORKSPACE: z.coerce.number().int().min(1).default(5),
  /** Downloads of a workspace's exports one process sends at once; beyond it, a download answers 429. */
  EXPORT_MAX_DOWNLOADS_PER_WORKSPACE: z.coerce.number().int().min(1).max(1000).default(10),
  /** How long the first response to an `Idempotency-Key` is replayed (hours, from its first request). */
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  /**
   * A key claimed by a request that never answered (its process died) is free again after this
   * long (ms); until then, requests with it get 409. Longer than the slowest POST.
   */
  IDEMPOTENCY_CLAIM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  /**
   * Requests per second per API key, per process, on average; 0 turns the limit off. A key may
   * send `RATE_LIMIT_PER_SECOND × RATE_LIMIT_WINDOW_SECONDS` requests (rounded up) in each window.
   */
  RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).max(1_000_000).default(0),
  /** The rate limit's window (seconds): the default 2 lets a key burst to twice its rate, as before. */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
  /** How long a key's caller is remembered per process (ms): a revoked key works this much longer. */
  API_KEY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Serve Prometheus metrics at GET /metrics (unauthenticated: restrict it at the network). */
  METRICS_ENABLED: z.stringbool().default(true),
  /** Bounds of one GraphQL request, checked before the document is parsed or validated (RELIABILITY.md). */
  GRAPHQL_MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .default(16 * 1024),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(50).default(1000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(20),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(3).default(15),
  GRAPHQL_MAX_FIELDS: z.coerce.number().int().min(10).default(500),
  /** Parsed documents kept per process (0: none); each costs up to ~0.3 KB per token. */
  GRAPHQL_CACHE_ENTRIES: z.coerce.number().int().min(0).max(10_000).default(32),
  /** Resolvers of one GraphQL request waiting on the database at once: its share of the pool. */
  GRAPHQL_RESOLVER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  /**
   * HTTP limits (docs/RELIABILITY.md, "Limits"). A request must send its headers within
   * HTTP_HEADERS_TIMEOUT_MS and all of it (headers and body) within HTTP_REQUEST_TIMEOUT_MS, or
   * it is answered 408 and its connection closed: a client that trickles a body cannot hold a
   * socket for ever.
   */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(10_000),
  /** A socket that neither sends nor receives for this long is closed (a response in progress counts as activity). */
  HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(120_000),
  /** How long an idle keep-alive connection stays open between requests. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(5_000),
  /** Open connections from one client address at once; more are closed on arrival. 0 turns the limit off. */
  HTTP_MAX_CONNECTIONS_PER_CLIENT: z.coerce.number().int().min(0).default(256),
  /** Open connections in all, per process (leave room below the file descriptor limit). 0 turns the limit off. */
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(0).default(10_000),
  /** The largest body of a single operation (bytes). */
  HTTP_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** The largest body of a bulk operation (bytes). */
  HTTP_BULK_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /**
   * Which proxies in front of the API to believe (Fastify's `trustProxy`): `false` (default: the
   * socket's peer is the client, X-Forwarded-* are ignored), `true` (any peer), a hop count
   * (`1`: the nearest proxy), or a comma-separated list of addresses and CIDR ranges
   * (`10.0.0.0/8,127.0.0.1`). A believed proxy's X-Forwarded-Proto/Host make /openapi.json's
   * server URL, and its X-Forwarded-For the client address that is logged and rate limited.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((value, context): TrustProxy => {
      if (value === 'false') return false;
      if (value === 'true') return true;
      if (/^\d+$/.test(value)) return Number(value);
      const addresses = value
        .split(',')
        .map((address) => address.trim())
        .filter(Boolean);
      // An address (v4 or v6) with an optional prefix length: anything else is a typo to report.
      if (addresses.length === 0 || !addresses.every((address) => /^[\d.:a-fA-F]+(?:\/\d{1,3})?$/.test(address))) {
        context.addIssue({
          code: 'custom',
          message: 'must be true, false, a hop count or a comma-separated list of addresses/CIDR ranges',
        });
        return z.NEVER;
      }
      return addresses;
    }),
  /**
   * Browser origins allowed to call the API (CORS), comma-separated: `https://app.example.com`
   * (scheme, host and port, no path), or `*` for any. Unset: none, no CORS headers at all.
   */
  CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== ''),
    )
    .pipe(z.array(z.union([z.literal('*'), corsOrigin])))
    .default([]),
  /** Change events (issue 17) are kept this many days, then deleted by the service. */
  EVENT_RETENTION_DAYS: z.coerce.number().positive().max(maxDays).default(30),
  /** Live event streams (tRPC `events.subscribe`) a workspace may hold open in one process; one more is refused (429). */
  EVENT_STREAMS_PER_WORKSPACE: z.coerce.number().int().min(1).max(10_000).default(100),
  /** How often each process looks for committed events to number and deliver (ms). */
  EVENT_SEQUENCE_INTERVAL_MS: z.coerce.number().int().min(5).max(10_000).default(50),
  /** Let webhook endpoints point at loopback, private and link-local addresses (closed networks, tests). */
  WEBHOOK_ALLOW_PRIVATE_URLS: z.stringbool().default(false),
  /** One delivery attempt, connect to last byte read (ms). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Bytes of a receiver's response read per attempt; the rest is not read. */
  WEBHOOK_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(1024 * 1024)
    .default(64 * 1024),
  /**
   * Delivery attempts in flight at once, per process. The defaults keep endpoint cap < workspace
   * cap < this, so one workspace's hanging receivers (any number of endpoints) never hold all of a
   * process's slots (docs/DECISIONS.md, "Fair webhook claims").
   */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  /**
   * Delivery attempts in flight at once to one endpoint, across every process: one endpoint's
   * rate is at most this / its receiver's latency (16 at 50 ms: 320/s), and a slow receiver or a
   * burst holds at most this many slots of the whole service; freed slots go to the least loaded
   * workspace first (docs/DECISIONS.md, "Fair webhook claims").
   */
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /**
   * Delivery attempts in flight at once to all the endpoints of one workspace, across every
   * process: a workspace with many slow or hanging endpoints holds at most this many slots.
   */
  WEBHOOK_WORKSPACE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(24),
  /**
   * While the process is busy serving requests (its event loop ≥ 80 % active and answering),
   * webhook claims are at least this far apart (ms): deliveries step back for tagging, and catch
   * up when the load passes (docs/DECISIONS.md, "Deliveries step back"). 0 never steps back.
   */
  WEBHOOK_BUSY_PAUSE_MS: z.coerce.number().int().min(0).max(10_000).default(200),
  /** The first retry's delay (ms); each next one is 4 times longer, up to 8 hours, with jitter. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000),
  /** Attempts before a delivery fails (the defaults spread 10 over about a day). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(10),
  /** An endpoint failing this long without a success is disabled, with the reason. */
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce
    .number()
    .positive()
    .max(maxDays * 24)
    .default(24),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Log lines are gathered up to this many bytes (and at most a second) before one write to
   * stdout, instead of a write per line; 0 writes each line at once (observability/log-destination.ts).
   */
  LOG_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(1024 * 1024)
    .default(4096),
});
export type Env = z.infer<typeof Env>;

/** How a number setting is written: decimal digits, a minus sign and a fraction at most. */
const decimalText = /^-?[0-9]+(\.[0-9]+)?$/;

/** The kind of a setting's schema under its default (`number` for the `z.coerce.number()` ones). */
function kindOf(schema: z.ZodType): string {
  let def = schema._zod.def as { type: string; innerType?: z.ZodType };
  while ((def.type === 'default' || def.type === 'optional') && def.innerType)
    def = def.innerType._zod.def as typeof def;
  return def.type;
}

/**
 * The number settings. Their schemas coerce with `Number()`, which reads a blank value as 0,
 * `0x10` as 16 and `+5` as 5; `readEnv` takes decimal text only (attack of issue 17, session 15:
 * `WEBHOOK_BUSY_PAUSE_MS=' '` started as 0 without a word).
 */
const numberSettings = Object.keys(Env.shape).filter((name) => kindOf(Env.shape[name as keyof Env]) === 'number');

/**
 * The settings, parsed and checked. Throws `InvalidConfigurationError` naming every bad one
 * (`invalid configuration: NAME: problem; …`).
 */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable means unset, as in most shells' `VAR= command`.
  const given = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const notDecimal = numberSettings.filter((name) => given[name] !== undefined && !decimalText.test(given[name] ?? ''));
  const parsed = Env.safeParse(given);
  if (!parsed.success || notDecimal.length > 0) {
    // A value that is not decimal text says so, not what `Number()` made of it.
    const problems = [
      ...notDecimal.map((name) => `${name}: expected a decimal number, got ${JSON.stringify(given[name])}`),
      ...(parsed.error?.issues ?? [])
        .filter((issue) => !notDecimal.includes(String(issue.path[0])))
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    ].join('; ');
    throw new InvalidConfigurationError(`invalid configuration: ${problems}`);
  }
  if (parsed.data.HTTP_HEADERS_TIMEOUT_MS > parsed.data.HTTP_REQUEST_TIMEOUT_MS)
    throw new InvalidConfigurationError(
      'invalid configuration: HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS',
    );
  return parsed.data;
}
