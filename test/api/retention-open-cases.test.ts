import { afterAll, beforeAll, expect, it } from 'vitest';
import { runRetention } from '../../src/modules/privacy/retention.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import * as f from '../support/factories.ts';
import * as h from '../support/harness.ts';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.UTC(2026, 0, 15, 10, 0);

/**
 * Retention and the closed loop: a complaint still being worked after the retention period (a
 * warranty claim that takes months) keeps its notes and the answer it is about; once closed, the
 * usual period applies to both. Nothing is kept for ever: a complaint nobody closes keeps them a
 * year past the period at most, and a thank-you task holds nothing back.
 */
describeEachDialect('retention and a case still open', (dialect) => {
  let t: h.TestApp;
  beforeAll(async () => {
    t = await h.startTestApp(dialect);
  });
  afterAll(async () => t.close());

  /** A garage keeping answers six months, and one answer given at START. */
  async function answered(name: string, payload: object) {
    t.clock.now = START;
    const owner = await h.buildOrganisation(t, name);
    const orgId = owner.organisationId;
    const patch = await owner.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: { settings: { retentionMonths: 6 } },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const survey = await f.buildSurvey(t.db.kysely, orgId);
    const contact = await f.buildContact(t.db.kysely, orgId, { name: 'Ingrid van der Vos' });
    const inv = await f.buildInvitation(
      t.db.kysely,
      { organisationId: orgId, surveyId: survey.id, contactId: contact.id },
      { planned_at: START - DAY, expires_at: START + 30 * DAY },
    );
    const answer = await t.app.inject({ method: 'POST', url: `/r/${inv.token}`, payload });
    expect(answer.statusCode, answer.body).toBe(200);
    const kase = await t.db.kysely
      .selectFrom('cases')
      .select(['id', 'kind', 'status'])
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    const anonymised = async () =>
      (
        await t.db.kysely
          .selectFrom('responses')
          .select(['contact_id', 'comment', 'anonymised_at'])
          .where('organisation_id', '=', orgId)
          .executeTakeFirstOrThrow()
      ).anonymised_at !== null;
    return { owner, orgId, kase, anonymised };
  }

  it('keeps the notes and the complaint until the case is closed', async () => {
    const a = await answered('Garage De Vries', { score: 2, comment: 'Remmen piepen nog steeds' });
    let owner = a.owner;
    const caseId = a.kase.id;
    const note = await owner.request({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/notes`,
      payload: { note: 'Garantieclaim bij de importeur loopt, klant wacht op onderdeel' },
    });
    expect(note.statusCode, note.body).toBe(200);
    const read = async () => {
      const res = await owner.request({ url: `/api/v1/cases/${caseId}` });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{
        status: string;
        comment: string | null;
        log: { type: string; note: string | null }[];
      }>();
      return {
        status: body.status,
        comment: body.comment,
        notes: body.log.filter((e) => e.type === 'note').map((e) => e.note),
      };
    };

    // Eight months later, the case still open: the nightly run keeps what the case needs.
    t.clock.now = START + 240 * DAY;
    await runRetention(t.deps, a.orgId);
    owner = await h.login(t, owner.email, h.TEST_PASSWORD);
    expect(await read()).toEqual({
      status: 'open',
      comment: 'Remmen piepen nog steeds',
      notes: ['Garantieclaim bij de importeur loopt, klant wacht op onderdeel'],
    });

    // Resolved; the next night's run anonymises the answer and clears the note.
    const done = await owner.request({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/status`,
      payload: { status: 'resolved' },
    });
    expect(done.statusCode, done.body).toBe(200);
    t.clock.now += DAY;
    await runRetention(t.deps, a.orgId);
    owner = await h.login(t, owner.email, h.TEST_PASSWORD);
    expect(await read()).toEqual({ status: 'resolved', comment: null, notes: [null] });
  });

  it('holds a complaint nobody closes a year past the period, not for ever', async () => {
    const a = await answered('Garage Vergeten', { score: 2, comment: 'Remmen piepen' });
    expect(a.kase).toMatchObject({ kind: 'recovery', status: 'open' });
    // Six months and eleven months past the period: still held; past a year: anonymised.
    t.clock.now = START + (182 + 330) * DAY;
    await runRetention(t.deps, a.orgId);
    expect(await a.anonymised()).toBe(false);
    t.clock.now = START + (184 + 366) * DAY;
    await runRetention(t.deps, a.orgId);
    expect(await a.anonymised()).toBe(true);
  });

  it('holds nothing back for a thank-you task', async () => {
    const a = await answered('Garage Bedankt', {
      score: 10,
      comment: 'Top, Ingrid van der Vos, Dorpsstraat 4',
      mayContact: true,
    });
    expect(a.kase).toMatchObject({ kind: 'thanks', status: 'open' });
    t.clock.now = START + 240 * DAY;
    await runRetention(t.deps, a.orgId);
    expect(await a.anonymised()).toBe(true);
  });
});
