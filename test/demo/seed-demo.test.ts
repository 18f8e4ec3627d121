import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { seedDemo, type DemoSummary } from '../../src/modules/demo/seed-demo.ts';
import { loadConfig } from '../../src/config.ts';
import { mailStatus, resolveMailRoute } from '../../src/modules/mail-server/mail-server.service.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { platform } from '../../src/server/start.ts';
import { loyaltyReport } from '../../src/modules/loyalty/loyalty.service.ts';
import { recordScope } from '../../src/modules/auth/record-scope.ts';
import { rebuildRollups } from '../../src/modules/analytics/rollups.service.ts';

const DAY = 86_400_000;

describeEachDialect('the demo organisation', (dialect) => {
  let db: Db;
  let summary: DemoSummary;
  const now = Date.UTC(2026, 10, 22);
  beforeAll(async () => {
    db = await freshDatabase(dialect);
    summary = await seedDemo({ db, config: loadConfig({}), platform }, { contacts: 1000, now });
  });
  afterAll(async () => db.close());

  it('creates customers, two years of responses, bounces and unsubscribes', async () => {
    expect(summary.contacts).toBe(1000);
    expect(summary.responses).toBeGreaterThan(100);
    expect(summary.bounced + summary.unsubscribed).toBeGreaterThan(0);
    const span = await db.kysely
      .selectFrom('responses')
      .select((eb) => [eb.fn.min('answered_at').as('first'), eb.fn.max('answered_at').as('last')])
      .executeTakeFirstOrThrow();
    expect(Number(span.last) - Number(span.first)).toBeGreaterThan(600 * DAY);
    expect(Number(span.last)).toBeLessThanOrEqual(now);
  });

  it('respects the contact rules it preaches: nobody asked twice within 180 days', async () => {
    const rows = await db.kysely
      .selectFrom('invitations')
      .select(['contact_id', 'sent_at'])
      .orderBy('contact_id')
      .orderBy('sent_at')
      .execute();
    let pairs = 0;
    for (let i = 1; i < rows.length; i++) {
      const [prev, cur] = [rows[i - 1], rows[i]];
      if (prev && cur && prev.contact_id === cur.contact_id) {
        pairs++;
        expect(Number(cur.sent_at) - Number(prev.sent_at)).toBeGreaterThanOrEqual(180 * DAY);
      }
    }
    // Two years of history asks many customers more than once: the rule was checked, not skipped.
    expect(pairs).toBeGreaterThan(10);
  });

  it('stores comments in Dutch and English and keeps categories consistent with scores', async () => {
    const bad = await db.kysely
      .selectFrom('responses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(
        sql<boolean>`(score >= 9 and category <> 'promoter') or (score <= 6 and category <> 'detractor') or (score in (7, 8) and category <> 'passive')`,
      )
      .executeTakeFirstOrThrow();
    expect(Number(bad.n)).toBe(0);
    const en = await db.kysely
      .selectFrom('responses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('locale', '=', 'en')
      .where('comment', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(Number(en.n)).toBeGreaterThan(0);
  });

  it('is marked as a simulation and never sends real mail, even with an installation server', async () => {
    const config = loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' });
    expect(await mailStatus(db.kysely, config, summary.organisationId)).toMatchObject({
      source: 'demo',
      delivers: false,
    });
    expect(await resolveMailRoute(db.kysely, config, summary.organisationId)).toEqual({
      kind: 'outbox',
    });
    // Its simulated history wrote no email: the outbox banner explains why it is empty.
    const emails = await db.kysely.selectFrom('emails').select('id').execute();
    expect(emails).toEqual([]);
    // Nor will it on the first start: its simulated history's case alerts and follow-ups are done.
    const queued = await db.kysely
      .selectFrom('jobs')
      .select('type')
      .where('organisation_id', '=', summary.organisationId)
      .where('status', '=', 'queued')
      .execute();
    expect(queued).toEqual([]);
  });

  it('opens cases for the recent detractors as the application does, and works them: closed, contacted, open, overdue', async () => {
    const cases = await db.kysely
      .selectFrom('cases as c')
      .innerJoin('responses as r', 'r.id', 'c.response_id')
      .select([
        'c.id',
        'c.kind',
        'c.status',
        'c.opened_at',
        'c.due_at',
        'c.opened_category',
        'r.answered_at',
        'r.may_contact',
      ])
      .execute();
    // Only the last weeks' answers opened cases, each at the moment of its answer.
    for (const c of cases) {
      expect(Number(c.answered_at)).toBeGreaterThanOrEqual(now - 7 * 7 * DAY);
      expect(Number(c.opened_at)).toBe(Number(c.answered_at));
      expect(c.kind).toBe('recovery');
      // A detractor, or a passive who asked to be contacted (the default rules).
      if (c.opened_category !== 'detractor') expect(Number(c.may_contact)).toBe(1);
    }
    // Every recent detractor is in a case: opened by it, or joined to their open one.
    const recentDetractors = await db.kysely
      .selectFrom('responses as r')
      .leftJoin('case_responses as cr', 'cr.response_id', 'r.id')
      .select(['r.id', 'cr.case_id'])
      .where('r.category', '=', 'detractor')
      .where('r.answered_at', '>=', now - 7 * 7 * DAY)
      .execute();
    expect(recentDetractors.length).toBeGreaterThan(3);
    expect(recentDetractors.filter((r) => r.case_id === null)).toEqual([]);
    const status = (s: string) => cases.filter((c) => c.status === s).length;
    expect(status('resolved')).toBeGreaterThan(0);
    expect(status('contacted')).toBeGreaterThan(0);
    expect(status('open')).toBeGreaterThan(0);
    const overdue = cases.filter((c) => c.status === 'open' && Number(c.due_at) <= now);
    expect(overdue.length).toBeGreaterThanOrEqual(1);
    // Closed cases carry the note staff wrote when closing them, through the cases module's log.
    const closed = cases.filter((c) => c.status === 'resolved' || c.status === 'unresolvable');
    const notes = await db.kysely
      .selectFrom('case_events')
      .select(['case_id', 'body'])
      .where('type', '=', 'status')
      .where(
        'case_id',
        'in',
        closed.map((c) => c.id),
      )
      .execute();
    expect(new Set(notes.filter((n) => n.body).map((n) => n.case_id)).size).toBe(closed.length);
    // Older answers opened nothing: no case among the answers before the last seven weeks.
    expect(cases.length).toBeLessThan(summary.responses / 4);
  });

  it('enrols opted-in promoters as ambassadors through the survey consent, and nobody else', async () => {
    const ambassadors = await db.kysely
      .selectFrom('ambassadors as a')
      .innerJoin('responses as r', 'r.id', 'a.response_id')
      .select([
        'a.contact_id',
        'a.status',
        'a.consent_source',
        'a.consent_text',
        'a.consent_at',
        'r.contact_id as responder',
        'r.category',
        'r.ambassador_opt_in',
        'r.answered_at',
      ])
      .execute();
    expect(ambassadors.length).toBeGreaterThan(5);
    for (const a of ambassadors) {
      expect(a).toMatchObject({ status: 'active', consent_source: 'survey', category: 'promoter' });
      expect(Number(a.ambassador_opt_in)).toBe(1);
      expect(a.responder).toBe(a.contact_id);
      expect(a.consent_text.length).toBeGreaterThan(10);
      expect(Number(a.consent_at)).toBe(Number(a.answered_at));
    }
    const optedIn = await db.kysely
      .selectFrom('responses')
      .select('contact_id')
      .distinct()
      .where('ambassador_opt_in', '=', 1)
      .execute();
    expect(ambassadors.length).toBe(optedIn.length);
  });

  it('records workshop visits through the visits module, so the loyalty report has returners', async () => {
    const report = await loyaltyReport(
      db.kysely,
      summary.organisationId,
      recordScope({ kind: 'system' }),
      now,
      365,
    );
    const of = (category: string) => report.categories.find((c) => c.category === category);
    const returned = report.categories.reduce((sum, c) => sum + c.returned, 0);
    const customers = report.categories.reduce((sum, c) => sum + c.customers, 0);
    expect(returned).toBeGreaterThan(0);
    expect(returned).toBeLessThan(customers);
    // Promoters come back more often than detractors: the story the report is there to test.
    const share = (category: string) =>
      (of(category)?.returned ?? 0) / (of(category)?.customers ?? 1);
    expect(share('promoter')).toBeGreaterThan(share('detractor'));
    const visits = await db.kysely
      .selectFrom('visits')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('visited_at').as('last')])
      .where('source', '=', 'import')
      .executeTakeFirstOrThrow();
    expect(Number(visits.n)).toBeGreaterThan(summary.responses);
    expect(Number(visits.last)).toBeLessThan(now);
  });

  it('counts every answer once in the NPS rollups, whether it went through the event or not', async () => {
    const rollups = async () =>
      (
        await Promise.all(
          (
            ['rollup_nps_daily', 'rollup_nps_employee_daily', 'rollup_nps_employee_weekly'] as const
          ).map((table) => db.kysely.selectFrom(table).selectAll().execute()),
        )
      ).map((rows) => rows.map((r) => JSON.stringify(r)).sort());
    const seeded = await rollups();
    expect(seeded[0]?.length).toBeGreaterThan(100);
    await rebuildRollups(db, summary.organisationId);
    expect(await rollups()).toEqual(seeded);
  });

  it('refuses to build the demo twice', async () => {
    const contacts = async () =>
      Number(
        (
          await db.kysely
            .selectFrom('contacts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await contacts()).toBe(1000);
    await expect(
      seedDemo({ db, config: loadConfig({}), platform }, { contacts: 10, now }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await contacts()).toBe(1000);
  });
});
