import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceKey } from '../../src/modules/responses/answer-ids.ts';
import { uuidv7Time } from '../../src/shared/ids.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const DAY = 24 * 60 * 60 * 1000;

/** The page shows this score as the browser's current answer. */
const shows = (page: string, score: number): boolean =>
  new RegExp(`name="score" id="score-${score}" value="${score}" required checked`).test(page);

/**
 * A garage with two branches has one survey and a QR poster per branch (`?v=<location>`). A
 * customer scans the poster in Leeuwarden and gives a 9; three days later (inside the 7-day edit
 * window) they are helped badly in Sneek and scan Sneek's poster with the same phone. Sneek's page
 * is a fresh form and the 3 is Sneek's answer; Leeuwarden keeps its 9. Leeuwarden's poster still
 * shows and changes Leeuwarden's answer, also one stored before answers were kept per location.
 */
describeEachDialect('anonymous answers: one per phone and branch poster', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  let phones = 0;
  async function garage(name: string) {
    const owner = await buildOrganisation(t, name);
    const location = async (n: string) =>
      (
        await owner.request({ method: 'POST', url: '/api/v1/locations', payload: { name: n } })
      ).json<{
        id: string;
      }>().id;
    const leeuwarden = await location('Leeuwarden');
    const sneek = await location('Sneek');
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const token = survey.anonymous_token;
    let cookie = '';
    // Each garage's customer has a phone of their own (the form is rate-limited per address).
    const remoteAddress = `192.0.2.${++phones}`;
    const visit = async (url: string, payload?: string) => {
      const res = await t.app.inject({
        method: payload === undefined ? 'GET' : 'POST',
        url,
        headers: { ...(payload !== undefined ? FORM : {}), ...(cookie ? { cookie } : {}) },
        ...(payload !== undefined ? { payload } : {}),
        remoteAddress,
      });
      const set = res.cookies.find((c) => c.name === 'loyaal_device');
      if (set) cookie = `loyaal_device=${set.value}`;
      return res;
    };
    const poster = (v: string) => ({
      open: () => visit(`/s/${token}?v=${v}`),
      answer: async (score: number) =>
        (await visit(`/s/${token}?lang=nl&v=${v}`, `score=${score}`)).statusCode,
    });
    const answers = async () => {
      const rows = await t.db.kysely
        .selectFrom('responses')
        .select(['location_id', 'score'])
        .where('survey_id', '=', survey.id)
        .execute();
      const named = (id: string | null) =>
        id === leeuwarden ? 'Leeuwarden' : id === sneek ? 'Sneek' : id;
      return rows.map((a) => `${named(a.location_id) ?? 'no branch'}: ${a.score}`).sort();
    };
    return {
      surveyId: survey.id,
      leeuwarden: poster(leeuwarden),
      sneek: poster(sneek),
      plain: {
        open: () => visit(`/s/${token}`),
        answer: async (score: number) =>
          (await visit(`/s/${token}?lang=nl`, `score=${score}`)).statusCode,
      },
      answers,
      deviceId: () => cookie.replace(/^loyaal_device=/, ''),
    };
  }

  it('keeps each branch its own answer', async () => {
    const g = await garage('Garage Twee Vestigingen');
    await g.leeuwarden.open();
    expect(await g.leeuwarden.answer(9)).toBe(303);
    t.clock.now += 3 * DAY;
    const sneekPage = await g.sneek.open();
    expect(sneekPage.statusCode).toBe(200);
    expect(shows(sneekPage.body, 9)).toBe(false);
    expect(await g.sneek.answer(3)).toBe(303);
    expect(await g.answers()).toEqual(['Leeuwarden: 9', 'Sneek: 3']);
  });

  it("still changes the branch's own answer on its poster within the edit window", async () => {
    const g = await garage('Garage Wijzigen');
    await g.leeuwarden.open();
    expect(await g.leeuwarden.answer(9)).toBe(303);
    await g.sneek.open();
    expect(await g.sneek.answer(3)).toBe(303);
    t.clock.now += DAY;
    expect(shows((await g.leeuwarden.open()).body, 9)).toBe(true);
    expect(await g.leeuwarden.answer(7)).toBe(303);
    expect(shows((await g.sneek.open()).body, 3)).toBe(true);
    expect(await g.answers()).toEqual(['Leeuwarden: 7', 'Sneek: 3']);
  });

  it('keeps a poster answer stored before answers were kept per location', async () => {
    const g = await garage('Garage Van Voorheen');
    await g.leeuwarden.open();
    expect(await g.leeuwarden.answer(9)).toBe(303);
    // As it was stored before: under the key of the survey and browser alone.
    await t.db.kysely
      .updateTable('responses')
      .set({ device_key: deviceKey(g.surveyId, g.deviceId()) })
      .where('survey_id', '=', g.surveyId)
      .execute();
    t.clock.now += DAY;
    expect(shows((await g.leeuwarden.open()).body, 9)).toBe(true);
    expect(await g.leeuwarden.answer(8)).toBe(303);
    const sneekPage = await g.sneek.open();
    expect(shows(sneekPage.body, 8)).toBe(false);
    expect(await g.sneek.answer(4)).toBe(303);
    expect(await g.answers()).toEqual(['Leeuwarden: 8', 'Sneek: 4']);
  });

  it("keeps changing one branch's open answer after another branch's answer closed", async () => {
    const g = await garage('Garage Gesloten Vestiging');
    const start = t.clock.now;
    try {
      await g.leeuwarden.open();
      expect(await g.leeuwarden.answer(9)).toBe(303);
      const device = g.deviceId();
      t.clock.now = start + 5 * DAY;
      await g.sneek.open();
      expect(await g.sneek.answer(3)).toBe(303);
      // Leeuwarden's answer closed after 7 days; Sneek's stays open until day 12.
      t.clock.now = start + 8 * DAY;
      const leeuwardenPage = await g.leeuwarden.open();
      expect(shows(leeuwardenPage.body, 9)).toBe(false);
      expect(await g.leeuwarden.answer(6)).toBe(303);
      expect(shows((await g.sneek.open()).body, 3)).toBe(true);
      expect(await g.sneek.answer(4)).toBe(303);
      // Leeuwarden's second answer is a new one, itself changed on its poster while it is open.
      expect(shows((await g.leeuwarden.open()).body, 6)).toBe(true);
      expect(await g.leeuwarden.answer(7)).toBe(303);
      expect(await g.answers()).toEqual(['Leeuwarden: 7', 'Leeuwarden: 9', 'Sneek: 4']);
      // The browser kept its device id all along.
      expect(g.deviceId()).toBe(device);
      // The new answer's id is placed at the moment the one before it closed, not months back.
      const second = await t.db.kysely
        .selectFrom('responses')
        .select('id')
        .where('survey_id', '=', g.surveyId)
        .where('score', '=', 7)
        .executeTakeFirstOrThrow();
      expect(uuidv7Time(second.id)).toBe(start + 7 * DAY);
    } finally {
      t.clock.now = start;
    }
  });

  it("keeps changing a branch's open answer after the plain link's answer closed", async () => {
    const g = await garage('Garage Gewone Link');
    const start = t.clock.now;
    try {
      await g.plain.open();
      expect(await g.plain.answer(8)).toBe(303);
      t.clock.now = start + 5 * DAY;
      await g.sneek.open();
      expect(await g.sneek.answer(2)).toBe(303);
      t.clock.now = start + 8 * DAY;
      expect(shows((await g.plain.open()).body, 8)).toBe(false);
      expect(await g.plain.answer(10)).toBe(303);
      expect(shows((await g.sneek.open()).body, 2)).toBe(true);
      expect(await g.sneek.answer(5)).toBe(303);
      expect(await g.answers()).toEqual(['Sneek: 5', 'no branch: 10', 'no branch: 8']);
    } finally {
      t.clock.now = start;
    }
  });

  it('gives a branch a new answer once its answer stored before closed', async () => {
    const g = await garage('Garage Oud En Gesloten');
    const start = t.clock.now;
    try {
      await g.leeuwarden.open();
      expect(await g.leeuwarden.answer(9)).toBe(303);
      // As it was stored before: under the key of the survey and browser alone.
      await t.db.kysely
        .updateTable('responses')
        .set({ device_key: deviceKey(g.surveyId, g.deviceId()) })
        .where('survey_id', '=', g.surveyId)
        .execute();
      t.clock.now = start + 5 * DAY;
      await g.sneek.open();
      expect(await g.sneek.answer(3)).toBe(303);
      t.clock.now = start + 8 * DAY;
      expect(shows((await g.leeuwarden.open()).body, 9)).toBe(false);
      expect(await g.leeuwarden.answer(6)).toBe(303);
      expect(shows((await g.leeuwarden.open()).body, 6)).toBe(true);
      expect(await g.leeuwarden.answer(7)).toBe(303);
      expect(shows((await g.sneek.open()).body, 3)).toBe(true);
      expect(await g.sneek.answer(4)).toBe(303);
      expect(await g.answers()).toEqual(['Leeuwarden: 7', 'Leeuwarden: 9', 'Sneek: 4']);
    } finally {
      t.clock.now = start;
    }
  });

  it('gives a branch a new answer after retention anonymised the one before', async () => {
    const g = await garage('Garage Lang Geleden');
    const start = t.clock.now;
    try {
      await g.leeuwarden.open();
      expect(await g.leeuwarden.answer(9)).toBe(303);
      const device = g.deviceId();
      t.clock.now = start + 200 * DAY;
      await g.sneek.open();
      expect(await g.sneek.answer(3)).toBe(303);
      // The nightly run anonymised Leeuwarden's answer: its device key is gone, its id stays.
      await t.db.kysely
        .updateTable('responses')
        .set({ device_key: null, anonymised_at: t.clock.now })
        .where('survey_id', '=', g.surveyId)
        .where('score', '=', 9)
        .execute();
      expect(await g.leeuwarden.answer(6)).toBe(303);
      expect(await g.sneek.answer(4)).toBe(303);
      expect(await g.answers()).toEqual(['Leeuwarden: 6', 'Leeuwarden: 9', 'Sneek: 4']);
      expect(g.deviceId()).toBe(device);
    } finally {
      t.clock.now = start;
    }
  });

  it('gives a regular customer a new answer each visit, the last one still to change', async () => {
    const g = await garage('Garage Vaste Klant');
    const start = t.clock.now;
    try {
      for (const [visit, score] of [6, 7, 8, 9, 10, 5].entries()) {
        t.clock.now = start + visit * 8 * DAY;
        expect(shows((await g.leeuwarden.open()).body, score - 1)).toBe(false);
        expect(await g.leeuwarden.answer(score)).toBe(303);
      }
      expect(shows((await g.leeuwarden.open()).body, 5)).toBe(true);
      expect(await g.leeuwarden.answer(4)).toBe(303);
      expect(await g.answers()).toEqual([
        'Leeuwarden: 10',
        'Leeuwarden: 4',
        'Leeuwarden: 6',
        'Leeuwarden: 7',
        'Leeuwarden: 8',
        'Leeuwarden: 9',
      ]);
    } finally {
      t.clock.now = start;
    }
  });
});
