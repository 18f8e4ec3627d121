import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  evaluateOrganisation,
  monthPeriod,
} from '../../src/modules/notifications/notifications.service.ts';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import { buildMember, buildOrganisation, type Client } from '../support/harness.ts';
import { checkOnPhone, PHONE, expectFits } from './first-day.helpers.ts';

/**
 * The notifications feed (issue 10) in real Chromium: the monthly evaluation's celebrate and
 * attention notes in Dutch and English, marked read by the reader, an account manager seeing only
 * their own; no sideways scrolling at 390 px.
 */
describeInBrowserOnce('admin app in Chromium: the notifications feed', (dialect) => {
  let admin: AdminApp;
  let owner: Client;
  let sanne: Client;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    const db = admin.db;
    const now = Date.now();
    owner = await buildOrganisation(admin, 'Installatie Feed');
    const survey = await buildSurvey(db.kysely, owner.organisationId);
    const ref = { organisationId: owner.organisationId, surveyId: survey.id };
    type Mix = [number, number, number];
    const plan: Array<[string, Mix, Mix]> = [
      ['Sanne de Boer-Van Oudenhoven-Vermeulen', [15, 10, 15], [34, 4, 2]],
      ['Pieter Bakker', [30, 6, 4], [8, 10, 22]],
      ['Kim Visser', [20, 10, 10], [21, 9, 10]],
    ];
    const ids: string[] = [];
    for (const [name, august, september] of plan) {
      const e = await buildEmployee(db.kysely, owner.organisationId, { name, team: 'Noord' });
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
      owner.organisationId,
      monthPeriod('2026-09'),
      now,
    );
    expect(result?.created).toBe(2);
    // Sanne logs in as an account manager linked to her employee record.
    sanne = await buildMember(admin, owner.organisationId, 'account_manager', ids[0] ?? null);
  }, 120_000);
  afterAll(async () => admin.close());

  async function notifications(who: Client): Promise<Page> {
    const page = await logIn(admin, who.email);
    await page.getByRole('navigation').getByRole('link', { name: 'Meldingen' }).click();
    return page;
  }

  it('shows the owner both notes, marks one read, reads in English too, and fits 390 px', async () => {
    const page = await notifications(owner);
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

    await checkOnPhone(page, `notifications-${dialect}`);

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
    const page = await notifications(sanne);
    const notes = page.getByTestId('notification');
    await expect.poll(() => notes.count(), { timeout: 30_000 }).toBe(1);
    expect(await notes.first().getAttribute('data-kind')).toBe('celebrate');
    expect(await page.textContent('main')).not.toContain('Pieter Bakker');
    await page.setViewportSize(PHONE);
    await expectFits(page, 'the notifications at 390 px');
    await page.context().close();
  }, 120_000);
});
