import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  friendFormKey,
  issueFriendFormToken,
} from '../../src/modules/ambassadors/friend-form-token.ts';
import { enrolPromoter } from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const KARIN = 'name=Karin+Bakker&email=karin%40example.nl&consent=1';
const AGAIN_NL = 'Controleer uw gegevens en verstuur het formulier nog een keer.';

/** The hidden timing token of a friend page. */
const tokenOf = (page: string): string => {
  const token = /<input type="hidden" name="formToken" value="([^"]+)">/.exec(page)?.[1];
  if (!token) throw new Error('the page carries no form token');
  return token;
};

/**
 * Issue 12, must-show 5: the friend form keeps software out without a third-party CAPTCHA, on
 * both databases. The page carries a token signed (HMAC under SECRET_KEY) for its link with the
 * moment it was served; a submit faster than the configured minimum (5 s here) or more than a day
 * later, or with a token that is missing, changed or another link's, brings the form back with
 * what was typed and one sentence to send it again — nothing stored. Software that fills the
 * hidden field is thanked like a person and nothing is stored.
 */
describeEachDialect('the friend form against bots', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let link: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      PUBLIC_URL: 'https://nps.garage.test',
      SECRET_KEY: 'b'.repeat(64),
      FRIEND_FORM_MIN_SECONDS: '5',
    });
    owner = await buildOrganisation(t);
    const put = await owner.request({
      method: 'PUT',
      url: '/api/v1/referral-programme',
      payload: { enabled: true, settings: {} },
    });
    expect(put.statusCode, put.body).toBe(200);
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    ({ link } = await enrolPromoter(
      t,
      { organisationId: owner.organisationId, surveyId: survey.id },
      { email: 'jan@devries.nl' },
    ));
  });
  afterAll(async () => t.close());

  const leads = async () =>
    (
      await t.db.kysely
        .selectFrom('referrals')
        .select(['id', 'friend_name'])
        .where('organisation_id', '=', owner.organisationId)
        .execute()
    ).length;
  const open = async (query = '') => tokenOf((await t.app.inject({ url: `${link}${query}` })).body);
  const send = (body: string, token: string | null, query = '') =>
    t.app.inject({
      method: 'POST',
      url: `${link}${query}`,
      headers: FORM,
      payload: token === null ? body : `${body}&formToken=${encodeURIComponent(token)}`,
    });

  it('takes the form from a person who took longer than the minimum', async () => {
    const before = await leads();
    const token = await open();
    t.clock.now += 6_000;
    const res = await send('name=Mila+Jansen&email=mila%40example.nl&consent=1', token);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toMatch(/\/thanks\?lang=nl$/);
    expect(await leads()).toBe(before + 1);
  });

  it('asks again, keeping what was typed, when sent faster than the minimum; then takes it', async () => {
    const before = await leads();
    const token = await open();
    t.clock.now += 3_000;
    const res = await send('name=Zo%C3%AB+de+Wit&email=zoe%40example.nl&consent=1', token);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(`<p class="error" role="alert">${AGAIN_NL}`);
    expect(res.body).toContain('value="Zoë de Wit"');
    expect(res.body).toContain('value="zoe@example.nl"');
    expect(res.body).not.toContain('Niet alles is goed ingevuld');
    expect(await leads()).toBe(before);
    // The page came back with a fresh token: she reads the sentence and sends again.
    const fresh = tokenOf(res.body);
    expect(fresh).not.toBe(token);
    t.clock.now += 6_000;
    const again = await send('name=Zo%C3%AB+de+Wit&email=zoe%40example.nl&consent=1', fresh);
    expect(again.statusCode, again.body).toBe(303);
    expect(await leads()).toBe(before + 1);
  });

  it('refuses a form opened more than a day ago, a changed token, another link’s, or none', async () => {
    const before = await leads();
    const key = friendFormKey(t.deps.config.secretKey);
    const scope = { organisationId: owner.organisationId, linkToken: link.split('/')[2] ?? '' };
    const good = issueFriendFormToken(key, scope, t.clock.now - 10_000);
    const refused: Record<string, string | null> = {
      'a day old': issueFriendFormToken(key, scope, t.clock.now - 24 * 3_600_000 - 1_000),
      'a changed moment': good.replace(
        /^v1\.[0-9a-z]+\./,
        `v1.${(t.clock.now - 60_000).toString(36)}.`,
      ),
      'a changed signature': good.replace(
        /.(.{10})$/,
        (_, rest: string) => `${good.at(-11) === 'A' ? 'B' : 'A'}${rest}`,
      ),
      // The last character's two low bits carry nothing: flipping one spells the same bytes.
      'the same bytes spelt otherwise': good.replace(
        /.$/,
        (c) => B64URL[B64URL.indexOf(c) ^ 1] ?? c,
      ),
      'another link’s': issueFriendFormToken(
        key,
        { ...scope, linkToken: 'x'.repeat(22) },
        t.clock.now - 10_000,
      ),
      'another organisation’s': issueFriendFormToken(
        key,
        { ...scope, organisationId: '00000000-0000-4000-8000-000000000000' },
        t.clock.now - 10_000,
      ),
      'another key’s': issueFriendFormToken(Buffer.alloc(32, 7), scope, t.clock.now - 10_000),
      none: null,
      empty: '',
      'not a token': 'v1.zz.<script>',
    };
    for (const [what, token] of Object.entries(refused)) {
      const res = await send(KARIN, token);
      expect(res.statusCode, what).toBe(400);
      expect(res.body, what).toContain(AGAIN_NL);
      expect(res.body, what).toContain('value="Karin Bakker"');
    }
    expect(await leads()).toBe(before);
    // The same form with the good token is taken: what was refused was the token alone.
    expect((await send(KARIN, good)).statusCode).toBe(303);
    expect(await leads()).toBe(before + 1);
  });

  it('thanks software that fills the hidden field like a person, and stores nothing', async () => {
    const before = await leads();
    const token = await open();
    t.clock.now += 6_000;
    for (const tok of [token, null]) {
      const res = await send(`${KARIN}&website=https%3A%2F%2Fspam.example`, tok);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toMatch(/\/thanks\?lang=nl$/);
    }
    const thanks = await t.app.inject({ url: `${link}/thanks?lang=nl` });
    expect(thanks.body).toContain('Dank u wel!');
    expect(await leads()).toBe(before);
  });

  it('asks again in English on the English page', async () => {
    const token = await open('?lang=en');
    const res = await send(KARIN, token, '?lang=en');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Check your details and send the form once more.');
  });
});
