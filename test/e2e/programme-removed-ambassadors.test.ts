import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAdminApp, type AdminApp } from '../support/admin-app.ts';
import {
  enrolPromoter,
  openProgrammeDashboard,
  referFriend,
  setUpProgramme,
} from '../support/ambassadors.ts';
import { screenshot } from '../support/browser.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, type Client } from '../support/harness.ts';
import { DESKTOP, PHONE, expectFits } from './first-day.helpers.ts';

const MOBILE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/**
 * The programme in figures adds up on screen, at a laptop's width and a phone's: the sign-ups of
 * an ambassador removed since stay in the tile and sit on a row "Verwijderde ambassadeurs" of
 * their own, and the friend page's sign-up rate is shown with the span it covers.
 */
describeInBrowserOnce('admin app in Chromium: the programme’s figures add up', (dialect) => {
  let admin: AdminApp;
  let owner: Client;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage Som');
    await setUpProgramme(owner);
    const { organisationId } = owner;
    const ref = {
      organisationId,
      surveyId: (await buildSurvey(admin.db.kysely, organisationId)).id,
    };
    const jan = await enrolPromoter(admin, ref, {
      name: 'Jan de Vries',
      email: `jan-${dialect}@som.nl`,
    });
    const els = await enrolPromoter(admin, ref, {
      name: 'Els Jansen',
      email: `els-${dialect}@som.nl`,
    });
    for (let i = 0; i < 4; i++) {
      await admin.app.inject({ url: jan.link, headers: { 'user-agent': MOBILE_UA } });
    }
    await referFriend(admin, jan, { name: 'Karin', email: `karin-${dialect}@example.nl` });
    await referFriend(admin, els, { name: 'Ruud', email: `ruud-${dialect}@example.nl` });
    await referFriend(admin, els, { name: 'Mies', email: `mies-${dialect}@example.nl` });
    const removed = await owner.request({
      method: 'POST',
      url: `/api/v1/ambassadors/${els.ambassadorId}/status`,
      payload: { action: 'remove' },
    });
    expect(removed.statusCode, removed.body).toBe(200);
  }, 120_000);
  afterAll(async () => admin.close());

  it('carries a removed ambassador’s sign-ups on a row of their own, on a phone too', async () => {
    const page = await openProgrammeDashboard(admin, owner);
    const tiles = (await page.getByTestId('programme-tiles').textContent()) ?? '';
    expect(tiles).toContain('Aanmeldingen3');
    // 1 sign-up through Jan's page per 4 visits to it, both since he joined.
    expect(tiles).toContain('Bezoek vriendenpagina → aanmelding (sinds aanmelding)25,0%');
    const rows = page.getByTestId('per-ambassador').locator('tbody tr');
    const leads = (await rows.locator('td:nth-child(3)').allTextContents()).map(Number);
    expect(leads.reduce((n, x) => n + x, 0)).toBe(3);
    const removed = page.getByTestId('removed-ambassadors');
    expect(await removed.locator('td').first().textContent()).toBe('Verwijderde ambassadeurs (1)');
    expect(await removed.locator('td:nth-child(3)').textContent()).toBe('2');
    expect(await page.locator('main').textContent()).toContain('Ze tellen mee in de totalen');
    for (const [size, label] of [
      [PHONE, '390'],
      [DESKTOP, '1280'],
    ] as const) {
      await page.setViewportSize(size);
      await expectFits(page, `at ${label} px`);
      await screenshot(page, `programme-removed-${dialect}-${label}`);
    }
    await page.context().close();
  }, 120_000);
});
