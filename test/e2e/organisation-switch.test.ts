import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import type { Role } from '../../src/db/schema.ts';
import { insertMembership } from '../../src/modules/organisations/organisations.repository.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { newId } from '../../src/shared/ids.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { buildResponse, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, type Client, type TestApp } from '../support/harness.ts';
import { DESKTOP, PHONE, horizontalOverflow } from './first-day.helpers.ts';

const DAY = 86_400_000;

/**
 * Issue 13 in the browser: a person who is owner of Garage Noord and Garage Zuid and reads along
 * (viewer) at Garage Oost switches organisations in the top bar and compares the two garages they
 * own; a person of one organisation sees no switcher. At desktop width and at 390 px.
 */
describeInBrowserOnce(
  'the organisation switcher and the owner’s overview in the browser',
  (dialect) => {
    let db: Db;
    let browser: Browser;
    let base = '';
    let person: Client;
    let single: Client;
    const orgs: Record<'noord' | 'zuid' | 'oost', Client> = {} as never;
    let close: () => Promise<void> = async () => {};

    beforeAll(async () => {
      db = await freshDatabase(dialect);
      const dataDir = mkdtempSync(join(tmpdir(), 'loyaal-org-switch-'));
      const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off', DATA_DIR: dataDir });
      const clock = { now: Date.now() };
      const deps = { db, config, now: () => clock.now, platform };
      const app = await buildApp(deps, { serveAdmin: true });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const t: TestApp = { app, db, deps, clock, close: async () => {} };
      orgs.noord = await buildOrganisation(t, 'Garage Noord');
      orgs.zuid = await buildOrganisation(t, 'Garage Zuid');
      orgs.oost = await buildOrganisation(t, 'Garage Oost');
      person = orgs.noord;
      const joinAs = (organisationId: string, role: Role) =>
        insertMembership(db.kysely, {
          id: newId(),
          organisation_id: organisationId,
          user_id: person.userId,
          role,
          employee_id: null,
          now: clock.now,
        });
      await joinAs(orgs.zuid.organisationId, 'owner');
      await joinAs(orgs.oost.organisationId, 'viewer');
      const answers = async (organisationId: string, scores: number[]) => {
        const survey = await buildSurvey(db.kysely, organisationId);
        for (const score of scores)
          await buildResponse(
            db.kysely,
            { organisationId, surveyId: survey.id },
            { score, answered_at: clock.now - 2 * DAY },
          );
      };
      // NPS 42.857…, n = 7: shown as everywhere else, "+43", not "42,857".
      await answers(orgs.noord.organisationId, [10, 9, 9, 3, 8, 7, 10]);
      await answers(orgs.zuid.organisationId, [10, 7, 2, 5]); // NPS −25, n = 4
      await answers(orgs.oost.organisationId, [10, 10, 10]); // not the person's as owner
      single = await buildOrganisation(t, 'Fietsenmaker Alleen');
      browser = await launchBrowser();
      close = async () => {
        await browser.close();
        await app.close();
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      };
    });
    afterAll(async () => close());

    async function pageOf(client: Client, size: { width: number; height: number }): Promise<Page> {
      const page = await newPage(browser, base);
      await page.setViewportSize(size);
      await page
        .context()
        .addCookies([
          { name: 'loyaal_session', value: client.cookie.split('=')[1] ?? '', url: base },
        ]);
      return page;
    }

    for (const [label, size] of [
      ['desktop', DESKTOP],
      ['390 px', PHONE],
    ] as const) {
      describe(label, { shuffle: false }, () => {
        it(
          'switches from Garage Noord to Garage Oost and back, and compares the two owned garages',
          { timeout: 240_000 },
          async () => {
            const page = await pageOf(person, size);
            try {
              await page.goto('/admin/');
              const select = page.locator('#org-switch');
              await select.waitFor();
              expect(await select.locator('option').allTextContents()).toEqual([
                'Garage Noord',
                'Garage Oost',
                'Garage Zuid',
              ]);
              expect(await select.inputValue()).toBe(orgs.noord.organisationId);
              // Measured once the home has drawn Noord's results: earlier it fits whatever they do.
              for (const id of ['checklist', 'nps-value', 'trend-chart', 'funnel-sent'])
                await page.getByTestId(id).waitFor();
              await page
                .locator('[data-testid="mail-banner"], [data-testid="mail-delivers"]')
                .first()
                .waitFor({ state: 'attached' });
              expect((await horizontalOverflow(page)).px).toBe(0);

              await select.selectOption(orgs.oost.organisationId);
              // The app starts afresh in Oost, with the role there.
              await page.waitForFunction(
                (id) => document.querySelector<HTMLSelectElement>('#org-switch')?.value === id,
                orgs.oost.organisationId,
                { timeout: 60_000 },
              );
              await page.locator('.user-role', { hasText: 'Alleen lezen' }).waitFor();

              // The overview of the two owned garages, side by side; Oost is not among them.
              await page.locator('a', { hasText: 'Overzicht' }).click();
              await page.locator('h1', { hasText: 'Uw organisaties naast elkaar' }).waitFor();
              const rows = page.locator('table.org-overview tbody tr');
              await rows.nth(1).waitFor();
              const cells = await rows.evaluateAll((trs) =>
                trs.map((tr) =>
                  Array.from(tr.querySelectorAll('th, td')).map((c) =>
                    (c.textContent ?? '').trim(),
                  ),
                ),
              );
              expect(cells.map((c) => [c[0], c[1], c[3]])).toEqual([
                ['Garage Noord', '+43', '7'],
                ['Garage Zuid', '-25', '4'],
              ]);
              expect(cells.every((c) => /tot/.test(c[2] ?? ''))).toBe(true);
              expect(await page.locator('main').textContent()).not.toContain('Garage Oost');
              const overflow = await horizontalOverflow(page);
              if (overflow.culprits.length > 0)
                await screenshot(page, `org-overview-${label.replace(' ', '')}-${dialect}`);
              // Nothing wider than the phone: the table fits, it does not even scroll in its frame.
              expect(overflow.px).toBe(0);
              expect(overflow.culprits).toEqual([]);

              await page.locator('#org-switch').selectOption(orgs.noord.organisationId);
              await page.waitForFunction(
                (id) => document.querySelector<HTMLSelectElement>('#org-switch')?.value === id,
                orgs.noord.organisationId,
                { timeout: 60_000 },
              );
              await page.locator('.user-role', { hasText: 'Eigenaar' }).waitFor();
            } finally {
              await page.context().close();
            }
          },
        );

        it(
          'shows a person of one organisation its name, no switcher and no other garage',
          { timeout: 240_000 },
          async () => {
            const page = await pageOf(single, size);
            try {
              await page.goto('/admin/');
              // The name alone shows before the list of organisations has come, too: wait for it.
              await page
                .locator('.org-name[data-loaded="true"]', { hasText: 'Fietsenmaker Alleen' })
                .waitFor();
              expect(await page.locator('#org-switch').count()).toBe(0);
              await page.goto('/admin/organisations');
              await page.locator('h1').first().waitFor();
              await page.locator('table.org-overview tbody tr').first().waitFor();
              const text = (await page.locator('main').textContent()) ?? '';
              expect(text).toContain('Fietsenmaker Alleen');
              expect(text).not.toContain('Garage');
              expect((await horizontalOverflow(page)).px).toBe(0);
            } finally {
              await page.context().close();
            }
          },
        );
      });
    }
  },
);
