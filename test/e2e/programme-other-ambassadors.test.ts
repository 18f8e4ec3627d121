import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAdminApp, type AdminApp } from '../support/admin-app.ts';
import {
  buildAmbassadors,
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

/**
 * A large programme's table still adds up on screen, at a laptop's width and a phone's: it names
 * the first hundred ambassadors and sums the others on a row "Overige ambassadeurs" of their own,
 * so the visits column adds up to the tile.
 */
describeInBrowserOnce('admin app in Chromium: a large programme’s table adds up', (dialect) => {
  let admin: AdminApp;
  let owner: Client;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage Groot');
    await setUpProgramme(owner);
    const { organisationId } = owner;
    const ref = {
      organisationId,
      surveyId: (await buildSurvey(admin.db.kysely, organisationId)).id,
    };
    // 101 ambassadors whose pages were visited 1 to 101 times (5,151 visits), and Jan, who
    // brought a friend: 102 with a figure, so the two visited least share a row (1 + 2 visits).
    await buildAmbassadors(admin.db.kysely, organisationId, 101, (i) => i + 1, admin.clock.now);
    const jan = await enrolPromoter(admin, ref, {
      name: 'Jan de Vries',
      email: `jan-${dialect}@g.nl`,
    });
    await referFriend(admin, jan, { name: 'Karin', email: `karin-${dialect}@example.nl` });
  }, 120_000);
  afterAll(async () => admin.close());

  it('names the first hundred ambassadors and sums the others on a row, on a phone too', async () => {
    const page = await openProgrammeDashboard(admin, owner);
    const tiles = (await page.getByTestId('programme-tiles').textContent()) ?? '';
    expect(tiles).toContain('Bezoeken vriendenpagina (sinds aanmelding)5.151');
    expect(tiles).toContain('Aanmeldingen1');
    const table = page.getByTestId('per-ambassador');
    expect(await table.locator('tbody tr a').count()).toBe(100);
    const others = page.getByTestId('other-ambassadors');
    expect(await others.locator('td').first().textContent()).toBe('Overige ambassadeurs (2)');
    expect(await others.locator('td:nth-child(2)').textContent()).toBe('3');
    // Every row's visits, the named ones and the others', add up to the tile.
    const visits = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(visits.reduce((n, x) => n + Number(x.replace(/\./g, '')), 0)).toBe(5151);
    const leads = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(leads.reduce((n, x) => n + Number(x), 0)).toBe(1);
    expect(await page.locator('main').textContent()).toContain(
      'De tabel noemt de 100 ambassadeurs met de meeste nieuwe klanten en aanmeldingen',
    );
    for (const [size, label] of [
      [PHONE, '390'],
      [DESKTOP, '1280'],
    ] as const) {
      await page.setViewportSize(size);
      await expectFits(page, `at ${label} px`);
      await screenshot(page, `programme-others-${dialect}-${label}`);
    }
    await page.context().close();
  }, 120_000);
});
