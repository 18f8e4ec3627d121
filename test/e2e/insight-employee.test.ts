import { afterAll, beforeAll, expect, it } from 'vitest';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { screenshot } from '../support/browser.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildContact, buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import { buildMember, buildOrganisation, type Client } from '../support/harness.ts';
import { DESKTOP, PHONE, expectFits } from './first-day.helpers.ts';

const DAY = 86_400_000;

/**
 * An account manager's own home (issue 10) in real Chromium: their NPS against the organisation's
 * with both trends, praise and the customers who asked for contact; a colleague's page is a "no
 * access" page without their data; a manager sees their team and opens a member's page.
 */
describeInBrowserOnce('admin app in Chromium: an account manager’s own home', (dialect) => {
  let admin: AdminApp;
  let pieter: string;
  let sanne: string;
  let sanneUser: Client;
  let pieterUser: Client;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    const db = admin.db;
    const now = Date.now();
    const orgId = (await buildOrganisation(admin, 'Makelaardij Oost')).organisationId;
    sanne = (await buildEmployee(db.kysely, orgId, { name: 'Sanne de Boer', team: 'Noord' })).id;
    pieter = (await buildEmployee(db.kysely, orgId, { name: 'Pieter Bakker', team: 'Noord' })).id;
    const kim = (await buildEmployee(db.kysely, orgId, { name: 'Kim Visser', team: 'Zuid' })).id;
    sanneUser = await buildMember(admin, orgId, 'account_manager', sanne);
    pieterUser = await buildMember(admin, orgId, 'manager', pieter);
    const survey = await buildSurvey(db.kysely, orgId);
    const ref = { organisationId: orgId, surveyId: survey.id };
    const jan = await buildContact(db.kysely, orgId, { name: 'Jan de Klant' });
    for (let i = 0; i < 40; i++) {
      await buildResponse(db.kysely, ref, {
        score: i < 30 ? 10 : 3,
        owner_employee_id: sanne,
        answered_at: now - (1 + i) * DAY,
        comment: i === 0 ? 'Sanne dacht echt met ons mee' : i === 35 ? 'Bel mij even terug' : null,
        may_contact: i === 35 ? 1 : 0,
        contact_id: i === 35 ? jan.id : null,
        employee_score: i < 5 ? 9 : null,
      });
    }
    for (const employee of [pieter, kim]) {
      for (let i = 0; i < 20; i++) {
        await buildResponse(db.kysely, ref, {
          score: 8,
          owner_employee_id: employee,
          answered_at: now - (1 + i) * DAY,
          comment: i === 0 ? 'Geheime opmerking over een collega' : null,
        });
      }
    }
  }, 120_000);
  afterAll(async () => admin.close());

  it('shows an account manager their own results on their home, and a colleague’s as no access', async () => {
    const page = await logIn(admin, sanneUser.email);
    await page.getByRole('heading', { name: 'Mijn resultaten' }).waitFor();
    await expect
      .poll(() => page.getByTestId('employee-nps-value').textContent(), { timeout: 30_000 })
      .toBe('+50');
    expect(await page.getByTestId('employee-nps').textContent()).toContain(
      'Op basis van 40 antwoorden.',
    );
    // The organisation: 30 promoters, 40 passives, 10 detractors of 80 → +25.
    expect(await page.getByTestId('organisation-nps').textContent()).toBe(
      'De hele organisatie: +25 (80 antwoorden).',
    );
    const trend = page.getByTestId('employee-trend');
    expect(await trend.locator('g[data-series="Sanne de Boer"]').count()).toBeGreaterThan(0);
    expect(await trend.locator('g[data-series="Hele organisatie"]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('employee-praise').textContent()).toContain(
      'Sanne dacht echt met ons mee',
    );
    expect(await page.getByTestId('employee-contact').textContent()).toContain('Jan de Klant');
    expect(await page.getByTestId('employee-score').textContent()).toContain('9');
    for (const [size, label] of [
      [PHONE, '390'],
      [DESKTOP, '1280'],
    ] as const) {
      await page.setViewportSize(size);
      await expectFits(page, `at ${label} px`);
      await screenshot(page, `insight-employee-${dialect}-${label}`);
    }

    // A colleague's page: "Geen toegang", and nothing of the colleague's results.
    await page.goto(`/admin/employees/${pieter}/results`);
    await page.getByTestId('forbidden').waitFor();
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain('Geen toegang');
    expect(body).not.toContain('Pieter Bakker');
    expect(body).not.toContain('Geheime opmerking');
    expect(await page.getByTestId('employee-nps-value').count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it('shows a manager their team and opens a member’s page', async () => {
    const page = await logIn(admin, pieterUser.email);
    await page.goto('/admin/team-results');
    await page.getByRole('heading', { name: 'Team Noord' }).waitFor();
    const names = await page.getByTestId('team-table').locator('tbody th').allTextContents();
    expect(names).toEqual(['Sanne de Boer', 'Pieter Bakker']);
    await page.getByRole('link', { name: 'Sanne de Boer' }).click();
    await page.getByRole('heading', { name: 'Resultaten van Sanne de Boer' }).waitFor();
    await expect
      .poll(() => page.getByTestId('employee-nps-value').textContent(), { timeout: 30_000 })
      .toBe('+50');
    // A colleague's page speaks of that colleague's customers, not of "your" customers.
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).not.toMatch(/\buw (klanten|contact)\b/);
    expect(main).toContain('De NPS van de klanten van Sanne de Boer, met marge');
    await page.getByRole('heading', { name: 'NPS van de klanten van Sanne de Boer' }).waitFor();
    await page
      .getByRole('heading', { name: 'Cijfer voor het contact met Sanne de Boer' })
      .waitFor();
    await page
      .getByRole('heading', { name: 'Opmerkingen van de klanten van Sanne de Boer' })
      .waitFor();
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Comments from Sanne de Boer’s customers' }).waitFor();
    expect((await page.locator('main').textContent()) ?? '').not.toMatch(/\byour customers\b/);
    await page.context().close();
  }, 120_000);
});
