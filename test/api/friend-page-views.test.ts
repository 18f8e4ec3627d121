import { afterAll, beforeAll, expect, it } from 'vitest';
import { enrolPromoter, setUpProgramme } from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** What the apps a link is shared in send when they fetch it for a preview card. */
const PREVIEWS = [
  'WhatsApp/2.24.12.78 A',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'TelegramBot (like TwitterBot)',
  'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0',
  'Twitterbot/1.0',
];

/**
 * The friend-page visits on the programme's dashboard and an ambassador's card count people who
 * open the link, not the software that looks at it: a link pasted in WhatsApp or Slack is fetched
 * for its preview before anyone taps it, a browser may fetch a page ahead in case it is opened,
 * and HEAD requests fetch no page.
 */
describeEachDialect('visits to the friend’s page', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let surveyId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
    orgId = owner.organisationId;
    surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    await setUpProgramme(owner);
  });
  afterAll(async () => t.close());

  const views = async (ambassadorId: string) => {
    const res = await owner.request({ url: `/api/v1/ambassadors/${ambassadorId}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ register: { friendPageViews: number } }>().register.friendPageViews;
  };
  const open = (link: string, headers: Record<string, string>, method: 'GET' | 'HEAD' = 'GET') =>
    t.app.inject({ method, url: link, headers });

  it('counts a person opening the link, and not its previews or HEAD requests', async () => {
    const amb = await enrolPromoter(
      t,
      { organisationId: orgId, surveyId },
      { email: 'a@views.nl' },
    );
    for (const agent of PREVIEWS) {
      const preview = await open(amb.link, { 'user-agent': agent });
      // The preview still gets the page (its card shows the offer), it is just no visit.
      expect(preview.statusCode, agent).toBe(200);
      expect(preview.body).toContain('raadt');
    }
    const head = await open(amb.link, { 'user-agent': PHONE }, 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(await views(amb.ambassadorId)).toBe(0);

    await open(amb.link, { 'user-agent': PHONE });
    await open(amb.link, { 'user-agent': PHONE });
    expect(await views(amb.ambassadorId)).toBe(2);
    // The dashboard reads the same count.
    const dashboard = await owner.request({ url: '/api/v1/referral-programme/dashboard' });
    expect(dashboard.statusCode, dashboard.body).toBe(200);
    const row = dashboard
      .json<{ perAmbassador: { ambassadorId: string; shareVisits: number }[] }>()
      .perAmbassador.find((a) => a.ambassadorId === amb.ambassadorId);
    expect(row?.shareVisits).toBe(2);
  });

  it('does not count a browser fetching the page ahead (a prefetch or prerender)', async () => {
    const amb = await enrolPromoter(
      t,
      { organisationId: orgId, surveyId },
      { email: 'c@views.nl' },
    );
    const marks: Record<string, string>[] = [
      { 'sec-purpose': 'prefetch' },
      { 'sec-purpose': 'prefetch;prerender' },
      { purpose: 'prefetch' },
      { 'x-purpose': 'preview' },
      { 'x-moz': 'prefetch' },
    ];
    for (const mark of marks) {
      const ahead = await open(amb.link, { 'user-agent': PHONE, ...mark });
      // The browser still gets the page (to show it at once when it is opened).
      expect(ahead.statusCode, JSON.stringify(mark)).toBe(200);
      expect(ahead.body).toContain('raadt');
    }
    expect(await views(amb.ambassadorId)).toBe(0);
    await open(amb.link, { 'user-agent': PHONE });
    expect(await views(amb.ambassadorId)).toBe(1);
  });

  it('adds up on the dashboard: its totals count the ambassadors its rows show, paused ones too', async () => {
    const other = await buildOrganisation(t, 'Garage Optelling');
    await setUpProgramme(other);
    const ref = {
      organisationId: other.organisationId,
      surveyId: (await buildSurvey(t.db.kysely, other.organisationId)).id,
    };
    const active = await enrolPromoter(t, ref, { email: 'actief@optelling.nl' });
    const paused = await enrolPromoter(t, ref, { email: 'pauze@optelling.nl' });
    const removed = await enrolPromoter(t, ref, { email: 'weg@optelling.nl' });
    for (const amb of [active, active, paused, removed]) {
      await open(amb.link, { 'user-agent': PHONE });
    }
    const status = async (id: string, action: string) => {
      const res = await other.request({
        method: 'POST',
        url: `/api/v1/ambassadors/${id}/status`,
        payload: { action },
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
    };
    await status(paused.ambassadorId, 'pause');
    await status(removed.ambassadorId, 'remove');
    const res = await other.request({ url: '/api/v1/referral-programme/dashboard' });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<{
      ambassadors: number;
      shareVisits: number;
      perAmbassador: { ambassadorId: string; shareVisits: number }[];
    }>();
    const rows = d.perAmbassador.map((a) => [a.ambassadorId, a.shareVisits]);
    expect(rows.sort()).toEqual(
      [
        [active.ambassadorId, 2],
        [paused.ambassadorId, 1],
      ].sort(),
    );
    // A paused ambassador is still in the programme (and in the pool): counted, as in the rows.
    expect(d.ambassadors).toBe(2);
    expect(d.shareVisits).toBe(3);
  });

  it('does not count a request that names no browser at all', async () => {
    const amb = await enrolPromoter(
      t,
      { organisationId: orgId, surveyId },
      { email: 'b@views.nl' },
    );
    for (const agent of [undefined, '', '   ']) {
      const bare = await t.app.inject({ url: amb.link, headers: { 'user-agent': agent } });
      expect(bare.statusCode).toBe(200);
    }
    expect(await views(amb.ambassadorId)).toBe(0);
  });
});
