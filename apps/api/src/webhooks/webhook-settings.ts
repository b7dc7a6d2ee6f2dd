import { defaultWebhookRetryPolicy } from '@tagging/domain';
import type { Env } from '../env.ts';
import type { WebhookUrlPolicy } from './url-guard.ts';
import type { WebhookDispatcherSettings } from './webhook-dispatcher.ts';

/**
 * The one home of the webhook settings: what the API checks when an endpoint is saved (`urls`)
 * and how deliveries go (`delivery`), from the environment (env.ts: `WEBHOOK_*`). The same
 * `allowPrivate` serves both checks of the SSRF guard (url-guard.ts); the retry policy is the
 * domain's `defaultWebhookRetryPolicy` with the operator's values over it.
 */
export type WebhookSettings = { urls: WebhookUrlPolicy; delivery: WebhookDispatcherSettings };

/** Delivery settings when none are given (tests, embedded uses); env.ts states the same defaults. */
export const defaultWebhookDispatcherSettings: WebhookDispatcherSettings = {
  timeoutMs: 10_000,
  maxResponseBytes: 64 * 1024,
  storedResponseChars: 2000,
  allowPrivate: false,
  concurrency: 32,
  endpointConcurrency: 16,
  workspaceConcurrency: 24,
  retry: defaultWebhookRetryPolicy,
  idleMs: 200,
  busyPauseMs: 200,
};

/** The webhook settings of an API process, read from its environment. */
export function webhookSettingsFromEnv(env: Env): WebhookSettings {
  const urls: WebhookUrlPolicy = { allowPrivate: env.WEBHOOK_ALLOW_PRIVATE_URLS };
  return {
    urls,
    delivery: {
      ...defaultWebhookDispatcherSettings,
      ...urls,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: env.WEBHOOK_MAX_RESPONSE_BYTES,
      concurrency: env.WEBHOOK_CONCURRENCY,
      endpointConcurrency: env.WEBHOOK_ENDPOINT_CONCURRENCY,
      workspaceConcurrency: env.WEBHOOK_WORKSPACE_CONCURRENCY,
      busyPauseMs: env.WEBHOOK_BUSY_PAUSE_MS,
      retry: {
        ...defaultWebhookRetryPolicy,
        baseDelayMs: env.WEBHOOK_RETRY_BASE_MS,
        maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
        disableAfterMs: env.WEBHOOK_DISABLE_AFTER_HOURS * 60 * 60 * 1000,
      },
    },
  };
}
