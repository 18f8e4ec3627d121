import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import {
  evaluateOrganisation,
  monthPeriod,
} from '../../src/modules/notifications/notifications.service.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import {
  insertMembership,
  insertUser,
} from '../../src/modules/organisations/organisations.repository.ts';
import { hashPassword } from '../../src/modules/auth/passwords.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { newId } from '../../src/shared/ids.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import { DESKTOP, PHONE, horizontalOverflow } from './first-day.helpers.ts';

const OWNER = { email: 'eigenaar@installatie-feed.nl', password: 'correct horse battery' };
const SANNE = { email: 'sanne@installatie-feed.nl', password: 'correct horse battery' };

/**
 * The notifications feed (issue 10) in real Chromium: the monthly evaluation's celebrate and
 * attention notes in Dutch and English, marked read by the reader, an account manager seeing only
 * their own; no sideways scrolling at 390 px.
 */
describeEachDialect('admin app in Chromium: the notifications feed', (dialect) => {
  let db: Db;
  let browser: Browser;
  let baseURL: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off' });
    const now = Date.now();
    const deps = { db, config, now: () => Date.now(), platform };
    const org = await db.kysely
      .transaction()
      .execute((trx) =>
        createOrganisationWithOwner(
          trx,
          { organisationName: 'Installatie Feed', locale: 'nl', name: 'Els Feed', ...OWNER },
          now,
        ),
      );
    const survey = await buildSurvey(db.kysely, org.organisationId);
    const ref = { organisationId: org.organisationId, surveyId: survey.id };
    type Mix = [number, number, number];
    const plan: Array<[string, Mix, Mix]> = [
      ['Sanne de Boer-Van Oudenhoven-Vermeulen', [15, 10, 15], [34, 4, 2]],
      ['Pieter Bakker', [30, 6, 4], [8, 10, 22]],
      ['Kim Visser', [20, 10, 10], [21, 9, 10]],
    ];
    const ids: string[] = [];
    for (const [name, august, september] of plan) {
      const e = await buildEmployee(db.kysely, org.organisationId, { name, team: 'Noord' });
      ids.push(e.id);
      for (const [month, mix] of [
        [7, august],
        [8, september],
      ] as const) {
        const scores = [
          ...new Array<number>(mix[0]).fill(10),
          ...new Array<number>(mix[1]).fill(8),
          ...new Array<number>(mix[2]).fill(3),
        ];
        let day = 0;
        for (const score of scores) {
          await buildResponse(db.kysely, ref, {
            score,
            owner_employee_id: e.id,
            answered_at: Date.UTC(2026, month, 2 + (day++ % 25), 10),
          });
        }
      }
    }
    const result = await evaluateOrganisation(
      db.kysely,
      org.organisationId,
      monthPeriod('2026-09'),
      now,
    );
    expect(result?.created).toBe(2);
    // Sanne logs in as an account manager linked to her employee record.
    const userId = newId();
    await insertUser(db.kysely, {
      id: userId,
      email: SANNE.email,
      name: 'Sanne',
      password_hash: await hashPassword(SANNE.password),
      locale: 'nl',
      now,
    });
    await insertMembership(db.kysely, {
      id: newId(),
      organisation_id: org.organisationId,
      user_id: userId,
      role: 'account_manager',
      employee_id: ids[0] ?? null,
      now,
    });
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
    close = async () => {
      await browser.close();
      await app.close();
      await db.close();
    };
  }, 120_000);
  afterAll(async () => close());

  async function logIn(who: { email: string; password: string }) {
    const page = await newPage(browser, baseURL);
    page.setDefaultTimeout(30_000);
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill(who.email);
    await page.getByLabel('Wachtwoord').fill(who.password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Meldingen' }).click();
    return page;
  }

  it('shows the owner both notes, marks one read, reads in English too, and fits 390 px', async () => {
    const page = await logIn(OWNER);
    const notes = page.getByTestId('notification');
    await expect.poll(() => notes.count(), { timeout: 30_000 }).toBe(2);
    const celebrate = page.locator('[data-testid="notification"][data-kind="celebrate"]');
    expect(await celebrate.locator('strong').textContent()).toBe(
      'Om te vieren: de NPS van Sanne de Boer-Van Oudenhoven-Vermeulen steeg echt in september 2026',
    );
    expect(await celebrate.textContent()).toMatch(
      /Geschatte NPS van [+-]?\d+ \(40 antwoorden\) naar \+\d+ \(40 antwoorden\)\./,
    );
    // A near-certain change says "more than 99.9 %", never a rounded "100,0%".
    expect(await celebrate.textContent()).toContain(
      'Kans dat dit een echte verandering is: meer dan 99,9%',
    );
    const attention = page.locator('[data-testid="notification"][data-kind="attention"]');
    expect(await attention.locator('strong').textContent()).toBe(
      'Aandacht: de NPS van Pieter Bakker daalde echt in september 2026',
    );
    expect(await attention.getAttribute('data-read')).toBe('false');
    await attention.getByRole('button', { name: 'Markeren als gelezen' }).click();
    await expect.poll(() => attention.getAttribute('data-read'), { timeout: 30_000 }).toBe('true');
    expect(await attention.textContent()).toContain('Gelezen op');
    // Only the unread one is left under "Ongelezen".
    await page.getByLabel('Tonen').selectOption('unread');
    await expect.poll(() => notes.count(), { timeout: 30_000 }).toBe(1);
    expect(await notes.first().getAttribute('data-kind')).toBe('celebrate');

    for (const [size, label] of [
      [PHONE, '390'],
      [DESKTOP, '1280'],
    ] as const) {
      await page.setViewportSize(size);
      await page.waitForTimeout(300);
      await screenshot(page, `notifications-${dialect}-${label}`);
      const overflow = await horizontalOverflow(page);
      expect(overflow.px, `at ${label} px: ${overflow.culprits.join(', ')}`).toBe(0);
    }

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect
      .poll(() => celebrate.locator('strong').textContent(), { timeout: 30_000 })
      .toBe(
        'To celebrate: the NPS of Sanne de Boer-Van Oudenhoven-Vermeulen really rose in September 2026',
      );
    expect(await celebrate.textContent()).toContain('Mark as read');
    await page.getByRole('button', { name: 'NL', exact: true }).click();
    await page.context().close();
  }, 120_000);

  it('shows an account manager her own note only, at 390 px too', async () => {
    const page = await logIn(SANNE);
    const notes = page.getByTestId('notification');
    await expect.poll(() => notes.count(), { timeout: 30_000 }).toBe(1);
    expect(await notes.first().getAttribute('data-kind')).toBe('celebrate');
    expect(await page.textContent('main')).not.toContain('Pieter Bakker');
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300);
    const overflow = await horizontalOverflow(page);
    expect(overflow.px, overflow.culprits.join(', ')).toBe(0);
    await page.context().close();
  }, 120_000);
});
