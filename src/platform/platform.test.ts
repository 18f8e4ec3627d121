import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { modules } from '../modules/index.ts';
import { defineModule } from './define-module.ts';
import {
  afterCommit,
  defineEvent,
  gatheredInTransaction,
  inTransaction,
  subscriberJobType,
} from './events/define-event.ts';
import { defineJob, handleJob } from './jobs/define-job.ts';
import { dueMoment } from './jobs/schedules.ts';
import { buildPlatform } from './platform.ts';
import { collectSlot, contribute, defineSlot } from './slots.ts';
import type { Deps } from './contract.ts';

const noop = { export: async () => null, erase: async () => {} };
const somethingHappened = defineEvent('test.happened', z.object({ n: z.number() }));

describe('the platform built from the module list', () => {
  it('has every personal-data holder of the landed modules, import errors before the contact', () => {
    const names = buildPlatform(modules).personalData.map((h) => h.name);
    expect(names).toEqual(
      expect.arrayContaining(['contact', 'consentEvents', 'responses', 'emails', 'importErrors']),
    );
    expect(names.indexOf('importErrors')).toBeLessThan(names.indexOf('contact'));
  });

  it('orders holders by `order`, then by module-list order', () => {
    const platform = buildPlatform([
      defineModule({ name: 'a', personalData: [{ name: 'late', order: 50, ...noop }] }),
      defineModule({
        name: 'b',
        personalData: [
          { name: 'plain-1', ...noop },
          { name: 'early', order: -50, ...noop },
        ],
      }),
      defineModule({ name: 'c', personalData: [{ name: 'plain-2', ...noop }] }),
    ]);
    expect(platform.personalData.map((h) => h.name)).toEqual([
      'early',
      'plain-1',
      'plain-2',
      'late',
    ]);
  });

  it('finds the subscribers of an event, and runs each after-commit one as a job type', () => {
    const platform = buildPlatform([
      defineModule({
        name: 'listener',
        subscribers: [
          inTransaction(somethingHappened, 'listener.now', async () => {}),
          afterCommit(somethingHappened, 'listener.later', {
            run: async () => ({ status: 'success' }),
          }),
        ],
      }),
    ]);
    expect(platform.subscribersOf('test.happened').map((s) => s.name)).toEqual([
      'listener.now',
      'listener.later',
    ]);
    expect(platform.subscribersOf('test.other')).toEqual([]);
    expect(platform.jobHandler(subscriberJobType('listener.later'))).toBeDefined();
    expect(platform.jobHandler(subscriberJobType('listener.now'))).toBeUndefined();
  });

  it('finds a gathered subscriber under each of its events, and makes it no job type', () => {
    const other = defineEvent('test.other', z.object({}));
    const platform = buildPlatform([
      defineModule({
        name: 'listener',
        subscribers: [
          inTransaction(somethingHappened, 'listener.now', async () => {}),
          gatheredInTransaction([somethingHappened, other], 'listener.gathered', async () => {}),
        ],
      }),
    ]);
    expect(platform.subscribersOf('test.happened').map((s) => s.name)).toEqual([
      'listener.now',
      'listener.gathered',
    ]);
    expect(platform.subscribersOf('test.other').map((s) => s.name)).toEqual(['listener.gathered']);
    expect(platform.jobHandler(subscriberJobType('listener.gathered'))).toBeUndefined();
  });

  it('refuses two modules declaring the same job, subscriber, command or module name', () => {
    const job = defineJob({ type: 'test.same', payload: z.object({}) });
    const handler = handleJob(job, { run: async () => ({ status: 'success' }) });
    expect(() =>
      buildPlatform([
        defineModule({ name: 'one', jobs: [handler] }),
        defineModule({ name: 'two', jobs: [handler] }),
      ]),
    ).toThrow('Two modules declare the job "test.same"');
    expect(() =>
      buildPlatform([defineModule({ name: 'twin' }), defineModule({ name: 'twin' })]),
    ).toThrow('Two modules declare the module "twin"');
    expect(() => buildPlatform(modules)).not.toThrow();
  });

  it('collects the contributions to a slot in module-list order, without the empty ones', async () => {
    const slot = defineSlot<{ n: number }, string>('test.slot');
    const other = defineSlot<{ n: number }, string>('test.other');
    const platform = buildPlatform([
      defineModule({
        name: 'first',
        contributions: [contribute(slot, 'first.double', async ({ n }) => `double ${n * 2}`)],
      }),
      defineModule({
        name: 'second',
        contributions: [
          contribute(slot, 'second.odd', async ({ n }) => (n % 2 === 1 ? 'odd' : null)),
          contribute(other, 'second.other', async () => 'elsewhere'),
        ],
      }),
    ]);
    const deps = { platform } as Deps;
    expect(await collectSlot(deps, slot, { n: 3 })).toEqual([
      { name: 'first.double', value: 'double 6' },
      { name: 'second.odd', value: 'odd' },
    ]);
    expect((await collectSlot(deps, slot, { n: 2 })).map((a) => a.value)).toEqual(['double 4']);
    expect(platform.contributionsTo('test.nobody')).toEqual([]);
    expect(() =>
      buildPlatform([
        defineModule({ name: 'a', contributions: [contribute(slot, 'same', async () => null)] }),
        defineModule({ name: 'b', contributions: [contribute(other, 'same', async () => null)] }),
      ]),
    ).toThrow('Two modules declare the slot contribution "same"');
  });
});

