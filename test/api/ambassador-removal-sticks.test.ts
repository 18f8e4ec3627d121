import { afterAll, beforeAll, expect, it } from 'vitest';
import { setUpProgramme } from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_BODY = { 'content-type': 'application/json' };

/**
 * A customer answered 10 and ticked "ambassador"; later the business removed (or paused) them in
 * the register. Their answer keeps its opt-in, and within the edit window they click 9 in the
 * invitation mail again (the one-click score, posted as `{ score: 9 }`) or change their comment on
 * the form with the box still ticked. Neither is a new consent: only ticking the box — the answer's
 * opt-in going from not given to given — enrols, so staff's decision sticks.
 */
describeEachDialect('an ambassador staff removed stays removed', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  async function promoter(name: string, email: string) {
    const owner = await buildOrganisation(t, name);
    await setUpProgramme(owner);
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
    const token = invitation.token;
    const post = async (payload: string | { score: number }) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${token}`,
        headers: typeof payload === 'string' ? FORM : JSON_BODY,
        payload,
      });
      expect(res.statusCode, res.body).toBe(typeof payload === 'string' ? 303 : 200);
    };
    const ambassador = async () =>
      t.db.kysely
        .selectFrom('ambassadors')
        .select(['id', 'status'])
        .where('contact_id', '=', contact.id)
        .executeTakeFirstOrThrow();
    const optIn = async () =>
      (
        await t.db.kysely
          .selectFrom('responses')
          .select('ambassador_opt_in')
          .where('invitation_id', '=', invitation.id)
          .executeTakeFirstOrThrow()
      ).ambassador_opt_in;
    const setStatus = async (action: 'pause' | 'remove') => {
      const res = await owner.request({
        method: 'POST',
        url: `/api/v1/ambassadors/${(await ambassador()).id}/status`,
        payload: { action },
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    const thanksAsksToTick = async () =>
      (await t.app.inject({ url: `/r/${token}/thanks` })).body.includes('Vink het vakje aan');
    return { post, ambassador, optIn, setStatus, thanksAsksToTick };
  }

  it('is not made active again by a click on 9 or a changed comment', async () => {
    const anna = await promoter('Garage De Vries', 'anna@klant.nl');
    await anna.post('score=10&comment=Top&ambassadorOptIn=1');
    expect((await anna.ambassador()).status).toBe('active');
    await anna.setStatus('remove');

    // The one-click score in the invitation mail: the answer keeps its opt-in, nobody enrols.
    await anna.post({ score: 9 });
    await anna.post({ score: 10 });
    // The whole form again, the box still ticked, only the comment changed.
    await anna.post('score=10&comment=Nog+steeds+top&ambassadorOptIn=1');
    expect({ optIn: await anna.optIn(), status: (await anna.ambassador()).status }).toEqual({
      optIn: 1,
      status: 'removed',
    });
    // The thank-you page does not ask them to tick a box that is ticked already.
    expect(await anna.thanksAsksToTick()).toBe(false);

    // Unticking and ticking the box again is a new consent of their own: they join again.
    await anna.post('score=10&comment=Nog+steeds+top');
    expect((await anna.ambassador()).status).toBe('removed');
    expect(await anna.thanksAsksToTick()).toBe(true);
    await anna.post('score=10&comment=Nog+steeds+top&ambassadorOptIn=1');
    expect((await anna.ambassador()).status).toBe('active');
  });

  it('stays paused after a click on 10', async () => {
    const bob = await promoter('Garage Twee', 'bob@klant.nl');
    await bob.post('score=10&ambassadorOptIn=1');
    await bob.setStatus('pause');
    await bob.post({ score: 10 });
    expect((await bob.ambassador()).status).toBe('paused');
  });
});
