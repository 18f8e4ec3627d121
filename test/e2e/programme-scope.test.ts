import type { Page } from 'playwright-core';
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
import { buildEmployee, buildSurvey } from '../support/factories.ts';
import { buildMember, buildOrganisation, type Client } from '../support/harness.ts';
import { DESKTOP, PHONE, expectFits } from './first-day.helpers.ts';

/**
 * The programme in figures as an account manager sees it (issue 12), in real Chromium at a
 * laptop's width and a phone's: the ambassadors among their own customers, their own row per
 * account manager, and the words say so; the owner sees both account managers.
 */
describeInBrowserOnce('admin app in Chromium: the programme dashboard by role', (dialect) => {
  let admin: AdminApp;
  let owner: Client;
  let sanne: Client;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage Rollen');
    await setUpProgramme(owner);
    const { organisationId } = owner;
    const sanneEmployee = await buildEmployee(admin.db.kysely, organisationId, {
      name: 'Sanne de Boer',
    });
    const kees = await buildEmployee(admin.db.kysely, organisationId, { name: 'Kees Visser' });
    sanne = await buildMember(admin, organisationId, 'account_manager', sanneEmployee.id);
    const surveyId = (await buildSurvey(admin.db.kysely, organisationId)).id;
    for (const [name, ownerId, friend] of [
      ['Jan de Vries', sanneEmployee.id, 'karin'],
      ['Els Jansen', kees.id, 'ruud'],
    ] as const) {
      const a = await enrolPromoter(
        admin,
        { organisationId, surveyId },
        { name, email: `${friend}-vriend-${dialect}@rollen.nl`, owner_employee_id: ownerId },
      );
      await referFriend(admin, a, { name: friend, email: `${friend}-${dialect}@example.nl` });
    }
  }, 120_000);
  afterAll(async () => admin.close());

  const cells = (page: Page, table: string) =>
    page.getByTestId(table).locator('tbody tr td:first-child').allTextContents();

  it('shows an account manager the programme among their own customers, on a phone too', async () => {
    const page = await openProgrammeDashboard(admin, sanne);
    expect(await page.locator('main').textContent()).toContain(
      'Wat het ambassadeursprogramma oplevert bij uw eigen klanten',
    );
    expect(await cells(page, 'per-owner')).toEqual(['Sanne de Boer']);
    expect(await cells(page, 'per-ambassador')).toEqual(['Jan de Vries']);
    const tiles = (await page.getByTestId('programme-tiles').textContent()) ?? '';
    expect(tiles).toContain('Aanmeldingen1');
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).not.toContain('Kees Visser');
    expect(body).not.toContain('Els Jansen');
    for (const [size, label] of [
      [PHONE, '390'],
      [DESKTOP, '1280'],
    ] as const) {
      await page.setViewportSize(size);
      await expectFits(page, `at ${label} px`);
      await screenshot(page, `programme-scope-${dialect}-${label}`);
    }
    await page.context().close();
  }, 120_000);

  it('shows the owner every account manager’s ambassadors', async () => {
    const page = await openProgrammeDashboard(admin, owner);
    expect(await page.locator('main').textContent()).toContain(
      'Wat het ambassadeursprogramma oplevert en kost.',
    );
    expect((await cells(page, 'per-owner')).sort()).toEqual(['Kees Visser', 'Sanne de Boer']);
    expect((await cells(page, 'per-ambassador')).sort()).toEqual(['Els Jansen', 'Jan de Vries']);
    expect((await page.getByTestId('programme-tiles').textContent()) ?? '').toContain(
      'Aanmeldingen2',
    );
    // Visits are a running count: the tile and the column say so, whatever the period.
    expect((await page.getByTestId('programme-tiles').textContent()) ?? '').toContain(
      'Bezoeken vriendenpagina (sinds aanmelding)',
    );
    expect(await page.getByTestId('per-ambassador').locator('thead').textContent()).toContain(
      'Bezoeken vriendenpagina (sinds aanmelding)',
    );
    await page.context().close();
  }, 120_000);
});
