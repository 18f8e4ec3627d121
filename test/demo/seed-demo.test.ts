import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { seedDemo, type DemoSummary } from '../../src/modules/demo/seed-demo.ts';
import { loadConfig } from '../../src/config.ts';
import { mailStatus, resolveMailRoute } from '../../src/modules/mail-server/mail-server.service.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';

const DAY = 86_400_000;

describeEachDialect('the demo organisation', (dialect) => {
  let db: Db;
  let summary: DemoSummary;
  const now = Date.UTC(2026, 10, 22);
  beforeAll(async () => {
    db = await freshDatabase(dialect);
    summary = await seedDemo(db, { contacts: 400, now });
  });
  afterAll(async () => db.close());

  it('creates customers, two years of responses, bounces and unsubscribes', async () => {
    expect(summary.contacts).toBe(400);
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
    expect(await contacts()).toBe(400);
    await expect(seedDemo(db, { contacts: 10, now })).rejects.toMatchObject({ code: 'conflict' });
    expect(await contacts()).toBe(400);
  });
});
