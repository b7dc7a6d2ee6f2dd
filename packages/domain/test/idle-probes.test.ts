import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hasUnnumberedEvents, sequenceEvents } from '../src/events/event-sequencer.ts';
import { dueQueues } from '../src/jobs/due-work.ts';
import { hasDueWebhookDeliveries } from '../src/webhooks/webhook-deliveries.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';

/**
 * The background loops' idle probes (issue 20): one statement each, answering whether a pass
 * has work, so that an idle pass does not open the sequencer's or the claims' transactions. A
 * probe that says "nothing" while work is due would stall that work for good: each case below
 * is checked both ways.
 */
let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase(inject('testDatabaseTemplate'));
  await test.db.fork().execute(`insert into workspace (id, name) values (960, 'Idle probes')`);
});
afterAll(() => test.dispose());

describe('hasUnnumberedEvents', () => {
  it('is true while a committed event waits for its number, false once numbered', async () => {
    const em = test.db.fork();
    for (let pass = 0; pass < 5 && (await sequenceEvents(test.db)) > 0; pass++);
    expect(await hasUnnumberedEvents(test.db)).toBe(false);
    await em.execute(
      `insert into event (workspace_id, id, type, payload, occurred_at)
       values (960, 'evt_probe_1', 'tag.created', '{}'::jsonb, now())`,
    );
    expect(await hasUnnumberedEvents(test.db)).toBe(true);
    expect(await sequenceEvents(test.db)).toBeGreaterThanOrEqual(1);
    expect(await hasUnnumberedEvents(test.db)).toBe(false);
  });

  it('does not see an event whose transaction has not committed', async () => {
    await test.db.fork().transactional(async (em) => {
      await em.execute(
        `insert into event (workspace_id, id, type, payload, occurred_at)
         values (960, 'evt_probe_2', 'tag.created', '{}'::jsonb, now())`,
      );
      // PGlite has one connection: the probe would run inside this transaction and see the row.
      if (test.db.target.kind === 'postgres') expect(await hasUnnumberedEvents(test.db)).toBe(false);
    });
    expect(await hasUnnumberedEvents(test.db)).toBe(true);
    await sequenceEvents(test.db);
  });
});

describe('dueQueues', () => {
  const em = () => test.db.fork();

  it('says which queue has a job due now, with the claims conditions', async () => {
    expect(await dueQueues(test.db)).toEqual({ propagation: false, exports: false });
    // A job waiting for its retry (run_after in the future) is not due; once due, it is.
    await em().execute(
      `insert into propagation_job (workspace_id, id, kind, contact_id, tag_id, status, run_after)
       values (960, 'pjob_probe_1', 'tag-contact', 'contact_x', 'wtag_x', 'pending', now() + interval '1 hour')`,
    );
    expect(await dueQueues(test.db)).toEqual({ propagation: false, exports: false });
    await em().execute(`update propagation_job set run_after = now() - interval '1 second' where id = 'pjob_probe_1'`);
    expect(await dueQueues(test.db)).toEqual({ propagation: true, exports: false });
    // A running job whose lease ended is due again (a worker died holding it).
    await em().execute(`update propagation_job set status = 'running' where id = 'pjob_probe_1'`);
    expect((await dueQueues(test.db)).propagation).toBe(true);
    await em().execute(`update propagation_job set status = 'done' where id = 'pjob_probe_1'`);
    expect((await dueQueues(test.db)).propagation).toBe(false);
  });

  it('sees a due export', async () => {
    await em().execute(
      `insert into contact_export (workspace_id, id, status, format, criteria, run_after)
       values (960, 'cexp_probe_1', 'pending', 'csv', '{}'::jsonb, now() - interval '1 second')`,
    );
    expect(await dueQueues(test.db)).toEqual({ propagation: false, exports: true });
    await em().execute(
      `update contact_export set status = 'running', run_after = now() + interval '1 minute' where id = 'cexp_probe_1'`,
    );
    expect((await dueQueues(test.db)).exports).toBe(false);
  });
});

describe('hasDueWebhookDeliveries', () => {
  const em = () => test.db.fork();

  it('is true while an enabled endpoint has a delivery due, with the claim conditions', async () => {
    expect(await hasDueWebhookDeliveries(test.db)).toBe(false);
    await em().execute(
      `insert into webhook_endpoint (workspace_id, id, url, secret)
       values (960, 'whep_probe_1', 'https://example.com/hook', 'whsec_probe')`,
    );
    // Waiting for its retry: not due; once due, it is.
    await em().execute(
      `insert into webhook_delivery (workspace_id, id, endpoint_id, event_id, event_type, next_attempt_at)
       values (960, 'whd_probe_1', 'whep_probe_1', 'evt_probe_x', 'tag.created', now() + interval '1 hour')`,
    );
    expect(await hasDueWebhookDeliveries(test.db)).toBe(false);
    await em().execute(
      `update webhook_delivery set next_attempt_at = now() - interval '1 second' where id = 'whd_probe_1'`,
    );
    expect(await hasDueWebhookDeliveries(test.db)).toBe(true);
    // Its endpoint disabled: the claim would not take it.
    await em().execute(`update webhook_endpoint set disabled_at = now() where id = 'whep_probe_1'`);
    expect(await hasDueWebhookDeliveries(test.db)).toBe(false);
    await em().execute(`update webhook_endpoint set disabled_at = null where id = 'whep_probe_1'`);
    // Claimed and in its lease: not due; the lease over (the process died sending it): due again.
    await em().execute(
      `update webhook_delivery set claim_id = 'claim_probe', next_attempt_at = now() + interval '1 minute' where id = 'whd_probe_1'`,
    );
    expect(await hasDueWebhookDeliveries(test.db)).toBe(false);
    await em().execute(
      `update webhook_delivery set next_attempt_at = now() - interval '1 second' where id = 'whd_probe_1'`,
    );
    expect(await hasDueWebhookDeliveries(test.db)).toBe(true);
    // Succeeded: nothing due.
    await em().execute(`update webhook_delivery set status = 'succeeded', claim_id = null where id = 'whd_probe_1'`);
    expect(await hasDueWebhookDeliveries(test.db)).toBe(false);
  });
});
