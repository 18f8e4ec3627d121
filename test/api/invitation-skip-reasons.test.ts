import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const DAY = 86_400_000;

interface Listed {
  id: string;
  status: string;
  skipReason: string | null;
}

/**
 * Why an invitation did not go out is part of what staff read about it: the mail server refused
 * the message (`message_refused`), still failed after its last attempt (`delivery_failed`), or a
 * contact rule held it back. The survey's invitations and a case's contact history name the
 * reason as one of a typed list — one stored before the list existed reads as `other`.
 */
describeEachDialect('why an invitation was not sent, as staff read it', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('names the reason in the survey’s invitations and in a case’s contact history', async () => {
    const owner = await buildOrganisation(t, 'Garage Redenen');
    const org = owner.organisationId;
    const k = t.db.kysely;
    const survey = await buildSurvey(k, org, { name: 'Werkplaats 2026' });
    const contact = await buildContact(k, org, { name: 'Ingrid Jansen' });
    const now = t.clock.now;
    const refs = { organisationId: org, surveyId: survey.id, contactId: contact.id };
    const notSent = { sent_at: null, expires_at: now + 30 * DAY };
    const refused = await buildInvitation(k, refs, {
      ...notSent,
      planned_at: now - 4 * DAY,
      status: 'failed',
      skip_reason: 'message_refused',
    });
    const failed = await buildInvitation(k, refs, {
      ...notSent,
      planned_at: now - 3 * DAY,
      status: 'failed',
      skip_reason: 'delivery_failed',
    });
    const held = await buildInvitation(k, refs, {
      ...notSent,
      planned_at: now - 2 * DAY,
      status: 'skipped',
      skip_reason: 'too_recent',
    });
    const legacy = await buildInvitation(k, refs, {
      ...notSent,
      planned_at: now - 2 * DAY + 1,
      status: 'skipped',
    });
    await k
      .updateTable('invitations')
      .set({ skip_reason: 'some retired reason' })
      .where('id', '=', legacy.id)
      .execute();
    const answered = await buildInvitation(k, refs, {
      planned_at: now - DAY,
      expires_at: now + 30 * DAY,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/r/${answered.token}`,
      payload: { score: 2, comment: 'Auto was niet klaar.', mayContact: true },
    });
    expect(res.statusCode, res.body).toBe(200);

    const expected = {
      [refused.id]: ['failed', 'message_refused'],
      [failed.id]: ['failed', 'delivery_failed'],
      [held.id]: ['skipped', 'too_recent'],
      [legacy.id]: ['skipped', 'other'],
      [answered.id]: ['sent', null],
    };
    const listed = await owner.request({ url: `/api/v1/surveys/${survey.id}/invitations` });
    expect(listed.statusCode, listed.body).toBe(200);
    const items = listed.json<{ items: Listed[] }>().items;
    expect(Object.fromEntries(items.map((i) => [i.id, [i.status, i.skipReason]]))).toEqual(
      expected,
    );

    const caseRow = await k
      .selectFrom('cases')
      .select('id')
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    const detail = await owner.request({ url: `/api/v1/cases/${caseRow.id}` });
    expect(detail.statusCode, detail.body).toBe(200);
    const history = detail.json<{ history: { invitations: (Listed & { plannedAt: string })[] } }>()
      .history.invitations;
    expect(Object.fromEntries(history.map((i) => [i.id, [i.status, i.skipReason]]))).toEqual(
      expected,
    );
    // Not sent, so dated by when it was planned.
    expect(history.find((i) => i.id === refused.id)?.plannedAt).toBe(
      new Date(now - 4 * DAY).toISOString(),
    );
  });
});