describe('daily schedules', () => {
  // 29 November 2026 is in winter time: Amsterdam is UTC+1.
  it('is due from the local time of day in Amsterdam, keyed by the local date', () => {
    expect(dueMoment('03:00', Date.UTC(2026, 10, 29, 1, 59))).toBeNull();
    expect(dueMoment('03:00', Date.UTC(2026, 10, 29, 2, 0))).toBe('2026-11-29');
    expect(dueMoment('03:00', Date.UTC(2026, 10, 29, 22, 59))).toBe('2026-11-29');
    // 23:30 UTC is already 00:30 on the 30th in Amsterdam.
    expect(dueMoment('00:15', Date.UTC(2026, 10, 29, 23, 30))).toBe('2026-11-30');
  });

  it('follows summer time (UTC+2)', () => {
    expect(dueMoment('03:00', Date.UTC(2026, 6, 1, 0, 59))).toBeNull();
    expect(dueMoment('03:00', Date.UTC(2026, 6, 1, 1, 0))).toBe('2026-07-01');
  });

  it('is due from its local weekday when it names one (Monday = 1), keyed by that day', () => {
    // Monday 30 November 2026, 07:00 in Amsterdam is 06:00 UTC.
    expect(dueMoment('07:00', Date.UTC(2026, 10, 30, 5, 59), 1)).toBeNull();
    expect(dueMoment('07:00', Date.UTC(2026, 10, 30, 6, 0), 1)).toBe('2026-11-30');
    expect(dueMoment('07:00', Date.UTC(2026, 10, 30, 6, 0), 2)).toBeNull();
    expect(dueMoment('07:00', Date.UTC(2026, 11, 1, 6, 0), 2)).toBe('2026-12-01');
    expect(dueMoment('07:00', Date.UTC(2026, 11, 6, 6, 0), 7)).toBe('2026-12-06');
    expect(dueMoment('07:00', Date.UTC(2026, 11, 5, 6, 0), 7)).toBeNull();
    // No worker ran on Monday: on Tuesday, and until Sunday night, Monday's run is still due —
    // under Monday's key, so a run that did happen on Monday is not repeated.
    expect(dueMoment('07:00', Date.UTC(2026, 11, 1, 1, 0), 1)).toBe('2026-11-30');
    expect(dueMoment('07:00', Date.UTC(2026, 11, 6, 22, 59), 1)).toBe('2026-11-30');
    // From Monday 00:00 the new week's run waits for its own time.
    expect(dueMoment('07:00', Date.UTC(2026, 11, 6, 23, 0), 1)).toBeNull();
    // Across a month and a year end.
    expect(dueMoment('07:00', Date.UTC(2027, 0, 2, 12, 0), 1)).toBe('2026-12-28');
    // 23:30 UTC on Sunday is already Monday in Amsterdam.
    expect(dueMoment('00:15', Date.UTC(2026, 10, 29, 23, 30), 1)).toBe('2026-11-30');
  });
});
