import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { lapsedPromoterSweepJob } from '../../src/modules/loyalty/loyalty.jobs.ts';
import { enqueue } from '../../src/platform/jobs/define-job.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import {
  TEST_PASSWORD,
  buildOrganisation,
  login,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

/** A workshop system's export in Dutch formats, with three bad rows. */
const WORKSHOP_EXPORT = [
  'Klantnummer;Datum;Bedrag;Soort;Werkorder',
  'K-100;02-05-2026;€ 312,50;Onderhoud;W-1',
  'K-100;2-11-26;1.049,00;APK;W-2',
  'K-999;02-11-2026;10,00;APK;W-3',
  'K-100;31-11-2026;10,00;APK;W-4',
  'K-100;02-11-2026;-5,00;APK;W-5',
].join('\r\n');

const BOUNDARY = 'loyaal-story';
function multipart(filename: string, content: string) {
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
          'Content-Type: text/csv\r\n\r\n',
      ),
      Buffer.from(content),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]),
  };
}

const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * Issue 11, must-show 2: visits imported with bad rows → the triggered invitation arrives on the
 * SMTP server three days later → a second visit a week later triggers none, with its reason → the
 * customer answers as a promoter and then stays away → a lapsed-promoter task; the loyalty report
 * with its chart and the contact's visits in Chromium, at desktop width and at 390 px.
 */
