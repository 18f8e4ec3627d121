import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { hashPassword } from '../../src/modules/auth/passwords.ts';
import {
  insertMembership,
  insertUser,
} from '../../src/modules/organisations/organisations.repository.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { newId } from '../../src/shared/ids.ts';
import { enrolPromoter, referFriend, setUpProgramme } from '../support/ambassadors.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { buildEmployee, buildSurvey } from '../support/factories.ts';
import { login, type TestApp } from '../support/harness.ts';
import { DESKTOP, PHONE, expectFits } from './first-day.helpers.ts';

const PASSWORD = 'correct horse battery';
const OWNER = 'olga@garage-rollen.nl';
const SANNE = 'sanne@garage-rollen.nl';

/**
 * The programme in figures as an account manager sees it (issue 12), in real Chromium at a
 * laptop's width and a phone's: the ambassadors among their own customers, their own row per
 * account manager, and the words say so; the owner sees both account managers.
 */
describeInBrowserOnce('admin app in Chromium: the programme dashboard by role', (dialect) => {
  let db: Db;
  let browser: Browser;
  let baseURL: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const clock = { now: Date.now() };
    const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off', SESSION_DAYS: '90' });
    const deps = { db, config, now: () => clock.now, platform };
    const { organisationId } = await db.kysely.transaction().execute((trx) =>
      createOrganisationWithOwner(
        trx,
        {
          organisationName: 'Garage Rollen',
          locale: 'nl',
          name: 'Olga Rollen',
          email: OWNER,
          password: PASSWORD,
        },
        clock.now,
      ),
    );
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const t: TestApp = { app, db, deps, clock, close: async () => {} };
    const owner = await login(t, OWNER, PASSWORD);
    await setUpProgramme(owner);

    const sanne = await buildEmployee(db.kysely, organisationId, { name: 'Sanne de Boer' });
    const kees = await buildEmployee(db.kysely, organisationId, { name: 'Kees Visser' });
    const userId = newId();
    await insertUser(db.kysely, {
      id: userId,
      email: SANNE,
      name: 'Sanne de Boer',
      password_hash: await hashPassword(PASSWORD),
      locale: 'nl',
      now: clock.now,
    });
    await insertMembership(db.kysely, {
      id: newId(),
      organisation_id: organisationId,
      user_id: userId,
      role: 'account_manager',
      employee_id: sanne.id,
      now: clock.now,
    });
    const surveyId = (await buildSurvey(db.kysely, organisationId)).id;
    for (const [name, ownerId, friend] of [
      ['Jan de Vries', sanne.id, 'karin'],
      ['Els Jansen', kees.id, 'ruud'],
    ] as const) {
      const a = await enrolPromoter(
        t,
        { organisationId, surveyId },
        { name, email: `${friend}-vriend-${dialect}@rollen.nl`, owner_employee_id: ownerId },
      );
      await referFriend(t, a, { name: friend, email: `${friend}-${dialect}@example.nl` });
    }
    browser = await launchBrowser();
    close = async () => {
      await browser.close();
      await app.close();
      await db.close();
    };
  }, 120_000);
  afterAll(async () => close());

  async function dashboardAs(email: string): Promise<Page> {
    const page = await newPage(browser, baseURL);
    page.setDefaultTimeout(30_000);
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
    await page.goto('/admin/referral-programme/dashboard');
    await page.getByTestId('programme-tiles').waitFor();
    return page;
  }

  const cells = (page: Page, table: string) =>
    page.getByTestId(table).locator('tbody tr td:first-child').allTextContents();

  it('shows an account manager the programme among their own customers, on a phone too', async () => {
    const page = await dashboardAs(SANNE);
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
    const page = await dashboardAs(OWNER);
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
