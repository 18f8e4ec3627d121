import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { asPersonSends } from '../support/friend-form.ts';
import { login, type Client, type TestApp } from '../support/harness.ts';
import { freePort } from '../support/pg-cluster.ts';

const OWNER = { email: 'eigenaar@garagedevries.nl', password: 'correct horse battery' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const DAY = 86_400_000;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };
const WAIT = { timeout: 30_000 };

/**
 * The programme's admin screens in headless Chromium (issue 12), at desktop width and on a phone:
 * the register with its consent record and a fan added by hand, leads and the review queue with
 * the finding in words, the ledger with a printable voucher, the programme's settings and the
 * dashboard with the pool against the promoters.
 */
describeInBrowserOnce('admin ambassador screens in Chromium', (dialect) => {
  let db: Db;
  let browser: Browser;
  let page: Page;
  let owner: Client;
  let close: () => Promise<void>;
  let drain: () => Promise<number>;
  const clock = { now: Date.now() };

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      LOGIN_RATE_LIMIT: '1000',
      WORKER: 'off',
      PUBLIC_URL: baseURL,
      SESSION_DAYS: '90',
    });
    const deps = { db, config, now: () => clock.now, platform };
    const { organisationId } = await db.kysely
      .transaction()
      .execute((trx) =>
        createOrganisationWithOwner(
          trx,
          { organisationName: 'Garage De Vries', locale: 'nl', name: 'Piet de Vries', ...OWNER },
          clock.now,
        ),
      );
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port, host: '127.0.0.1' });
    drain = () => startWorker(deps, { concurrency: 2 }, false).drain();
    owner = await login({ app } as TestApp, OWNER.email, OWNER.password);
    const put = await owner.request({
      method: 'PUT',
      url: '/api/v1/referral-programme',
      payload: {
        enabled: true,
        settings: {
          offer: 'Voor elke nieuwe klant die u aanbrengt: een gratis APK-keuring.',
          ambassadorReward: {
            kind: 'voucher',
            description: 'Een gratis APK-keuring',
            costCents: 3500,
            validMonths: 12,
          },
          holdDays: 14,
        },
      },
    });
    expect(put.statusCode, put.body).toBe(200);

    // Jan gives a 10 and opts in; Els is a known fan, added by hand in the browser below.
    const survey = await buildSurvey(db.kysely, organisationId);
    const jan = await buildContact(db.kysely, organisationId, {
      name: 'Jan de Vries',
      first_name: 'Jan',
      email: 'jan@devries.nl',
      created_at: clock.now - 400 * DAY,
    });
    const els = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Els Jansen', email: 'els@jansen.nl' },
    });
    expect(els.statusCode, els.body).toBe(201);
    const inv = await buildInvitation(
      db.kysely,
      { organisationId: organisationId, surveyId: survey.id, contactId: jan.id },
      { planned_at: clock.now },
    );
    const answered = await app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      headers: FORM,
      payload: 'score=10&comment=Top&ambassadorOptIn=1',
    });
    expect(answered.statusCode, answered.body).toBe(303);
    const register = await owner.request({ url: '/api/v1/ambassadors' });
    const id = register.json<{ items: { id: string }[] }>().items[0]?.id;
    const detail = await owner.request({ url: `/api/v1/ambassadors/${id}` });
    const link = new URL(detail.json<{ linkUrl: string }>().linkUrl).pathname;
    await app.inject({ url: link });

    // Two friends leave their details: one fine, one with a throwaway address (to review).
    for (const body of [
      'name=Karin+Bakker&email=karin%40example.nl&phone=&consent=1',
      'name=Kees+Wegwerp&email=kees%40mailinator.com&phone=&consent=1',
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: link,
        headers: FORM,
        payload: asPersonSends({ deps, clock }, organisationId, link, body),
      });
      expect(res.statusCode, res.body).toBe(303);
    }
    // Both become customers: the workshop system sends their first paid visit, an hour ago, which
    // converts each lead (and so counts as revenue from referrals).
    for (const [name, email] of [
      ['Karin Bakker', 'karin@example.nl'],
      ['Kees Wegwerp', 'kees@mailinator.com'],
    ]) {
      await buildContact(db.kysely, organisationId, { name, email, created_at: clock.now });
    }
    const visits = await owner.request({
      method: 'POST',
      url: '/api/v1/visits/batch',
      payload: {
        visits: ['karin@example.nl', 'kees@mailinator.com'].map((email) => ({
          customer: { email },
          visitedAt: new Date(clock.now - 3_600_000).toISOString(),
          amount: 89,
        })),
      },
    });
    expect(visits.statusCode, visits.body).toBe(200);
    const converted = await owner.request({ url: '/api/v1/referrals?status=converted' });
    expect(converted.json<{ items: unknown[] }>().items).toHaveLength(2);
    await drain();

    browser = await launchBrowser();
    page = await newPage(browser, baseURL);
    page.setDefaultTimeout(30_000);
    close = async () => {
      await browser.close();
      closeMailTransports();
      await app.close();
      await db.close();
    };
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill(OWNER.email);
    await page.getByLabel('Wachtwoord').fill(OWNER.password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('navigation').waitFor(WAIT);
  }, 120_000);
  afterAll(async () => close());

  const nav = async (name: string) => {
    await page.setViewportSize(DESKTOP);
    await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  };

  /** On a phone the screen's content is all there and nothing scrolls sideways. */
  async function fitsOnPhone(name: string) {
    await page.setViewportSize(PHONE);
    await screenshot(page, `admin-ambassadors-${name}-390-${dialect}`);
    // What sticks out, named, so a failure says which element to fix.
    const wide = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => {
            if (e.closest('.skip-link, .sr-only')) return false;
            const r = e.getBoundingClientRect();
            return r.right + window.scrollX > window.innerWidth + 1 || r.left + window.scrollX < -1;
          })
          .filter((e) => !e.parentElement?.closest('.table-wrap'))
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
          .slice(0, 5),
      );
    await expect.poll(wide, { timeout: 15_000 }).toEqual([]);
    expect(
      await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]),
    ).toEqual([390, 390]);
    await page.setViewportSize(DESKTOP);
  }

  /** The register with the consent record; a known fan added by hand; pause and resume. */
  async function register() {
    await nav('Ambassadeurs');
    const table = page.getByTestId('register-table');
    const jan = table.locator('tbody tr', { hasText: 'Jan de Vries' });
    await jan.waitFor(WAIT);
    expect(await jan.textContent()).toContain('zelf aangemeld in de enquête');
    expect(await jan.locator('td').nth(2).textContent()).toBe('10');
    expect(await jan.locator('td').nth(4).textContent()).toBe('2');
    await fitsOnPhone('register');

    // Thank-you tasks: Jan joined and brought two friends; one thank-you ticked done and undone.
    const tasks = page.getByTestId('thank-you-tasks');
    const welcome = tasks
      .getByTestId('thank-you-task')
      .filter({ hasText: 'Bedank Jan de Vries: nieuwe ambassadeur' });
    await welcome.waitFor(WAIT);
    expect(
      await tasks
        .getByTestId('thank-you-task')
        .filter({ hasText: 'Bedank Jan de Vries: bracht een vriend mee' })
        .count(),
    ).toBe(2);
    await welcome.getByText('Voorbeeldtekst').click();
    await welcome
      .getByText('Beste Jan, wat fijn dat u ons wilt aanraden.', { exact: false })
      .waitFor(WAIT);
    await welcome.getByRole('button', { name: 'Gedaan' }).click();
    await expect.poll(() => welcome.count(), { timeout: 15_000 }).toBe(0);
    await tasks.getByLabel('Toon afgeronde bedankjes').check();
    const done = tasks.getByTestId('thank-you-task').filter({ hasText: 'nieuwe ambassadeur' });
    await done.getByRole('button', { name: 'Ongedaan maken' }).click();
    await expect.poll(() => done.count(), { timeout: 15_000 }).toBe(0);
    await tasks.getByLabel('Toon afgeronde bedankjes').uncheck();
    await welcome.waitFor(WAIT);

    await page.getByLabel('Zoek de klant (naam, e-mail of telefoon)').fill('Els');
    await page.getByRole('button', { name: /Els Jansen/ }).click();
    await page.getByLabel('Hoe gaf de klant toestemming?').fill('Aan de balie gevraagd, 3 maart');
    await page.getByRole('button', { name: 'Toevoegen als ambassadeur' }).click();
    await page.getByText('Els Jansen staat nu in het register.').waitFor(WAIT);
    const els = table.locator('tbody tr', { hasText: 'Els Jansen' });
    await els.waitFor(WAIT);
    expect(await els.textContent()).toContain('toegevoegd door een medewerker');

    await jan.getByRole('link', { name: 'Jan de Vries' }).click();
    const consent = page.getByTestId('consent-record');
    await consent.waitFor(WAIT);
    expect(await consent.textContent()).toContain(
      '“Wilt u zich bekendmaken als ambassadeur van Garage De Vries?”',
    );
    expect(await page.getByTestId('score-history').textContent()).toContain('10');
    await fitsOnPhone('detail');
    await page.getByRole('button', { name: 'Pauzeren' }).click();
    await page.getByText('Gepauzeerd: vrienden zien dat er nu geen actie loopt.').waitFor(WAIT);
    await page.getByRole('button', { name: 'Weer actief maken' }).click();
    await page.getByText('Weer actief.').waitFor(WAIT);
  }

  /** A suspicious conversion explained in words, approved with a reason (none: refused). */
  async function review() {
    await nav('Aanbevelingen');
    const item = page.getByTestId('review-item').filter({ hasText: 'Kees Wegwerp' });
    await item.waitFor(WAIT);
    expect(await item.textContent()).toContain('mailinator.com');
    const leads = page.getByTestId('lead-list');
    expect(await leads.textContent()).toContain('Karin Bakker');
    expect(await leads.textContent()).toContain('karin@example.nl');
    await fitsOnPhone('leads');

    // No reason: refused, nothing decided.
    await item.getByRole('button', { name: 'Goedkeuren' }).click();
    await item.locator('.field-error').waitFor(WAIT);
    await item.getByLabel('Reden').fill('Gebeld: bestaande vriend, echt adres gekregen');
    await item.getByRole('button', { name: 'Goedkeuren' }).click();
    await page.getByTestId('review-empty').waitFor(WAIT);
  }

  /** The ledger with count and cost per status; an issued voucher printed. */
  async function ledger() {
    clock.now += 15 * DAY;
    await drain();
    await nav('Beloningen');
    const totals = page.getByTestId('reward-totals');
    await totals.waitFor(WAIT);
    const rows = page.getByTestId('reward-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    // Karin's reward ran its hold; Kees's was approved after the hold had run too.
    await expect
      .poll(async () => (await totals.textContent()) ?? '', { timeout: 15_000 })
      .toContain('uitgegeven2Kosten € 70');
    await fitsOnPhone('ledger');
    await rows
      .filter({ hasText: 'Karin Bakker' })
      .getByRole('button', { name: 'Bon afdrukken' })
      .click();
    const voucher = page.getByTestId('voucher');
    await voucher.waitFor(WAIT);
    expect(await voucher.textContent()).toContain('Een gratis APK-keuring');
    expect(await voucher.textContent()).toContain('Voor Jan de Vries');
    // The QR code is drawn a moment after the voucher itself (it is made in an effect).
    await expect.poll(() => voucher.locator('svg').count(), { timeout: 30_000 }).toBe(1);
    await screenshot(page, `admin-ambassadors-voucher-${dialect}`);
    const code = (await voucher.locator('.voucher-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await redeemAtCounter(code);
  }

  /** At the counter on a phone: the code checked, its worth and holder shown, redeemed once. */
  async function redeemAtCounter(code: string) {
    await page.setViewportSize(PHONE);
    await page.getByRole('navigation').getByRole('link', { name: 'Bon inwisselen' }).click();
    const field = page.getByLabel('Code van de bon');
    await field.fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Controleren' }).click();
    const found = page.getByTestId('voucher-found');
    await found.waitFor(WAIT);
    expect(await found.textContent()).toContain('Een gratis APK-keuring');
    expect(await found.textContent()).toContain('Voor Jan de Vries');
    await fitsOnPhone('redeem');
    await page.setViewportSize(PHONE);
    await found.getByRole('button', { name: 'Inwisselen' }).click();
    await page
      .getByTestId('redeem-done')
      .getByText('Ingewisseld: Een gratis APK-keuring. De bon is nu gebruikt.')
      .waitFor(WAIT);
    // The same voucher a second time: refused, in plain words, with the day it was used.
    await field.fill(code);
    await page.getByRole('button', { name: 'Controleren' }).click();
    const problem = page.getByTestId('redeem-problem');
    await problem.waitFor(WAIT);
    expect(await problem.textContent()).toMatch(
      /^Deze bon is al ingewisseld op .+ en kan niet nog eens gebruikt worden\.$/,
    );
    expect(await page.getByRole('button', { name: 'Inwisselen' }).count()).toBe(0);
    await screenshot(page, `admin-ambassadors-redeem-refused-390-${dialect}`);
    await page.setViewportSize(DESKTOP);
  }

  /** The programme saved: offer, double-sided reward, a milestone and the hold period. */
  async function programme() {
    await nav('Ambassadeursprogramma');
    const offer = page.getByLabel('Het aanbod aan ambassadeurs');
    await offer.waitFor(WAIT);
    await offer.fill('Voor elke nieuwe klant: een gratis APK-keuring en onze dank.');
    await page.getByLabel('Ook de vriend krijgt een welkomstcadeau (tweezijdig)').check();
    const friend = page.getByTestId('reward-friend');
    await friend.getByLabel('Soort').selectOption('discount');
    await friend.getByLabel('Omschrijving').fill('10 % korting op de eerste beurt');
    await friend.getByLabel('Wat het u kost (€)').fill('20');
    await page.getByRole('button', { name: 'Mijlpaal toevoegen' }).click();
    const milestone = page.getByTestId('reward-milestone-0');
    await milestone.getByLabel('Omschrijving').fill('Een gratis wasbeurt');
    await page.getByLabel('Wachttijd (dagen)').fill('21');
    await fitsOnPhone('programme');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByText('Opgeslagen.').waitFor(WAIT);

    const saved = (await owner.request({ url: '/api/v1/referral-programme' })).json<{
      settings: {
        offer: string;
        holdDays: number;
        friendReward: { kind: string; costCents: number } | null;
        milestones: { friends: number; reward: { description: string } }[];
      };
    }>().settings;
    expect(saved.offer).toBe('Voor elke nieuwe klant: een gratis APK-keuring en onze dank.');
    expect(saved.holdDays).toBe(21);
    expect(saved.friendReward).toMatchObject({ kind: 'discount', costCents: 2000 });
    expect(saved.milestones.map((m) => [m.friends, m.reward.description])).toEqual([
      [3, 'Een gratis wasbeurt'],
    ]);
  }

  /** The programme in figures, per ambassador, and the pool against the promoters. */
  async function dashboard() {
    await nav('Ambassadeursprogramma');
    await page.getByRole('link', { name: 'Programma in cijfers' }).click();
    const tiles = page.getByTestId('programme-tiles');
    await tiles.waitFor(WAIT);
    const text = (await tiles.textContent()) ?? '';
    expect(text).toContain('Aanmeldingen2');
    expect(text).toContain('Nieuwe klanten2');
    expect(text).toContain('Omzet uit aanbevelingen€ 178');
    const jan = page.getByTestId('per-ambassador').locator('tbody tr', { hasText: 'Jan de Vries' });
    expect(await jan.locator('td').nth(1).textContent()).toBe('1');
    expect(await jan.locator('td').nth(3).textContent()).toBe('2');
    const pool = page.getByTestId('pool-table').locator('tbody tr').last();
    expect(await pool.locator('td').nth(1).textContent()).toBe('2');
    // The month as a reader writes it ("dec 2026"), not the API's "2026-12".
    expect(await pool.locator('td').first().textContent()).toMatch(/^[a-z]{3} \d{4}$/);
    await fitsOnPhone('dashboard');
  }

  // One story, so its steps keep their order however the suite is shuffled.
  it('walks the register, the review queue, the ledger, the settings and the dashboard', async () => {
    await register();
    await review();
    await ledger();
    await programme();
    await dashboard();
  }, 600_000);
});
