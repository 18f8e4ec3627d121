import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { newId } from '../../src/shared/ids.ts';
import { launchBrowser, newPage } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import {
  buildContact,
  buildEmployee,
  buildInvitation,
  buildResponse,
  buildSurvey,
} from '../support/factories.ts';
import { buildMember, buildOrganisation, TEST_PASSWORD, type TestApp } from '../support/harness.ts';
import { checkOnPhone, DESKTOP } from './first-day.helpers.ts';

const DAY = 86_400_000;

/**
 * Working a case in the admin app, as an account manager does it: the inbox shows her own cases
 * only (an overdue one marked, the "overdue" filter narrows to it), the case screen shows what the
 * customer said and their whole history; "call" records the contact moment, a note and "resolved"
 * land in the log with her name. A manager sees the team's cases. Checked on a laptop and a phone.
 */
describeInBrowserOnce('the case inbox and the case screen in the browser', (dialect) => {
  let db: Db;
  let browser: Browser;
  let baseURL: string;
  let t: TestApp;
  let close: () => Promise<void>;
  let sanneEmail: string;
  let managerEmail: string;
  let ingridCase: string;
  let henkCase: string;
  let org: string;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off' });
    const deps: Deps = { db, config, now: () => Date.now(), platform };
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    t = { app, db, deps, clock: { now: Date.now() }, close: async () => {} };
    browser = await launchBrowser();
    close = async () => {
      await browser.close();
      await app.close();
      await db.close();
    };

    const owner = await buildOrganisation(t, 'Garage De Vries');
    org = owner.organisationId;
    const k = db.kysely;
    const survey = await buildSurvey(k, org, { name: 'Werkplaats 2026' });
    const sanne = await buildEmployee(k, org, { name: 'Sanne de Boer', team: 'Werkplaats' });
    const piet = await buildEmployee(k, org, { name: 'Piet Bakker', team: 'Werkplaats' });
    const chef = await buildEmployee(k, org, { name: 'Chef Werkplaats', team: 'Werkplaats' });
    sanneEmail = (await buildMember(t, org, 'account_manager', sanne.id)).email;
    managerEmail = (await buildMember(t, org, 'manager', chef.id)).email;

    const now = Date.now();
    const answer = async (
      ownerId: string,
      name: string,
      score: number,
      comment: string,
      extra: object = {},
    ) => {
      const contact = await buildContact(k, org, {
        name,
        phone: '06-12345678',
        owner_employee_id: ownerId,
        consent_status: 'granted',
        consent_at: now - 400 * DAY,
        ...extra,
      });
      const inv = await buildInvitation(
        k,
        { organisationId: org, surveyId: survey.id, contactId: contact.id },
        { planned_at: now - DAY, expires_at: now + 30 * DAY },
      );
      const res = await app.inject({
        method: 'POST',
        url: `/r/${inv.token}`,
        payload: { score, comment, mayContact: true },
      });
      expect(res.statusCode, res.body).toBe(200);
      const row = await k
        .selectFrom('cases')
        .select('id')
        .where('contact_id', '=', contact.id)
        .executeTakeFirstOrThrow();
      return { contact, caseId: row.id };
    };
    const ingrid = await answer(sanne.id, 'Ingrid Jansen', 3, 'Auto was niet klaar op tijd.');
    ingridCase = ingrid.caseId;
    // A year ago Ingrid was a promoter: the history shows it.
    await buildResponse(
      k,
      { organisationId: org, surveyId: survey.id },
      {
        contact_id: ingrid.contact.id,
        score: 9,
        comment: 'Altijd prima geholpen.',
        answered_at: now - 365 * DAY,
      },
    );
    const henk = await answer(sanne.id, 'Henk Visser', 2, 'Rekening klopte niet.');
    henkCase = henk.caseId;
    // Henk's first-contact time has passed.
    await k
      .updateTable('cases')
      .set({ due_at: now - 3_600_000 })
      .where('id', '=', henk.caseId)
      .execute();
    await answer(piet.id, 'Kees de Wit', 4, 'Lang moeten wachten.');
  });
  afterAll(async () => close());

  async function logIn(email: string): Promise<Page> {
    const page = await newPage(browser, baseURL);
    page.setDefaultTimeout(30_000);
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Opvolging' }).click();
    return page;
  }

  /** The case's status badge, with any error the screen shows (so a failure names its cause). */
  const caseStatus = async (page: Page) => {
    const alerts = await page.getByRole('alert').allTextContents();
    const status = (await page.getByTestId('case-status').textContent()) ?? '';
    return [status, ...alerts].join(' | ');
  };

  /** Clicks a control that posts to the API and waits for the API's answer. */
  async function clickAndAwait(page: Page, control: Locator, path: string): Promise<void> {
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().includes(path),
      { timeout: 30_000 },
    );
    await control.click();
    await answered;
  }

  /**
   * A phone or mail program takes over `tel:` and `mailto:` links on a real device. Headless
   * Chromium has none: it would raise its "open external application" prompt, which then swallows
   * every later click and key press. The page stops the browser's own handling of those links
   * (as the phone's dialer would take it); the app's click handler still runs.
   */
  async function actAsDialer(page: Page): Promise<void> {
    await page.evaluate(() => {
      document.addEventListener(
        'click',
        (e) => {
          const a = (e.target as Element | null)?.closest('a');
          if (a && /^(tel|mailto):/.test(a.getAttribute('href') ?? '')) e.preventDefault();
        },
        true,
      );
    });
  }

  const rowNames = (page: Page) =>
    page.getByTestId('cases-table').locator('tbody tr td:first-child a').allTextContents();

  it('shows an account manager her own cases, overdue first, and lets her work one to resolved', async () => {
    const page = await logIn(sanneEmail);
    await expect
      .poll(() => rowNames(page), { timeout: 30_000 })
      .toEqual(['Henk Visser', 'Ingrid Jansen']);
    const henkRow = page.getByTestId('cases-table').locator('tbody tr').first();
    expect(await henkRow.textContent()).toContain('te laat');
    await checkOnPhone(page, `admin-cases-inbox-${dialect}`);

    await page.getByLabel('Toon').selectOption('overdue');
    await expect.poll(() => rowNames(page), { timeout: 30_000 }).toEqual(['Henk Visser']);
    await page.getByLabel('Toon').selectOption('active');
    await expect.poll(() => rowNames(page), { timeout: 30_000 }).toHaveLength(2);

    await page.getByRole('link', { name: 'Ingrid Jansen' }).click();
    await page.getByRole('heading', { name: 'Ingrid Jansen' }).waitFor();
    expect(await page.getByText('Auto was niet klaar op tijd.').first().isVisible()).toBe(true);
    const answers = (await page.getByTestId('case-answers').textContent()) ?? '';
    expect(answers).toContain('Altijd prima geholpen.');
    expect(answers).toMatch(/^3 · .*9 · /);
    expect(await page.getByTestId('case-invitations').textContent()).toContain('Werkplaats 2026');
    expect(await page.getByTestId('case-consent').textContent()).toContain('gegeven');
    await checkOnPhone(page, `admin-case-open-${dialect}`);
    await page.setViewportSize(DESKTOP);

    // A reply template is filled with the customer's name.
    await page.getByLabel('Antwoordsjabloon').selectOption('solved');
    await expect
      .poll(() => page.getByTestId('case-template').textContent(), { timeout: 15_000 })
      .toContain('Beste Ingrid Jansen,');
    expect(await page.getByTestId('case-mail').getAttribute('href')).toMatch(
      /^mailto:klant-.+@example\.nl\?subject=Is%20alles%20naar%20wens%20opgelost%3F&body=Beste%20Ingrid/,
    );

    // "Call" records the contact moment.
    await actAsDialer(page);
    expect(await page.getByTestId('case-call').getAttribute('href')).toBe('tel:0612345678');
    await clickAndAwait(page, page.getByTestId('case-call'), '/contact-moments');
    await expect.poll(() => caseStatus(page), { timeout: 30_000 }).toBe('gecontacteerd');
    expect(await page.getByTestId('case-log').textContent()).toContain('Gebeld · account_manager');

    await page.getByLabel('Nieuwe notitie').fill('Nieuwe afspraak gemaakt voor dinsdag.');
    await clickAndAwait(page, page.getByRole('button', { name: 'Notitie toevoegen' }), '/notes');
    await page.getByTestId('case-log').getByText('Nieuwe afspraak gemaakt voor dinsdag.').waitFor();

    await page.getByLabel('Toelichting (optioneel)').fill('Auto gratis gewassen.');
    await clickAndAwait(
      page,
      page.getByRole('button', { name: 'Opgelost', exact: true }),
      '/status',
    );
    await expect.poll(() => caseStatus(page), { timeout: 30_000 }).toBe('opgelost');
    const log = (await page.getByTestId('case-log').textContent()) ?? '';
    expect(log).toContain('Status van gecontacteerd naar opgelost · account_manager');
    expect(log).toContain('Auto gratis gewassen.');
    await checkOnPhone(page, `admin-case-resolved-${dialect}`);

    const stored = await db.kysely
      .selectFrom('cases')
      .select(['status', 'first_contact_at', 'closed_at'])
      .where('id', '=', ingridCase)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('resolved');
    expect(stored.first_contact_at).not.toBeNull();
    expect(stored.closed_at).not.toBeNull();
    await page.context().close();
  }, 120_000);

  it('tells whoever opens a case that its escalation did not arrive, and why', async () => {
    // As the escalation job records it once its mail server stayed down through every attempt.
    await db.kysely
      .insertInto('case_events')
      .values({
        id: newId(),
        organisation_id: org,
        case_id: henkCase,
        at: Date.now(),
        type: 'escalation-failed',
        user_id: null,
        body: null,
        detail: JSON.stringify({ failure: 'unreachable', mails: 1 }),
      })
      .execute();
    const page = await logIn(managerEmail);
    await page.goto(`/admin/cases/${henkCase}`);
    await page
      .getByTestId('case-log')
      .getByText(
        'De escalatie naar de leidinggevende is niet aangekomen: neem zelf contact op met de ' +
          'klant. De mailserver was niet bereikbaar.',
      )
      .waitFor();
    await checkOnPhone(page, `admin-case-escalation-failed-${dialect}`);
    await page.context().close();
  }, 60_000);

  it('tells the account manager a customer was given that their case came along, and why', async () => {
    // Another wholesaler: Bakkerij Jansen is Sanne's company; Ingrid, without a manager of her
    // own, has an open case that went to Sanne as the company's manager. Then Ingrid gets Piet.
    const owner = await buildOrganisation(t, 'Groothandel De Wit');
    const k = db.kysely;
    const other = owner.organisationId;
    const sanne = await buildEmployee(k, other, { name: 'Sanne Groot' });
    const piet = await buildEmployee(k, other, { name: 'Piet Klein' });
    const pietEmail = (await buildMember(t, other, 'account_manager', piet.id)).email;
    const post = async (url: string, payload: Record<string, unknown>) => {
      const res = await owner.request({ method: 'POST', url, payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const jansen = await post('/api/v1/accounts', {
      name: 'Bakkerij Jansen',
      ownerEmployeeId: sanne.id,
    });
    const ingrid = await post('/api/v1/contacts', {
      name: 'Ingrid Jansen',
      email: 'ingrid@bakkerijjansen.nl',
      accountId: jansen,
    });
    const survey = await buildSurvey(k, other);
    const inv = await buildInvitation(
      k,
      { organisationId: other, surveyId: survey.id, contactId: ingrid },
      { planned_at: Date.now() - DAY, expires_at: Date.now() + 30 * DAY },
    );
    const answer = await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      payload: { score: 3, comment: 'Levering weer te laat' },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const moved = await owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${ingrid}`,
      payload: { ownerEmployeeId: piet.id },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const { id } = await k
      .selectFrom('cases')
      .select('id')
      .where('contact_id', '=', ingrid)
      .executeTakeFirstOrThrow();

    const page = await logIn(pietEmail);
    await page.goto(`/admin/cases/${id}`);
    await page
      .getByTestId('case-log')
      .getByText('Naar de eigen accountmanager die de klant kreeg (gaat voor die van het bedrijf)')
      .waitFor();
    await page.context().close();
  }, 60_000);

  it('shows a manager the whole team’s cases', async () => {
    const page = await logIn(managerEmail);
    await page.getByLabel('Toon').selectOption('all');
    await expect
      .poll(async () => (await rowNames(page)).sort(), { timeout: 30_000 })
      .toEqual(['Henk Visser', 'Ingrid Jansen', 'Kees de Wit']);
    await page.getByLabel('Alleen mijn zaken').check();
    // No rows only once the list has come (its empty state): a table not drawn yet has none either.
    await page.getByText('Niets op te volgen').waitFor();
    expect(await rowNames(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('lets a manager hand a case to a colleague on the case screen, and an account manager not', async () => {
    // An organisation of its own: the other tests count this one's cases and owners.
    const owner = await buildOrganisation(t, 'Autobedrijf Smit');
    const k = db.kysely;
    const other = owner.organisationId;
    const wim = await buildEmployee(k, other, { name: 'Wim Smit', team: 'Verkoop' });
    const sanne = await buildEmployee(k, other, { name: 'Sanne de Boer', team: 'Verkoop' });
    const chef = await buildEmployee(k, other, { name: 'Chef Verkoop', team: 'Verkoop' });
    const managerEmail = (await buildMember(t, other, 'manager', chef.id)).email;
    const sanneEmail = (await buildMember(t, other, 'account_manager', sanne.id)).email;
    const contact = await buildContact(k, other, {
      name: 'Kees de Wit',
      owner_employee_id: wim.id,
    });
    const survey = await buildSurvey(k, other);
    const inv = await buildInvitation(
      k,
      { organisationId: other, surveyId: survey.id, contactId: contact.id },
      { planned_at: Date.now() - DAY, expires_at: Date.now() + 30 * DAY },
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      payload: { score: 2, comment: 'Niemand belde terug.' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const kees = await k
      .selectFrom('cases')
      .select('id')
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    const page = await logIn(managerEmail);
    await page.goto(`/admin/cases/${kees.id}`);
    await page.getByRole('heading', { name: 'Kees de Wit' }).waitFor();
    const assignTo = page.getByLabel('Toewijzen aan');
    await expect.poll(() => assignTo.inputValue(), { timeout: 30_000 }).not.toBe('');
    await assignTo.selectOption({ label: 'Sanne de Boer' });
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'PUT' && r.url().endsWith('/owner'),
      { timeout: 30_000 },
    );
    await page.getByRole('button', { name: 'Toewijzen', exact: true }).click();
    expect((await answered).status()).toBe(200);
    await expect
      .poll(() => page.getByTestId('case-owner').textContent(), { timeout: 30_000 })
      .toBe('Sanne de Boer');
    expect(await page.getByTestId('case-log').textContent()).toContain(
      'Toegewezen aan Sanne de Boer · manager',
    );
    await checkOnPhone(page, `admin-case-assign-${dialect}`);
    const stored = await db.kysely
      .selectFrom('cases')
      .innerJoin('employees', 'employees.id', 'cases.owner_employee_id')
      .select('employees.name')
      .where('cases.id', '=', kees.id)
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe('Sanne de Boer');
    // Sanne works the case now, but handing cases out is a manager's: no control for her.
    const sannePage = await logIn(sanneEmail);
    await sannePage.goto(`/admin/cases/${kees.id}`);
    await sannePage.getByTestId('case-owner').waitFor();
    expect(await sannePage.getByLabel('Toewijzen aan').count()).toBe(0);
    await sannePage.context().close();

    // Left unassigned, the case has no team: it is stored, and out of the team manager's sight.
    await page.getByLabel('Toewijzen aan').selectOption({ label: 'Niet toegewezen' });
    await page.getByRole('button', { name: 'Toewijzen', exact: true }).click();
    await page.getByRole('heading', { name: 'Zaak overgedragen' }).waitFor();
    // Left unassigned, not assigned to anyone: the page does not say it was assigned.
    expect(await page.locator('main').textContent()).toContain('Uw wijziging is opgeslagen.');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain('Niet gevonden');
    await page.getByRole('link', { name: 'Naar Opvolging' }).waitFor();
    const unassigned = await db.kysely
      .selectFrom('cases')
      .select('owner_employee_id')
      .where('id', '=', kees.id)
      .executeTakeFirstOrThrow();
    expect(unassigned.owner_employee_id).toBeNull();
    await page.context().close();
  }, 90_000);
});
