import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * Only a promoter (9 or 10) is asked to become an ambassador. The response page hides the box
 * below 9, but a box ticked at 10 stays ticked (hidden) when the customer changes the score to 3
 * within the edit window, and the API takes the flag with any score: neither makes a detractor an
 * ambassador, and the edit down withdraws the opt-in the 10 gave.
 */
describeEachDialect('the ambassador opt-in of a customer who is no promoter', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  async function invited(organisationName: string, email: string) {
    const owner = await buildOrganisation(t, organisationName);
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const contact = await buildContact(t.db.kysely, owner.organisationId, {
      email,
      first_name: 'Anna',
    });
    const invitation = await buildInvitation(
      t.db.kysely,
      { organisationId: owner.organisationId, surveyId: survey.id, contactId: contact.id },
      { planned_at: t.clock.now },
    );
    const state = async () => ({
      answer: await t.db.kysely
        .selectFrom('responses')
        .select(['category', 'ambassador_opt_in'])
        .where('invitation_id', '=', invitation.id)
        .executeTakeFirstOrThrow(),
      ambassadors: (
        await t.db.kysely
          .selectFrom('ambassadors')
          .select('status')
          .where('contact_id', '=', contact.id)
          .execute()
      ).map((a) => a.status),
    });
    return { token: invitation.token, state };
  }

  it('withdraws the opt-in of a 10 changed to a 3 with the box still ticked', async () => {
    const { token, state } = await invited('Garage De Vries', 'anna@klant.nl');
    const first = await t.app.inject({
      method: 'POST',
      url: `/r/${token}`,
      headers: FORM,
      payload: 'score=10&ambassadorOptIn=1',
    });
    expect(first.statusCode).toBe(303);
    expect(await state()).toEqual({
      answer: { category: 'promoter', ambassador_opt_in: 1 },
      ambassadors: ['active'],
    });
    const form = await t.app.inject({ url: `/r/${token}` });
    expect(form.body).toMatch(/name="ambassadorOptIn" value="1" checked/);
    const edit = await t.app.inject({
      method: 'POST',
      url: `/r/${token}`,
      headers: FORM,
      payload: 'score=3&ambassadorOptIn=1',
    });
    expect(edit.statusCode).toBe(303);
    expect(await state()).toEqual({
      answer: { category: 'detractor', ambassador_opt_in: 0 },
      ambassadors: ['removed'],
    });
  });

  it('enrols nobody for a 2 posted with the opt-in', async () => {
    const { token, state } = await invited('Garage Twee', 'bob@klant.nl');
    const res = await t.app.inject({
      method: 'POST',
      url: `/r/${token}`,
      headers: { 'content-type': 'application/json' },
      payload: { score: 2, ambassadorOptIn: true },
    });
    expect(res.statusCode).toBe(200);
    expect(await state()).toEqual({
      answer: { category: 'detractor', ambassador_opt_in: 0 },
      ambassadors: [],
    });
  });
});
