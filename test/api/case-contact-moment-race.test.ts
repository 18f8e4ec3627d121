import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnCase } from '../../src/modules/cases/cases.service.ts';

type CaseAction = Parameters<typeof actOnCase>[4];
import { AppError } from '../../src/shared/errors.ts';
import { buildContact, buildInvitation, buildSurvey, ownerActor } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';
import { heldOpen, untilWaitingOnLock } from '../support/lock-waits.ts';

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

  /** A detractor's case, opened by their answer of 2. */
  async function openCase(): Promise<{ org: string; id: string }> {
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
    return { org, id };
  }

  /**
   * Runs `first` on the case in a transaction held open, then `second` beside it until it waits
   * for the case's row, then commits the first; returns what the second threw, or null.
   */
  async function race(org: string, id: string, first: CaseAction, second: CaseAction) {
    const actor = ownerActor(org);
    const held = await heldOpen(t.db.kysely, (trx) =>
      actOnCase(trx, t.deps, actor, id, first, t.clock.now),
    );
    try {
      const secondDone = t.db.kysely
        .transaction()
        .execute((trx) => actOnCase(trx, t.deps, actor, id, second, t.clock.now + 1))
        .then(
          () => null,
          (error: unknown) => error,
        );
      await untilWaitingOnLock(t.db.kysely, 'update "cases" set%', 'the second action');
      held.commit();
      await held.done;
      return await secondDone;
    } finally {
      held.commit();
    }
  }
  const statusOf = async (id: string) =>
    t.db.kysely
      .selectFrom('cases')
      .select(['status', 'closed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const call: CaseAction = { type: 'contact-moment', channel: 'phone', note: null };

  it('leaves the case resolved and says it is closed', async () => {
    const { org, id } = await openCase();
    const refused = await race(org, id, { type: 'status', status: 'resolved', note: null }, call);
    expect(refused).toBeInstanceOf(AppError);
    const row = await statusOf(id);
    expect(row.status).toBe('resolved');
    expect(row.closed_at).not.toBeNull();
  });

  it('logs a colleague’s call made at the same moment as well', async () => {
    const { org, id } = await openCase();
    expect(await race(org, id, call, call)).toBeNull();
    expect((await statusOf(id)).status).toBe('contacted');
    const moments = await t.db.kysely
      .selectFrom('case_events')
      .select('type')
      .where('case_id', '=', id)
      .where('type', '=', 'contact-moment')
      .execute();
    expect(moments).toHaveLength(2);
  });
});
