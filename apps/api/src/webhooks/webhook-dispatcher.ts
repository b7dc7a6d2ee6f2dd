import {
  claimWebhookDeliveries,
  hasDueWebhookDeliveries,
  OutageBackoff,
  recordWebhookAttempts,
  type AttemptOutcome,
  type ClaimedDelivery,
  type Database,
  type WebhookRetryPolicy,
} from '@tagging/domain';
import { sendWebhook, type WebhookSendSettings } from './webhook-sender.ts';

export type WebhookDispatcherSettings = WebhookSendSettings & {
  /** Attempts in flight at once in this process. */
  concurrency: number;
  /** Attempts in flight at once to one endpoint, counted across every process (the claim's cap). */
  endpointConcurrency: number;
  /** Attempts in flight at once to the endpoints of one workspace, counted across every process. */
  workspaceConcurrency: number;
  retry: WebhookRetryPolicy;
  /** How long to wait when nothing is due (ms). */
  idleMs: number;
  /**
   * While `foreground` says the process is busy serving requests, claims are at least this long
   * apart (ms), so deliveries take at most `concurrency` per pause of the CPU that requests need;
   * 0 never steps back. Without `foreground`, claims are never paced.
   */
  busyPauseMs: number;
  /** The process's request load (`http/foreground-load.ts`); the API passes its server's. */
  foreground?: { isBusy: () => boolean };
  /** Called with each attempt's outcome (metrics, the benchmark's lag). */
  onAttempt?: (delivery: ClaimedDelivery, statusCode: number | null) => void;
  onError?: (error: unknown) => void;
};

export type WebhookDispatcher = { stop: () => Promise<void>; wake: () => void };

/**
 * Runs in every API process: keeps up to `concurrency` attempts in flight, claiming due
 * deliveries (`claimWebhookDeliveries`, one statement for all the free slots, at most
 * `endpointConcurrency` in flight per endpoint and `workspaceConcurrency` per workspace across
 * processes, workspaces and endpoints taking turns) as slots free up,
 * sending each and recording the outcomes. Outcomes are recorded together: an outcome waits a
 * few ms for the other attempts in flight, and whatever finished while the previous recording ran
 * goes in the next one statement (`recordWebhookAttempts`), so
 * under load a few statements and pool connections serve many deliveries instead of one each. A
 * slot frees when its outcome is recorded (or the recording failed: the claim's lease then ends
 * and the delivery is sent again, with the same `webhook-id`). The lease of a claim is twice the
 * attempt's timeout plus 5 s, so no other process claims a delivery while this one may still be
 * sending or recording it. Deliveries are background work: while the process is busy serving
 * requests, claims are `busyPauseMs` apart (they still go on, so a backlog never stops draining).
 * After a claim that took nothing, the next pass asks `hasDueWebhookDeliveries` (one statement)
 * before it claims again, so an idle process polls with one round trip instead of a transaction.
 * `stop` stops claiming and waits for the attempts in flight.
 */
/** How long a finished attempt waits for the others in flight before its outcome is recorded (ms). */
const recordLingerMs = 10;

