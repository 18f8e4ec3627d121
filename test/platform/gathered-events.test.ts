import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { defineModule } from '../../src/platform/define-module.ts';
import {
  defineEvent,
  gatheredInTransaction,
  inTransaction,
} from '../../src/platform/events/define-event.ts';
import { emit } from '../../src/platform/events/emit.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const answered = defineEvent('test-gather.answered', z.object({ n: z.number() }));
const opened = defineEvent('test-gather.opened', z.object({ n: z.number() }));
const unrelated = defineEvent('test-gather.unrelated', z.object({ n: z.number() }));

/** Each call of the gathered probe: the events it got, as `name:n`. */
const calls: string[][] = [];
/** The in-transaction probe's own record, to show it ran before the gathered one. */
const order: string[] = [];
let failGathered = false;

/**
 * A cascade as the answer path makes one: `answered` is emitted, an in-transaction subscriber
 * emits `opened` for the odd ones (as the cases subscriber emits case events for detractors), and
 * a gathered subscriber to both (as the webhook fan-out) is called once for the whole cascade.
 */
const probeModule = defineModule({
  name: 'test-gather',
  subscribers: [
    inTransaction(answered, 'test-gather.opener', async (trx, events, { deps, now }) => {
      order.push('opener');
      await emit(
        trx,
        deps,
        opened,
        events
          .filter((e) => e.data.n % 2 === 1)
          .map((e) => ({ organisationId: e.organisationId, data: { n: e.data.n } })),
        now,
      );
    }),
    gatheredInTransaction([answered, opened], 'test-gather.gathered', async (trx, events) => {
      order.push('gathered');
      calls.push(
        events.map((e) => `${e.name.replace('test-gather.', '')}:${(e.data as { n: number }).n}`),
      );
      if (failGathered) throw new Error('the gathered subscriber fails');
      await trx
        .insertInto('audit_log')
        .values(
          events.map((e) => ({
            id: e.id,
            organisation_id: e.organisationId,
            actor_type: 'system' as const,
            actor_id: null,
            action: `gathered:${e.name}`,
            entity_type: 'test',
            entity_id: e.id,
            data: '{}',
            created_at: 0,
          })),
        )
        .execute();
    }),
  ],
});

describeEachDialect('a gathered subscriber', (dialect) => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, {}, { extraModules: [probeModule] });
    org = (await buildOrganisation(t)).organisationId;
  });
  afterAll(async () => t.close());
  beforeEach(() => {
    calls.length = 0;
    order.length = 0;
    failGathered = false;
  });

  const occurrences = (ns: number[]) => ns.map((n) => ({ organisationId: org, data: { n } }));
  const names = (events: string[]) => events.map((e) => e.replace(/:.*/, ''));

  it('gets a cascade once, after the in-transaction subscribers, the cause before what it caused', async () => {
    await t.db.kysely
      .transaction()
      .execute((trx) => emit(trx, t.deps, answered, occurrences([1, 2, 3]), t.clock.now));
    expect(order).toEqual(['opener', 'gathered']);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual(['answered:1', 'answered:2', 'answered:3', 'opened:1', 'opened:3']);
  });

  it('gets two emits that follow each other in one transaction as two cascades', async () => {
    await t.db.kysely.transaction().execute(async (trx) => {
      await emit(trx, t.deps, answered, occurrences([2]), t.clock.now);
      await emit(trx, t.deps, opened, occurrences([5]), t.clock.now);
    });
    expect(calls.map(names)).toEqual([['answered'], ['opened']]);
  });

  it('is not called for an event it does not gather, nor for an emit without occurrences', async () => {
    await t.db.kysely.transaction().execute(async (trx) => {
      await emit(trx, t.deps, unrelated, occurrences([1]), t.clock.now);
      await emit(trx, t.deps, answered, [], t.clock.now);
    });
    expect(calls).toEqual([]);
  });

  it('writes in the transaction of the cause: a throw rolls the whole cascade back', async () => {
    const written = async () =>
      (
        await t.db.kysely
          .selectFrom('audit_log')
          .select('action')
          .where('organisation_id', '=', org)
          .where('action', 'like', 'gathered:%')
          .execute()
      ).length;
    const before = await written();
    failGathered = true;
    await expect(
      t.db.kysely
        .transaction()
        .execute((trx) => emit(trx, t.deps, answered, occurrences([1]), t.clock.now)),
    ).rejects.toThrow('the gathered subscriber fails');
    expect(await written()).toBe(before);

    // The next cascade on a fresh transaction starts empty and is written.
    failGathered = false;
    await t.db.kysely
      .transaction()
      .execute((trx) => emit(trx, t.deps, answered, occurrences([3]), t.clock.now));
    expect(calls.map(names)).toEqual([
      ['answered', 'opened'],
      ['answered', 'opened'],
    ]);
    expect(await written()).toBe(before + 2);
  });
});
