import { afterAll, beforeAll, expect, it } from 'vitest';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildResponse, buildSurvey } from '../support/factories.ts';
import { buildOrganisation } from '../support/harness.ts';
import { checkOnPhone } from './first-day.helpers.ts';

const DAY = 86_400_000;

/**
 * The themes screen (issue 10) in real Chromium: themes with their count, NPS with interval and
 * quotes, "niet vriendelijk" read as negative, a suggested new term from detractors, and the
 * owner adding a theme that is counted at once; on a laptop and a 390 px phone.
 */
describeInBrowserOnce('admin app in Chromium: comment themes', (dialect) => {
  let admin: AdminApp;
  let ownerEmail: string;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    const db = admin.db;
    const now = Date.now();
    const org = await buildOrganisation(admin, 'Garage Thema');
    ownerEmail = org.email;
    const survey = await buildSurvey(db.kysely, org.organisationId);
    const ref = { organisationId: org.organisationId, surveyId: survey.id };
    const comments: Array<[string, number]> = [
      ['De monteur was erg vriendelijk', 10],
      ['Vriendelijk personeel en snel klaar', 9],
      ['Het personeel was niet vriendelijk', 3],
      ['Veel te duur', 4],
      ...new Array<[string, number]>(6).fill(['Parkeren was een drama', 2]),
      ...new Array<[string, number]>(8).fill(['Goed geholpen, prima', 10]),
    ];
    let i = 0;
    for (const [comment, score] of comments) {
      await buildResponse(db.kysely, ref, { score, comment, answered_at: now - (1 + i++) * DAY });
    }
  }, 120_000);
  afterAll(async () => admin.close());

  it('lists themes with count, NPS and quotes, suggests a term and takes a new theme', async () => {
    const page = await logIn(admin, ownerEmail);
    await page.getByRole('navigation').getByRole('link', { name: 'Resultaten' }).click();
    await page.getByRole('link', { name: "Thema's" }).click();
    const staff = page.locator('[data-theme="staff"]');
    await staff.waitFor();
    expect(await staff.getByTestId('theme-count').textContent()).toBe('3 opmerkingen');
    expect(await staff.textContent()).toMatch(/NPS \+33 \(-?\d+ … \+\d+\)/);
    const quote = staff.locator('li', { hasText: 'niet vriendelijk' });
    expect(await quote.getAttribute('data-sentiment')).toBe('negative');
    expect(await quote.textContent()).toContain('negatief');
    expect(
      await page.locator('[data-theme="price"]').getByTestId('theme-count').textContent(),
    ).toBe('1 opmerking');
    expect(await page.getByTestId('theme-suggestions').textContent()).toMatch(/parkeren|drama/);

    // The owner adds a theme "Parkeren"; the list counts it at once.
    const editor = page.getByTestId('theme-editor');
    await editor.locator('summary').click();
    await editor.getByRole('button', { name: 'Thema toevoegen' }).click();
    const last = editor.locator('fieldset').last();
    await last.getByLabel('Thema', { exact: true }).fill('Parkeren');
    await last.getByLabel(/^Woorden/).fill('parkeren, parkeerplaats');
    await editor.getByRole('button', { name: "Thema's opslaan" }).click();
    const parking = page.locator('[data-theme^="nieuw-thema"]');
    await expect
      .poll(async () => (await parking.count()) > 0 && (await parking.textContent()), {
        timeout: 30_000,
      })
      .toMatch(/^Parkeren6 opmerkingen/);

    await checkOnPhone(page, `insight-themes-${dialect}`);
  }, 120_000);
});
