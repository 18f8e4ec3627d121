import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvitationTable } from '../../src/db/schema.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildEmployee, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const DAY = 24 * 60 * 60 * 1000;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describeEachDialect('the response page of a personal link', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let surveyId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage De Vries');
    orgId = owner.organisationId;
    surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
  });
  afterAll(async () => t.close());

  /** A fresh contact with a live invitation; every test gets its own link. */
  async function invitation(
    overrides: Partial<InvitationTable> = {},
    contact: Parameters<typeof buildContact>[2] = {},
  ) {
    const c = await buildContact(t.db.kysely, orgId, contact);
    return buildInvitation(
      t.db.kysely,
      { organisationId: orgId, surveyId, contactId: c.id },
      { planned_at: t.clock.now - DAY, expires_at: t.clock.now + 30 * DAY, ...overrides },
    );
  }

  const responsesOf = (invitationId: string) =>
    t.db.kysely
      .selectFrom('responses')
      .select([
        'id',
        'score',
        'category',
        'comment',
        'may_contact',
        'ambassador_opt_in',
        'employee_score',
        'owner_employee_id',
        'account_id',
        'segment',
        'answered_at',
        'updated_at',
        'closes_at',
      ])
      .where('organisation_id', '=', orgId)
      .where('invitation_id', '=', invitationId)
      .execute();
  const invitationRow = (id: string) =>
    t.db.kysely
      .selectFrom('invitations')
      .select(['clicked_at', 'responded_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const postJson = (token: string, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/r/${token}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const postForm = (token: string, body: string) =>
    t.app.inject({ method: 'POST', url: `/r/${token}`, headers: FORM, payload: body });

  it('records nothing when a mail scanner opens all eleven score links, but counts the click', async () => {
    const inv = await invitation();
    for (let score = 0; score <= 10; score++) {
      const res = await t.app.inject({ url: `/r/${inv.token}?score=${score}` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`id="score-${score}" value="${score}" required checked>`);
      expect(res.body).toContain(`data-autosave="${score}"`);
    }
    expect(await responsesOf(inv.id)).toEqual([]);
    const row = await invitationRow(inv.id);
    expect(row.clicked_at).toBe(t.clock.now);
    expect(row.responded_at).toBeNull();
  });

  it('asks the follow-up that fits the clicked score, in the contact’s language', async () => {
    const nl = await invitation();
    const promoter = await t.app.inject({ url: `/r/${nl.token}?score=9` });
    expect(promoter.body).toContain('lang="nl"');
    expect(promoter.body).toContain(
      'Wat is de belangrijkste reden dat u Garage De Vries aanbeveelt?',
    );
    const detractor = await t.app.inject({ url: `/r/${nl.token}?score=3` });
    expect(detractor.body).toContain(
      'Wat moet Garage De Vries veranderen zodat u een hoger cijfer geeft?',
    );
    const en = await invitation({}, { language: 'en' });
    const english = await t.app.inject({ url: `/r/${en.token}?score=8` });
    expect(english.body).toContain('lang="en"');
    expect(english.body).toContain(
      'How likely is it that you would recommend Garage De Vries to friends, family or colleagues?',
    );
  });

  it('stores the one-click score posted by the page script, with the category and responded_at', async () => {
    const inv = await invitation();
    const res = await postJson(inv.token, { score: 9 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'saved', category: 'promoter' });
    const [row] = await responsesOf(inv.id);
    expect(row).toMatchObject({ score: 9, category: 'promoter', comment: null, may_contact: 0 });
    expect(row?.closes_at).toBe(t.clock.now + 7 * DAY);
    expect((await invitationRow(inv.id)).responded_at).toBe(t.clock.now);
  });

  it('stores the submitted form without JavaScript and thanks the respondent by category', async () => {
    const inv = await invitation();
    const res = await postForm(
      inv.token,
      'score=10&comment=Altijd+snel+geholpen%2C+top%21&mayContact=1&ambassadorOptIn=1',
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/r/${inv.token}/thanks`);
    const [row] = await responsesOf(inv.id);
    expect(row).toMatchObject({
      score: 10,
      category: 'promoter',
      comment: 'Altijd snel geholpen, top!',
      may_contact: 1,
      ambassador_opt_in: 1,
    });
    const thanks = await t.app.inject({ url: `/r/${inv.token}/thanks` });
    expect(thanks.statusCode).toBe(200);
    expect(thanks.body).toContain('Fijn dat u Garage De Vries zou aanbevelen.');
    expect(thanks.body).toContain(`href="/r/${inv.token}"`);
  });

  // Able to fail on both databases: without the upsert's ON CONFLICT on the unique invitation_id,
  // the concurrent POSTs answer 409 and 500 on SQLite and PostgreSQL alike (seen in a scratch run).
  it('records one answer for a double-clicked submit (concurrent POSTs)', async () => {
    const inv = await invitation();
    const results = await Promise.all([
      postJson(inv.token, { score: 6 }),
      postForm(inv.token, 'score=6&comment=Wachttijd+te+lang'),
      postForm(inv.token, 'score=6&comment=Wachttijd+te+lang'),
      postJson(inv.token, { score: 6 }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 303, 303]);
    const rows = await responsesOf(inv.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      score: 6,
      category: 'detractor',
      comment: 'Wachttijd te lang',
    });
    // And twenty more in a burst, as from a jittery double tap on a slow phone.
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postJson(inv.token, { score: i % 11 })),
    );
    expect(burst.every((r) => r.statusCode === 200)).toBe(true);
    expect(await responsesOf(inv.id)).toHaveLength(1);
  });

  it('lets the respondent change the answer within 7 days, then closes the link', async () => {
    const inv = await invitation();
    const first = t.clock.now;
    await postForm(inv.token, 'score=5&comment=Matig');
    t.clock.now = first + 6 * DAY;
    const reopened = await t.app.inject({ url: `/r/${inv.token}` });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.body).toContain('id="score-5" value="5" required checked>');
    expect(reopened.body).toContain('>Matig</textarea>');
    expect(reopened.body).toContain('U hebt al geantwoord');
    expect((await postForm(inv.token, 'score=8&comment=Toch+prima')).statusCode).toBe(303);
    const [changed] = await responsesOf(inv.id);
    expect(changed).toMatchObject({ score: 8, category: 'passive', comment: 'Toch prima' });
    expect(changed?.answered_at).toBe(first);
    expect(changed?.updated_at).toBe(first + 6 * DAY);

    t.clock.now = first + 7 * DAY;
    const closed = await t.app.inject({ url: `/r/${inv.token}?score=0` });
    expect(closed.statusCode).toBe(410);
    expect(closed.body).toContain('Uw antwoord is vastgelegd');
    expect(closed.body).not.toContain('<form');
    expect((await postJson(inv.token, { score: 0 })).statusCode).toBe(410);
    const late = await postForm(inv.token, 'score=0');
    expect(late.statusCode).toBe(410);
    const [unchanged] = await responsesOf(inv.id);
    expect(unchanged).toMatchObject({ score: 8, comment: 'Toch prima' });
    t.clock.now = first;
  });

  it('shows a friendly page for an expired link and stores nothing', async () => {
    const inv = await invitation({ expires_at: t.clock.now - 1 });
    const page = await t.app.inject({ url: `/r/${inv.token}?score=7` });
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('Deze link is verlopen');
    expect((await postJson(inv.token, { score: 7 })).statusCode).toBe(410);
    expect((await postForm(inv.token, 'score=7')).statusCode).toBe(410);
    expect(await responsesOf(inv.id)).toEqual([]);
    expect((await invitationRow(inv.id)).clicked_at).toBeNull();
  });

  it('shows the same page for an unknown, a forged and another organisation’s token', async () => {
    const other = await buildOrganisation(t, 'Installatiebedrijf Geheim');
    const otherSurvey = await buildSurvey(t.db.kysely, other.organisationId);
    const otherContact = await buildContact(t.db.kysely, other.organisationId);
    const foreign = await buildInvitation(
      t.db.kysely,
      {
        organisationId: other.organisationId,
        surveyId: otherSurvey.id,
        contactId: otherContact.id,
      },
      { expires_at: t.clock.now + DAY },
    );
    // Another organisation's link works for its own contact; the unknown page says nothing about it.
    expect((await t.app.inject({ url: `/r/${foreign.token}` })).body).toContain(
      'Installatiebedrijf Geheim',
    );
    const unknown = await t.app.inject({
      url: '/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA?score=9',
    });
    const forged = await t.app.inject({ url: '/r/%3Cscript%3E?score=9' });
    const cancelled = await invitation({ status: 'cancelled' });
    const cancelledPage = await t.app.inject({ url: `/r/${cancelled.token}?score=9` });
    for (const res of [unknown, forged, cancelledPage]) {
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Deze link werkt niet');
      expect(res.body).not.toContain('Garage De Vries');
      expect(res.body).not.toContain('Installatiebedrijf');
    }
    expect(unknown.body.replace(/nonce="[^"]+"/g, '')).toBe(
      cancelledPage.body.replace(/nonce="[^"]+"/g, ''),
    );
    const english = await t.app.inject({
      url: '/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(english.body).toContain('This link does not work');
    expect(
      (await postJson('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { score: 9 })).statusCode,
    ).toBe(404);
  });

  it('closes links of a survey that is not active', async () => {
    const draft = await buildSurvey(t.db.kysely, orgId, { status: 'archived' });
    const c = await buildContact(t.db.kysely, orgId);
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: orgId, surveyId: draft.id, contactId: c.id },
      { expires_at: t.clock.now + DAY },
    );
    const res = await t.app.inject({ url: `/r/${inv.token}?score=9` });
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('Deze vragenlijst is gesloten');
    expect((await postJson(inv.token, { score: 9 })).statusCode).toBe(410);
    expect(await responsesOf(inv.id)).toEqual([]);
  });

  describe('refuses bad input with a clear 4xx and stores nothing', () => {
    it.each([
      [{ score: 11 }],
      [{ score: 7.5 }],
      [{ score: '9' }],
      [{ score: -1 }],
      [{}],
      [{ score: 9, extra: 1 }],
      [{ score: null }],
    ])('JSON %j', async (payload) => {
      const inv = await invitation();
      const res = await postJson(inv.token, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
      expect(await responsesOf(inv.id)).toEqual([]);
    });

    it.each([
      'score=11',
      'score=7.5',
      'score=-1',
      'score=+9',
      'score=09',
      '',
      'comment=zonder+cijfer',
      'score=9&score=10',
      'score=9&employeeScore=12',
    ])('form %j', async (body) => {
      const inv = await invitation();
      const res = await postForm(inv.token, body);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('<form');
      expect(res.body).toContain('class="error"');
      expect(await responsesOf(inv.id)).toEqual([]);
    });

    it('a comment over 5,000 characters, keeping the text so it can be shortened', async () => {
      const inv = await invitation();
      const long = 'a'.repeat(5001);
      const res = await postForm(inv.token, `score=4&comment=${long}`);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('maximaal 5000 tekens');
      expect(res.body).toContain(`>${long}</textarea>`);
      expect((await postJson(inv.token, { score: 4, comment: long })).statusCode).toBe(400);
      expect(await responsesOf(inv.id)).toEqual([]);
      const ok = await postJson(inv.token, { score: 4, comment: 'b'.repeat(5000) });
      expect(ok.statusCode).toBe(200);
    });

    it('a body of 1 MB, as a friendly page or a JSON error', async () => {
      const inv = await invitation();
      const huge = 'x'.repeat(1024 * 1024);
      const form = await postForm(inv.token, `score=4&comment=${huge}`);
      expect(form.statusCode).toBe(413);
      expect(form.headers['content-type']).toContain('text/html');
      expect(form.body).toContain('Uw antwoord is te lang');
      const json = await postJson(inv.token, { score: 4, comment: huge });
      expect(json.statusCode).toBe(413);
      expect(json.json<{ error: { code: string } }>().error.code).toBe('payload_too_large');
      expect(await responsesOf(inv.id)).toEqual([]);
    });

    it('malformed JSON and an unsupported content type', async () => {
      const inv = await invitation();
      const bad = await t.app.inject({
        method: 'POST',
        url: `/r/${inv.token}`,
        headers: { 'content-type': 'application/json' },
        payload: '{"score": 9',
      });
      expect(bad.statusCode).toBe(400);
      const text = await t.app.inject({
        method: 'POST',
        url: `/r/${inv.token}`,
        headers: { 'content-type': 'text/plain' },
        payload: 'score=9',
      });
      // Fastify reads text/plain as a string: not a form, so the form comes back with its errors.
      expect(text.statusCode).toBe(400);
      expect(text.body).toContain('<html');
      expect(await responsesOf(inv.id)).toEqual([]);
    });
  });

  it('keeps the account manager, account and segment of the moment of answering', async () => {
    const sanne = await buildEmployee(t.db.kysely, orgId, { name: 'Sanne de Boer' });
    const piet = await buildEmployee(t.db.kysely, orgId, { name: 'Piet Bakker' });
    const inv = await invitation({}, { owner_employee_id: sanne.id, segment: 'APK' });
    await postJson(inv.token, { score: 9 });
    await t.db.kysely
      .updateTable('contacts')
      .set({ owner_employee_id: piet.id, segment: 'Onderhoud' })
      .where('id', '=', inv.contact_id)
      .execute();
    // A later change of the same answer does not move it to the new owner either.
    await postForm(inv.token, 'score=10');
    const [row] = await responsesOf(inv.id);
    expect(row).toMatchObject({ score: 10, owner_employee_id: sanne.id, segment: 'APK' });
  });

  it('asks about the account manager by name when the survey asks the employee question', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId, { settings: { askEmployee: true } });
    const sanne = await buildEmployee(t.db.kysely, orgId, { name: 'Sanne de Boer' });
    const c = await buildContact(t.db.kysely, orgId, { owner_employee_id: sanne.id });
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: orgId, surveyId: survey.id, contactId: c.id },
      { expires_at: t.clock.now + DAY },
    );
    const page = await t.app.inject({ url: `/r/${inv.token}?score=8` });
    expect(page.body).toContain('Hoe tevreden bent u over Sanne de Boer?');
    await postForm(inv.token, 'score=8&employeeScore=9');
    expect((await responsesOf(inv.id))[0]?.employee_score).toBe(9);
    // Without an owner there is nobody to ask about.
    const noOwner = await invitation();
    expect((await t.app.inject({ url: `/r/${noOwner.token}` })).body).not.toContain(
      'Hoe tevreden bent u over',
    );
  });

  it('serves a light, self-contained page with strict security headers', async () => {
    const inv = await invitation();
    const res = await t.app.inject({ url: `/r/${inv.token}?score=9` });
    expect(Buffer.byteLength(res.body)).toBeLessThan(50 * 1024);
    // Nothing from another host: no http(s) URLs, web fonts, external scripts or stylesheets.
    expect(res.body).not.toMatch(/https?:\/\//);
    expect(res.body).not.toMatch(/@import|@font-face|<link\b|<script[^>]+src=/);
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.body).toContain(`<script nonce="${nonce}">`);
    expect(res.body).toContain(`<style nonce="${nonce}">`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toContain('no-store');
    // Accessible structure: a labelled 0–10 radio group inside a fieldset with a legend.
    expect(res.body).toMatch(/<fieldset[^>]*><legend>Hoe waarschijnlijk/);
    expect(res.body.match(/<label for="score-\d+">/g)).toHaveLength(11);
    expect(res.body).toContain('<label for="comment"');
  });

  it('exports the comments of a contact and erases them, keeping the score', async () => {
    const inv = await invitation({}, { name: 'Wies Wissen' });
    await postForm(inv.token, 'score=3&comment=Mijn+kenteken+is+AB-12-CD&mayContact=1');
    const exported = await owner.request({ url: `/api/v1/contacts/${inv.contact_id}/export` });
    expect(exported.json<{ responses: { comment: string; score: number }[] }>().responses).toEqual([
      expect.objectContaining({ score: 3, comment: 'Mijn kenteken is AB-12-CD', mayContact: true }),
    ]);
    const erased = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${inv.contact_id}/erase`,
    });
    expect(erased.statusCode).toBe(204);
    const [row] = await responsesOf(inv.id);
    expect(row).toMatchObject({ score: 3, category: 'detractor', comment: null, may_contact: 0 });
    // The erased contact's link no longer opens.
    expect((await t.app.inject({ url: `/r/${inv.token}` })).statusCode).toBe(404);
  });
});
