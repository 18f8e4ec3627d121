import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * A customer gave a 10 and ticked "ambassador". Later they change the score to 3 on the page: the
 * page's script posts `{ score: 3 }` at once (score-only mode) and tells them "Uw score is
 * opgeslagen. De rest is niet verplicht", so they close the tab. The detractor must not stay an
 * ambassador (invitationResponseRow: "an edit down from 9 or 10 withdraws one given").
 */
describeEachDialect('a score-only edit down from 10 withdraws the ambassador opt-in', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('withdraws the opt-in when the one-click score drops to 3', async () => {
    const owner = await buildOrganisation(t, 'Garage De Vries');
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const contact = await buildContact(t.db.kysely, owner.organisationId, {
      email: 'anna@klant.nl',
      first_name: 'Anna',
    });
    const invitation = await buildInvitation(
      t.db.kysely,
      { organisationId: owner.organisationId, surveyId: survey.id, contactId: contact.id },
      { planned_at: t.clock.now },
    );
    const first = await t.app.inject({
      method: 'POST',
      url: `/r/${invitation.token}`,
      headers: FORM,
      payload: 'score=10&ambassadorOptIn=1',
    });
    expect(first.statusCode).toBe(303);
    // The page's autosave (or a second click on "3" in the email) sends the score alone.
    const edit = await t.app.inject({
      method: 'POST',
      url: `/r/${invitation.token}`,
      headers: { 'content-type': 'application/json' },
      payload: { score: 3 },
    });
    expect(edit.statusCode).toBe(200);
    const answer = await t.db.kysely
      .selectFrom('responses')
      .select(['category', 'ambassador_opt_in'])
      .where('invitation_id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    const ambassadors = await t.db.kysely
      .selectFrom('ambassadors')
      .select('status')
      .where('contact_id', '=', contact.id)
      .execute();
    expect({ answer, ambassadors: ambassadors.map((a) => a.status) }).toEqual({
      answer: { category: 'detractor', ambassador_opt_in: 0 },
      ambassadors: ['removed'],
    });
    // Back up to 10 by the score alone: consent is never given back without the box ticked.
    const up = await t.app.inject({
      method: 'POST',
      url: `/r/${invitation.token}`,
      headers: { 'content-type': 'application/json' },
      payload: { score: 10 },
    });
    expect(up.statusCode).toBe(200);
    const after = await t.db.kysely
      .selectFrom('responses')
      .select(['category', 'ambassador_opt_in'])
      .where('invitation_id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ category: 'promoter', ambassador_opt_in: 0 });
  });
});
