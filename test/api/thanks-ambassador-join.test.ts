import { afterAll, beforeAll, expect, it } from 'vitest';
import { setUpProgramme } from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * The thank-you page of a promoter tells them how to become an ambassador: "Vink het vakje aan bij
 * uw antwoord", with a link back to the form — only where the form has that box.
 */
describeEachDialect(
  'the thank-you page asks a promoter to tick the ambassador box only where the form has it',
  (dialect) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(dialect);
    });
    afterAll(async () => t?.close());

    const thanksFor = async (
      owner: Awaited<ReturnType<typeof buildOrganisation>>,
      settings: Record<string, unknown>,
    ) => {
      const survey = await buildSurvey(t.db.kysely, owner.organisationId, { settings });
      const contact = await buildContact(t.db.kysely, owner.organisationId, { first_name: 'Anna' });
      const inv = await buildInvitation(
        t.db.kysely,
        { organisationId: owner.organisationId, surveyId: survey.id, contactId: contact.id },
        { planned_at: t.clock.now },
      );
      const answered = await t.app.inject({
        method: 'POST',
        url: `/r/${inv.token}`,
        headers: FORM,
        payload: 'score=10',
      });
      expect(answered.statusCode).toBe(303);
      const thanks = await t.app.inject({ url: `/r/${inv.token}/thanks` });
      const form = await t.app.inject({ url: `/r/${inv.token}` });
      return {
        thanksAsksToTick: thanks.body.includes('Vink het vakje aan'),
        formHasBox: form.body.includes('name="ambassadorOptIn"'),
      };
    };

    it('asks where the form has the box, and not where the survey leaves it out', async () => {
      const owner = await buildOrganisation(t, 'Garage De Vries');
      await setUpProgramme(owner);
      expect(await thanksFor(owner, {})).toEqual({ thanksAsksToTick: true, formHasBox: true });
      expect(await thanksFor(owner, { askAmbassadorOptIn: false })).toEqual({
        thanksAsksToTick: false,
        formHasBox: false,
      });
    });
  },
);
