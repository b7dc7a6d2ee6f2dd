import { startEventWorker, type Database } from '@tagging/domain';
import type { EventRetention } from '@tagging/domain';
import { startWebhookDispatcher, type WebhookDispatcherSettings } from './webhook-dispatcher.ts';
import { defaultWebhookDispatcherSettings } from './webhook-settings.ts';

export type ChangeEventSettings = {
  retention?: EventRetention;
  sequenceEveryMs?: number;
  webhooks?: Partial<WebhookDispatcherSettings>;
  onError?: (error: unknown) => void;
};

/**
 * The background work of change events in one API process: the sequencer (numbering events and
 * queueing deliveries, see `event-sequencer.ts`) and the webhook dispatcher, which it wakes as
 * soon as it queued something so a delivery does not wait for the dispatcher's idle poll.
 */
export function startChangeEventWork(db: Database, settings: ChangeEventSettings = {}) {
  const dispatcher = startWebhookDispatcher(db, {
    ...defaultWebhookDispatcherSettings,
    ...settings.webhooks,
    ...(settings.onError ? { onError: settings.onError } : {}),
  });
  const events = startEventWorker(db, {
    ...(settings.retention ? { retention: settings.retention } : {}),
    ...(settings.sequenceEveryMs ? { sequenceEveryMs: settings.sequenceEveryMs } : {}),
    ...(settings.onError ? { onError: settings.onError } : {}),
    // Deliveries were queued only if events were numbered: wake the dispatcher then, not every tick.
    afterSequencing: (numbered) => {
      if (numbered > 0) dispatcher.wake();
      return Promise.resolve(false);
    },
  });
  return {
    stop: async () => {
      await events.stop();
      await dispatcher.stop();
    },
  };
}
