import {
  ensureDemoWorkspace,
  findDatabaseProblem,
  openAndMigrateIfEmbedded,
  startBackgroundWorker,
} from '@tagging/domain';
import { startChangeEventWork } from './webhooks/change-event-work.ts';
import { ForegroundLoad } from './http/foreground-load.ts';
import { webhookSettingsFromEnv } from './webhooks/webhook-settings.ts';
import { databaseTarget } from './database-target.ts';
import { holdDataDir, runningServerPid } from './embedded-lock.ts';
import { InvalidConfigurationError, readEnv, type Env } from './env.ts';
import { buildServer } from './server.ts';
import { logDestination } from './observability/log-destination.ts';

// A bad setting is said in one line and exit 1, like a bad DATABASE_URL: no stack trace.
let env: Env;
try {
  env = readEnv();
} catch (error) {
  if (!(error instanceof InvalidConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const day = 24 * 60 * 60 * 1000;
const webhooks = webhookSettingsFromEnv(env);
const target = databaseTarget(env, { forServer: true });
if (target.kind === 'pglite') {
  const other = runningServerPid(target.dataDir);
  if (other) {
    console.error(`another server (pid ${other}) is using the embedded database in ${target.dataDir}`);
    process.exit(1);
  }
}
const release = target.kind === 'pglite' ? holdDataDir(target.dataDir) : () => undefined;
const db = await openAndMigrateIfEmbedded({ target });
// Say what is wrong with DATABASE_URL (cannot connect, no such database, migrations pending)
// rather than start a server that answers 503 to everything.
const problem = await findDatabaseProblem(db);
if (problem) {
  console.error(problem.message);
  await db.close();
  release();
  process.exit(1);
}

if (db.target.kind === 'pglite') {
  const demo = await ensureDemoWorkspace(db.fork(), env.DEMO_API_KEY);
  if (demo)
    console.log(
      [
        `created the demo workspace ${demo.workspace.id} and its API key (shown this once):`,
        `  ${demo.apiKey.secret}`,
        `try: curl -H 'Authorization: Bearer ${demo.apiKey.secret}' http://${env.HOST}:${env.PORT}/api/tags`,
      ].join('\n'),
    );
}

const logs = logDestination(env.LOG_BUFFER_BYTES);
/** Read by the routes (limits, `expiresAt`) and by the worker's clean-up (deletes): one value. */
const exportSettings = {
  maxActivePerWorkspace: env.EXPORT_MAX_ACTIVE_PER_WORKSPACE,
  maxDownloadsPerWorkspace: env.EXPORT_MAX_DOWNLOADS_PER_WORKSPACE,
  expiryMs: env.EXPORT_EXPIRY_DAYS * day,
};
// Requests answered and the event loop's load, for deliveries to step back while requests are busy.
const foregroundLoad = new ForegroundLoad();
const app = await buildServer({
  db,
  foregroundLoad,
  logger: { level: env.LOG_LEVEL, stream: logs },
  metrics: env.METRICS_ENABLED,
  callerCacheMs: env.API_KEY_CACHE_MS,
  trustProxy: env.TRUST_PROXY,
  corsOrigins: env.CORS_ORIGINS,
  propagation: { syncFanOutLimit: env.PROPAGATION_SYNC_LIMIT },
  exports: exportSettings,
  eventStreamsPerWorkspace: env.EVENT_STREAMS_PER_WORKSPACE,
  idempotency: {
    ttlMs: env.IDEMPOTENCY_KEY_TTL_HOURS * 60 * 60 * 1000,
    claimTimeoutMs: env.IDEMPOTENCY_CLAIM_TIMEOUT_MS,
  },
  webhooks: webhooks.urls,
  graphql: {
    maxDocumentBytes: env.GRAPHQL_MAX_DOCUMENT_BYTES,
    maxTokens: env.GRAPHQL_MAX_TOKENS,
    maxAliases: env.GRAPHQL_MAX_ALIASES,
    maxDepth: env.GRAPHQL_MAX_DEPTH,
    maxFields: env.GRAPHQL_MAX_FIELDS,
    cacheEntries: env.GRAPHQL_CACHE_ENTRIES,
    resolverConcurrency: env.GRAPHQL_RESOLVER_CONCURRENCY,
  },
  limits: {
    requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
    headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
    idleTimeoutMs: env.HTTP_IDLE_TIMEOUT_MS,
    keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxConnectionsPerClient: env.HTTP_MAX_CONNECTIONS_PER_CLIENT,
    maxConnections: env.HTTP_MAX_CONNECTIONS,
    bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES,
    bulkBodyLimitBytes: env.HTTP_BULK_BODY_LIMIT_BYTES,
  },
  ...(env.RATE_LIMIT_PER_SECOND > 0
    ? {
        rateLimit: {
          max: Math.ceil(env.RATE_LIMIT_PER_SECOND * env.RATE_LIMIT_WINDOW_SECONDS),
          timeWindowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000,
        },
      }
    : {}),
});
const changeEvents = startChangeEventWork(db, {
  retention: { eventRetentionMs: env.EVENT_RETENTION_DAYS * day, deliveryRetentionMs: env.JOB_RETENTION_DAYS * day },
  sequenceEveryMs: env.EVENT_SEQUENCE_INTERVAL_MS,
  webhooks: { ...webhooks.delivery, foreground: foregroundLoad },
  onError: (error) => app.log.error({ err: error }, 'change event work failed'),
});
const worker = startBackgroundWorker(db, {
  batchSize: env.PROPAGATION_BATCH_SIZE,
  retention: { jobRetentionMs: env.JOB_RETENTION_DAYS * day },
  exports: exportSettings,
  onError: (error) => app.log.error({ err: error }, 'background batch failed'),
});

// Graceful shutdown: stop accepting, let in-flight requests finish, then close the database.
let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // Requests in flight finish; the worker stops at a batch boundary; then the database closes.
    // A shutdown that cannot finish in time (a stuck connection) still ends the process.
    setTimeout(() => {
      app.log.error('shutdown did not finish within 10 s; exiting');
      process.exit(1);
    }, 10_000).unref();
    void app
      .close()
      .then(() => app.log.info('http server closed'))
      .then(() => worker.stop())
      .then(() => changeEvents.stop())
      .then(() => app.log.info('background worker stopped'))
      .then(() => db.close())
      .then(() => release())
      .then(() => process.exit(0));
  });
}

await app.listen({ port: env.PORT, host: env.HOST });
const where = db.target.kind === 'pglite' ? `embedded database in ${db.target.dataDir}` : 'PostgreSQL server';
app.log.info(`tagging API on http://${env.HOST}:${env.PORT} (${where}); REST under /api, tRPC at /trpc, /openapi.json`);
// Say at once that the server listens, whatever the log buffer holds (process managers and tests wait for it).
logs.flush();