describeInBrowserOnce('the loyalty story: import, ask after a visit, lapse', (dialect) => {
  describe('one garage over four months', { shuffle: false }, () => {
    let db: Db;
    let smtp: TestSmtpServer;
    let browser: Browser;
    let page: Page;
    let t: TestApp;
    let owner: Client;
    let anna: string;
    let base = '';
    let close: () => Promise<void> = async () => {};
    const drain = async () => {
      for (let i = 0; i < 3; i++) await startWorker(t.deps, { concurrency: 2 }, false).drain();
    };

    beforeAll(async () => {
      smtp = await startSmtpServer();
      db = await freshDatabase(dialect);
      const dataDir = mkdtempSync(join(tmpdir(), 'loyaal-story-'));
      const config = loadConfig({
        LOGIN_RATE_LIMIT: '1000',
        WORKER: 'off',
        DATA_DIR: dataDir,
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Garage De Vries <noreply@loyaal.test>',
        PUBLIC_URL: 'https://nps.example.nl',
        SESSION_DAYS: '90',
      });
      // Monday 2 November 2026, 08:00 in Amsterdam.
      const clock = { now: Date.UTC(2026, 10, 2, 7, 0) };
      const deps = { db, config, now: () => clock.now, platform };
      const app = await buildApp(deps, { serveAdmin: true });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      t = { app, db, deps, clock, close: async () => {} };
      owner = await buildOrganisation(t);
      // This story counts the customer's emails; the owner's Monday digest (on by default for an
      // owner, and 2 and 9 November are Mondays) has its own test in weekly-digest.test.ts.
      const digest = await owner.request({
        method: 'PUT',
        url: '/api/v1/me/weekly-digest',
        payload: { weeklyDigest: false },
      });
      expect(digest.statusCode, digest.body).toBe(200);
      const jan = await owner.request({
        method: 'POST',
        url: '/api/v1/employees',
        payload: { name: 'Jan Smit', email: 'jan@garage.example' },
      });
      const created = await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: {
          name: 'Anna de Wit',
          email: 'anna@example.nl',
          externalId: 'K-100',
          ownerEmployeeId: jan.json<{ id: string }>().id,
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      anna = created.json<{ id: string }>().id;
      const survey = await owner.request({
        method: 'POST',
        url: '/api/v1/surveys',
        payload: { name: 'Na de werkplaats', status: 'active' },
      });
      const trigger = await owner.request({
        method: 'PUT',
        url: '/api/v1/visit-trigger',
        payload: { surveyId: survey.json<{ id: string }>().id, enabled: true, delayDays: 3 },
      });
      expect(trigger.statusCode, trigger.body).toBe(200);
      browser = await launchBrowser();
      page = await newPage(browser, base);
      page.setDefaultTimeout(30_000);
      await page
        .context()
        .addCookies([
          { name: 'loyaal_session', value: owner.cookie.split('=')[1] ?? '', url: base },
        ]);
      close = async () => {
        await browser.close();
        await app.close();
        closeMailTransports();
        await db.close();
        await smtp.close();
        rmSync(dataDir, { recursive: true, force: true });
      };
    });
    afterAll(async () => close());

    const annasVisits = async () =>
      (await owner.request({ url: `/api/v1/contacts/${anna}/visits` })).json<{
        visits: {
          externalId: string;
          amount: number;
          invitation: {
            status: string | null;
            skipReason: string | null;
            explanation: string | null;
          };
        }[];
      }>().visits;

    it('imports the workshop export: Dutch amounts and dates, bad rows listed with line and reason', async () => {
      const upload = await owner.request({
        method: 'POST',
        url: '/api/v1/imports?kind=visits',
        ...multipart('werkplaats.csv', WORKSHOP_EXPORT),
      });
      expect(upload.statusCode, upload.body).toBe(201);
      const imp = upload.json<{ id: string; detected: { suggestedMapping: object } }>();
      await owner.request({
        method: 'POST',
        url: `/api/v1/imports/${imp.id}/validate`,
        payload: { mapping: imp.detected.suggestedMapping },
      });
      await drain();
      const errors = (await owner.request({ url: `/api/v1/imports/${imp.id}/errors` })).json<{
        items: { line: number; code: string }[];
      }>().items;
      expect(errors.map((e) => [e.line, e.code])).toEqual([
        [4, 'unknown_customer'],
        [5, 'date_invalid'],
        [6, 'amount_negative'],
      ]);
      const commit = await owner.request({
        method: 'POST',
        url: `/api/v1/imports/${imp.id}/commit`,
        payload: { mode: 'valid_only' },
      });
      expect(commit.statusCode, commit.body).toBe(200);
      await drain();
      const visits = await annasVisits();
      expect(visits.map((v) => [v.externalId, v.amount]).sort()).toEqual([
        ['W-1', 312.5],
        ['W-2', 1049],
      ]);
      // The May visit arrived long after it happened: it never triggers.
      expect(visits.find((v) => v.externalId === 'W-1')?.invitation.status).toBe('skipped');
      expect(visits.find((v) => v.externalId === 'W-2')?.invitation.status).toBe('planned');
      expect(smtp.received).toHaveLength(0);
    });

    it('sends the triggered invitation three days later, to the SMTP server', async () => {
      t.clock.now = Date.UTC(2026, 10, 4, 9, 0);
      await drain();
      expect(smtp.received).toHaveLength(0);
      // Thursday 5 November, 10:00 in Amsterdam.
      t.clock.now = Date.UTC(2026, 10, 5, 9, 5);
      await drain();
      expect(smtp.received.map((m) => m.envelopeTo)).toEqual([['anna@example.nl']]);
      const visit = (await annasVisits()).find((v) => v.externalId === 'W-2');
      expect(visit?.invitation.status).toBe('invited');
      // Anna answers a 9 through her link.
      const invitation = await db.kysely
        .selectFrom('invitations')
        .select('token')
        .where('contact_id', '=', anna)
        .executeTakeFirstOrThrow();
      const answer = await t.app.inject({
        method: 'POST',
        url: `/r/${invitation.token}`,
        payload: { score: 9 },
      });
      expect(answer.statusCode).toBe(200);
    });

    it('triggers no invitation for a second visit a week later, and says why', async () => {
      t.clock.now = Date.UTC(2026, 10, 9, 8, 0);
      const second = await owner.request({
        method: 'POST',
        url: '/api/v1/visits',
        payload: {
          externalId: 'W-6',
          customer: { externalId: 'K-100' },
          visitedAt: '2026-11-09',
          amount: 85,
          kind: 'Onderhoud',
        },
      });
      expect(second.statusCode, second.body).toBe(201);
      t.clock.now = Date.UTC(2026, 10, 12, 9, 5);
      await drain();
      const invitations = smtp.received.filter((m) => !/herinnering/i.test(m.subject));
      expect(invitations).toHaveLength(1);
      const visit = (await annasVisits()).find((v) => v.externalId === 'W-6');
      expect(visit?.invitation.status).toBe('skipped');
      // She answered a week ago: the contact rules let her rest, and the visit says so.
      expect(visit?.invitation.skipReason).toBe('responded_recently');
      const explanation = visit?.invitation.explanation ?? '';
      expect(explanation).not.toBe('');

      await page.goto(`/admin/contacts/${anna}`);
      const card = page.getByTestId('visits-card');
      await card.waitFor();
      await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain(explanation);
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => overflow(page), { timeout: 15_000 }).toBeLessThanOrEqual(0);
      await screenshot(page, `loyalty-story-contact-390-${dialect}`);
      await page.setViewportSize({ width: 1280, height: 860 });
    });

    it('makes one lapsed-promoter task when the promoter stays away past their usual interval', async () => {
      // Anna came on 2 May, 2 November and 9 November: about every 96 days. By March she is late.
      t.clock.now = Date.UTC(2027, 2, 10, 9, 0);
      // Four months on, the owner logs in again (sessions last at most 90 days).
      owner = await login(t, owner.email, TEST_PASSWORD);
      await page.context().clearCookies();
      await page
        .context()
        .addCookies([
          { name: 'loyaal_session', value: owner.cookie.split('=')[1] ?? '', url: base },
        ]);
      for (let i = 0; i < 2; i++) {
        await enqueue(
          db.kysely,
          lapsedPromoterSweepJob,
          {},
          { organisationId: null, now: t.clock.now + i },
        );
        await drain();
      }
      const tasks = (await owner.request({ url: '/api/v1/loyalty/tasks' })).json<{
        items: { contact: { id: string }; owner: { name: string } | null; intervalDays: number }[];
      }>().items;
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ contact: { id: anna }, owner: { name: 'Jan Smit' } });
      expect(tasks[0]?.intervalDays).toBeGreaterThan(90);
    });

    it('shows the loyalty report with its chart and the task, at desktop width and at 390 px', async () => {
      await page.goto('/admin/loyalty');
      await page.getByTestId('return-chart').waitFor();
      const task = page.getByTestId('lapsed-task');
      await expect.poll(() => task.count(), { timeout: 15_000 }).toBe(1);
      expect(await task.textContent()).toContain('Anna de Wit');
      expect(await task.textContent()).toContain('Jan Smit');
      await screenshot(page, `loyalty-story-report-${dialect}`);
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => overflow(page), { timeout: 15_000 }).toBeLessThanOrEqual(0);
      await screenshot(page, `loyalty-story-report-390-${dialect}`);
      await page.setViewportSize({ width: 1280, height: 860 });
      // Done: the task leaves the open list.
      await task.getByRole('button', { name: 'Afgehandeld' }).click();
      await expect.poll(() => task.count(), { timeout: 15_000 }).toBe(0);
    });
  });
});
