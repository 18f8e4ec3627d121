import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { enrolPromoter, setUpProgramme } from '../support/ambassadors.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, type TestApp } from '../support/harness.ts';
import { DESKTOP, PHONE, horizontalOverflow } from './first-day.helpers.ts';

/**
 * The friend's form in a real browser when it is sent too fast (issue 12, must-show 5), on both
 * databases, on a phone and a laptop: the form comes back with what was typed and one sentence to
 * send it again, nothing is stored, and the page still fits; sent again a few seconds later (the
 * controllable clock moves instead of the test sleeping), the friend is thanked and the lead is in.
 */
describeInBrowserOnce('the friend form sent too fast, in the browser', (dialect) => {
  let db: Db;
  let browser: Browser;
  let base: string;
  let t: TestApp;
  let link: string;
  let organisationId: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const clock = { now: Date.now() };
    const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off' });
    const deps: Deps = { db, config, now: () => clock.now, platform };
    const app = await buildApp(deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    t = { app, db, deps, clock, close: async () => {} };
    const owner = await buildOrganisation(t, 'Garage De Vries');
    organisationId = owner.organisationId;
    await setUpProgramme(owner);
    const survey = await buildSurvey(db.kysely, organisationId);
    link = (await enrolPromoter(t, { organisationId, surveyId: survey.id })).link;
    browser = await launchBrowser();
    close = async () => {
      await browser.close();
      await app.close();
      await db.close();
    };
  });
  afterAll(async () => close());

  const leads = async () =>
    (
      await db.kysely
        .selectFrom('referrals')
        .select('id')
        .where('organisation_id', '=', organisationId)
        .execute()
    ).length;

  for (const [size, viewport] of [
    ['390', PHONE],
    ['1280', DESKTOP],
  ] as const) {
    it(`asks a friend who was too fast to send again, then takes the form (${size} px)`, async () => {
      const before = await leads();
      const context = await browser.newContext({ viewport, locale: 'nl-NL' });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      await page.goto(`${base}${link}`);
      await page.getByLabel('Naam').fill('Karin Bakker');
      await page.getByLabel('E-mailadres').fill(`karin${size}@example.nl`);
      await page
        .getByLabel('Garage De Vries mag contact met mij opnemen over deze aanbeveling.')
        .check();
      // The clock has not moved: to the server this form took no time at all.
      await page.getByRole('button', { name: 'Versturen' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe(
        'Controleer uw gegevens en verstuur het formulier nog een keer. Zo houden we automatische spam tegen.',
      );
      expect(await page.getByLabel('Naam').inputValue()).toBe('Karin Bakker');
      expect(await page.getByLabel('E-mailadres').inputValue()).toBe(`karin${size}@example.nl`);
      expect((await horizontalOverflow(page)).px).toBe(0);
      await screenshot(page, `friend-form-again-${dialect}-${size}`);
      expect(await leads()).toBe(before);

      t.clock.now += 3_000;
      await page.getByRole('button', { name: 'Versturen' }).click();
      await page.getByRole('heading', { name: 'Dank u wel!' }).waitFor();
      expect(await leads()).toBe(before + 1);
      await context.close();
    }, 120_000);
  }
});
