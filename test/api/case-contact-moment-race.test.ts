import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnCase } from '../../src/modules/cases/cases.service.ts';
import { AppError } from '../../src/shared/errors.ts';
import { buildContact, buildInvitation, buildSurvey, ownerActor } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const DAY = 86_400_000;
const PG_URL = process.env.TEST_DATABASE_URL;
if (!PG_URL)
  console.warn('\n⚠ case contact-moment race test SKIPPED: it needs TEST_DATABASE_URL\n');

/**
 * A call logged on a case a colleague is closing at that moment: the call read the case as open,
 * the colleague's resolution commits first. The call must not reopen the case (it would count as
 * active again with its closing time set, and its follow-up would be skipped). PostgreSQL only:
 * SQLite runs one transaction at a time, so the call reads the resolved case and is refused.
 */
describe.skipIf(!PG_URL)('a call logged while a colleague closes the case [postgres]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('postgres');
    t.clock.now = Date.parse('2026-11-25T10:00+01:00');
  });
  afterAll(async () => t.close());

  it('leaves the case resolved and says it is closed', async () => {
    const org = (await buildOrganisation(t)).organisationId;
    const surveyId = (await buildSurvey(t.db.kysely, org)).id;
    const contact = await buildContact(t.db.kysely, org, { name: 'Ingrid' });
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: org, surveyId, contactId: contact.id },
      { planned_at: t.clock.now - DAY, expires_at: t.clock.now + 30 * DAY },
    );
    const answer = await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      payload: { score: 2 },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const { id } = await t.db.kysely
      .selectFrom('cases')
      .select('id')
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    const actor = ownerActor(org);
    const now = t.clock.now;
    let commit = () => {};
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let holding = () => {};
    const held = new Promise<void>((resolve) => (holding = resolve));
    // A colleague resolves the case; their transaction is not committed yet ...
    const resolving = t.db.kysely.transaction().execute(async (trx) => {
      await actOnCase(
        trx,
        t.deps,
        actor,
        id,
        { type: 'status', status: 'resolved', note: null },
        now,
      );
      holding();
      await committed;
    });
    try {
      await held;
      // ... while a call is logged on the case, read as open.
      const calling = t.db.kysely
        .transaction()
        .execute((trx) =>
          actOnCase(
            trx,
            t.deps,
            actor,
            id,
            { type: 'contact-moment', channel: 'phone', note: null },
            now + 1,
          ),
        )
        .then(
          () => null,
          (error: unknown) => error,
        );
      const deadline = Date.now() + 20_000;
      for (;;) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n
          from pg_stat_activity where datname = current_database()
            and wait_event_type = 'Lock' and query like 'update "cases" set%'`.execute(t.db.kysely);
        if ((rows[0]?.n ?? 0) > 0) break;
        if (Date.now() > deadline) throw new Error('the call never waited for the resolution');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      commit();
      await resolving;
      const refused = await calling;
      expect(refused).toBeInstanceOf(AppError);
    } finally {
      commit();
    }
    const row = await t.db.kysely
      .selectFrom('cases')
      .select(['status', 'closed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('resolved');
    expect(row.closed_at).not.toBeNull();
  });
});
