import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { startWorker, type Worker } from '../../src/platform/jobs/worker.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { buildContact, buildEmployee, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  TEST_PASSWORD,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The closed loop end to end (issue 9, must-show 1), over a real SMTP server and in headless
 * Chromium: a detractor answers → a case with owner and due time → the owner's alert arrives →
 * the owner marks the case contacted and resolved in the admin app → the follow-up invitation
 * arrives a day later → an answer of 9 marks the case won back → the case report shows it.
 * The server's clock runs with the wall clock plus a shift the test moves forward (the alert
 * waits two minutes for the comment, the follow-up a day).
 */
describeEachDialect('the closed loop: from a detractor to won back', (dialect) => {
  let db: Db;
  let smtp: TestSmtpServer;
  let worker: Worker;
  let browser: Browser;
  let baseURL: string;
  let owner: Client;
  let sanneEmail: string;
  let close: () => Promise<void>;
  let shift = 0;
  let org: string;
  let employeeId: string;
  let surveyId: string;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    smtp = await startSmtpServer();
    const config = loadConfig({
      LOGIN_RATE_LIMIT: '1000',
      WORKER: 'off',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <nps@loyaal.test>',
    });
    const deps: Deps = { db, config, now: () => Date.now() + shift, platform };
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // Links in the emails point at this server.
    config.publicUrl = baseURL;
    worker = startWorker(deps, { concurrency: 2, pollMs: 100 });
    browser = await launchBrowser();
    const t: TestApp = { app, db, deps, clock: { now: Date.now() }, close: async () => {} };
    owner = await buildOrganisation(t, 'Garage De Vries');
    org = owner.organisationId;
    const sanne = await buildEmployee(db.kysely, org, {
      name: 'Sanne de Boer',
      team: 'Werkplaats',
    });
    employeeId = sanne.id;
    sanneEmail = (await buildMember(t, org, 'account_manager', sanne.id)).email;
    surveyId = (await buildSurvey(db.kysely, org, { name: 'Werkplaats 2026' })).id;
    close = async () => {
      await browser.close();
      await worker.stop();
      await app.close();
      closeMailTransports();
      await smtp.close();
      await db.close();
    };
  });
  afterAll(async () => close());

  const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));

  async function waitForMail(address: string, count: number) {
    await expect
      .poll(() => mailsTo(address).length, { timeout: 60_000, interval: 200 })
      .toBeGreaterThanOrEqual(count);
    return mailsTo(address)[count - 1];
  }

  /** Opens a score link from an email and sends the answer in the customer's browser. */
  async function answerInBrowser(link: string, extra: (page: Page) => Promise<void>) {
    const page = await newPage(browser, baseURL);
    page.setDefaultTimeout(30_000);
    await page.goto(link);
    await extra(page);
    await Promise.all([
      page.waitForURL('**/thanks'),
      page.getByRole('button', { name: 'Verstuur' }).click(),
    ]);
    await page.context().close();
  }

  async function logIn(email: string): Promise<Page> {
    const page = await newPage(browser, baseURL);
    page.setDefaultTimeout(30_000);
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Opvolging' }).waitFor();
    return page;
  }

  /** Clicks a button that posts to the API and waits for the API's answer. */
  async function clickAndAwait(page: Page, control: Locator, path: string): Promise<void> {
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().includes(path),
      { timeout: 30_000 },
    );
    await control.click();
    await answered;
  }

  it('follows a detractor up to won back, and the case report shows it', async () => {
    const contact = await buildContact(db.kysely, org, {
      name: 'Ingrid Jansen',
      phone: '06-12345678',
      owner_employee_id: employeeId,
    });
    const customer = contact.email ?? '';
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: {
        selection: { kind: 'contacts', contactIds: [contact.id] },
        schedule: { kind: 'now' },
      },
    });
    expect(send.statusCode, send.body).toBe(201);

    // 1. The customer answers 3 in the browser, with a comment, and may be contacted.
    const invitation = await waitForMail(customer, 1);
    const link3 = /(http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]+\?score=3)\b/.exec(
      invitation?.text() ?? '',
    )?.[1];
    expect(link3).toBeTruthy();
    await answerInBrowser(link3 ?? '', async (page) => {
      await page.fill('#comment', 'De auto was niet op tijd klaar en niemand belde.');
      await page.check('#may-contact');
    });

    // 2. A case exists, owned by Sanne, with a due time in the future.
    const opened = await db.kysely
      .selectFrom('cases')
      .select(['id', 'owner_employee_id', 'due_at', 'opened_at', 'status'])
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(opened.owner_employee_id).toBe(employeeId);
    expect(opened.status).toBe('open');
    expect(opened.due_at).toBeGreaterThan(opened.opened_at);

    // 3. Two minutes later (the comment had time to arrive) Sanne's alert is on the SMTP server.
    shift += 3 * MINUTE;
    const alert = await waitForMail(sanneEmail, 1);
    expect(alert?.text()).toContain('De auto was niet op tijd klaar en niemand belde.');
    expect(alert?.text()).toContain('06-12345678');
    const caseLink = `${baseURL}/admin/cases/${opened.id}`;
    expect(alert?.text()).toContain(caseLink);

    // 4. Sanne opens the case from her alert and marks it contacted, then resolved.
    const page = await logIn(sanneEmail);
    await page.goto(caseLink);
    await page.getByRole('heading', { name: 'Ingrid Jansen' }).waitFor();
    await clickAndAwait(page, page.getByRole('button', { name: 'Gecontacteerd' }), '/status');
    await expect
      .poll(() => page.getByTestId('case-status').textContent(), { timeout: 30_000 })
      .toBe('gecontacteerd');
    await page.getByLabel('Toelichting (optioneel)').fill('Excuses gemaakt, auto gratis gewassen.');
    await clickAndAwait(
      page,
      page.getByRole('button', { name: 'Opgelost', exact: true }),
      '/status',
    );
    await expect
      .poll(() => page.getByTestId('case-status').textContent(), { timeout: 30_000 })
      .toBe('opgelost');
    await screenshot(page, `closed-loop-resolved-${dialect}`);
    await page.context().close();

    // 5. A day later the follow-up invitation arrives: "is your problem solved?".
    shift += 25 * HOUR;
    const followUp = await waitForMail(customer, 2);
    expect(followUp?.subject).toBe('Is uw probleem naar tevredenheid opgelost?');

    // 6. She answers 9 in the browser: the case is won back.
    const link9 = /(http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]+\?score=9)\b/.exec(
      followUp?.text() ?? '',
    )?.[1];
    expect(link9).toBeTruthy();
    await answerInBrowser(link9 ?? '', async () => {});
    await expect
      .poll(
        async () =>
          (
            await db.kysely
              .selectFrom('cases')
              .select('follow_up_score')
              .where('id', '=', opened.id)
              .executeTakeFirstOrThrow()
          ).follow_up_score,
        { timeout: 30_000 },
      )
      .toBe(9);

    // 7. The case report shows her won back (9+) with its interval.
    const report = await logIn(sanneEmail);
    await report.goto(`${baseURL}/admin/cases/report`);
    const won9 = report.getByTestId('won-back-9-all');
    await expect.poll(() => won9.textContent(), { timeout: 30_000 }).toMatch(/^100%/);
    expect(await report.getByTestId('won-back-7-all').textContent()).toMatch(
      /^100% \(\d+%–100%\)$/,
    );
    const row = (await report.getByTestId('report-row-all').textContent()) ?? '';
    expect(row).toMatch(/uur · .*werkdagen/);
    await screenshot(report, `closed-loop-report-${dialect}`);
    await report.context().close();
  }, 180_000);
});