export function startWebhookDispatcher(db: Database, settings: WebhookDispatcherSettings): WebhookDispatcher {
  const leaseMs = 2 * settings.timeoutMs + 5000;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let wake: (() => void) | undefined;
  // A wake-up that came while the loop was claiming (a slot freed, the sequencer queued work) is
  // kept, not lost: otherwise a loop whose attempts all finished during its claim slept for the
  // whole idle interval (measured: 135 deliveries/s instead of 500 with the per-endpoint cap).
  let woken = false;
  const signal = () => {
    woken = true;
    wake?.();
  };
  const finished: { claimed: ClaimedDelivery; outcome: AttemptOutcome; recorded: () => void }[] = [];
  let sending = 0;
  let lingering: NodeJS.Timeout | undefined;
  let recording = false;
  /** Records a group of outcomes in one statement; false (the error reported) when it failed. */
  const recordAll = async (group: typeof finished): Promise<boolean> => {
    try {
      await recordWebhookAttempts(db, group, settings.retry);
      for (const { claimed, outcome } of group) settings.onAttempt?.(claimed, outcome.statusCode);
      return true;
    } catch (error) {
      settings.onError?.(error);
      return false;
    }
  };
  const record = async () => {
    if (recording) return;
    recording = true;
    while (finished.length > 0) {
      const batch = finished.splice(0);
      // One statement for the round; if it fails, each outcome on its own, so that one outcome
      // the database refuses cannot hold back the others (their deliveries would be sent again).
      if (!(await recordAll(batch)) && batch.length > 1) for (const item of batch) await recordAll([item]);
      for (const { recorded } of batch) recorded();
    }
    recording = false;
  };
  // An outcome waits up to `recordLingerMs` for the other attempts in flight to finish, so that
  // they are recorded together and their slots, freed together, are claimed again together: one
  // recording and one claim per round of attempts instead of one per few (bench/RESULTS.md,
  // issue 17).
  const recordSoon = () => {
    if (sending === 0) {
      clearTimeout(lingering);
      lingering = undefined;
      void record();
    } else
      lingering ??= setTimeout(() => {
        lingering = undefined;
        void record();
      }, recordLingerMs);
  };
  const attempt = (claimed: ClaimedDelivery) => {
    sending += 1;
    const running: Promise<void> = sendWebhook(claimed, settings)
      .then(
        (outcome) =>
          new Promise<void>((recorded) => {
            sending -= 1;
            finished.push({ claimed, outcome, recorded });
            recordSoon();
          }),
      )
      .catch((error: unknown) => settings.onError?.(error))
      .finally(() => {
        inFlight.delete(running);
        signal();
      });
    inFlight.add(running);
  };
  // While the database is unreachable, claims are a few seconds apart rather than `idleMs`.
  const backoff = new OutageBackoff(settings.idleMs);
  let lastClaimAt = -Infinity;
  /** The last claim took nothing: the next pass asks `hasDueWebhookDeliveries` before claiming. */
  let foundNothing = false;
  /** Waits out the rest of the pause since the last claim while requests keep the process busy. */
  const stepBack = async () => {
    const rest = lastClaimAt + settings.busyPauseMs - performance.now();
    if (rest > 0 && settings.foreground?.isBusy()) await new Promise((resolve) => setTimeout(resolve, rest));
  };
  const loop = (async () => {
    while (!stopped) {
      woken = false;
      let claimed: ClaimedDelivery[] = [];
      if (settings.concurrency - inFlight.size > 0) await stepBack();
      const free = settings.concurrency - inFlight.size;
      if (free > 0 && !stopped) {
        lastClaimAt = performance.now();
        try {
          // After a claim that found nothing, a probe first: an idle pass is one round trip.
          if (!foundNothing || (await hasDueWebhookDeliveries(db))) {
            claimed = await claimWebhookDeliveries(db, free, leaseMs, {
              endpoint: settings.endpointConcurrency,
              workspace: settings.workspaceConcurrency,
            });
            foundNothing = claimed.length === 0;
          }
        } catch (error) {
          backoff.noteError(error);
          settings.onError?.(error);
        }
        for (const delivery of claimed) attempt(delivery);
      }
      if (stopped) break;
      const outageWait = backoff.endPass();
      // Slots full: wait for one to free up; nothing due: wait for the idle interval.
      if (outageWait !== undefined || ((claimed.length < free || free <= 0) && !woken))
        await new Promise<void>((resolve) => {
          const wait = outageWait ?? (free > 0 ? settings.idleMs : undefined);
          const timer = wait === undefined ? undefined : setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      wake = undefined;
    }
    await Promise.all(inFlight);
  })();
  return {
    wake: signal,
    stop: async () => {
      stopped = true;
      signal();
      await loop;
    },
  };
}
