import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { startWorker, type Worker } from '../../src/platform/jobs/worker.ts';
import { buildApp } from '../../src/server/app.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { login, type Client } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import { platform } from '../../src/server/start.ts';

/**
 * The NPS loop end to end, as issue 3 states it: a survey is sent to three contacts over a real SMTP
 * server; the emails that arrive carry the unsubscribe headers and a plain-text part; one customer
 * follows the score link in headless Chromium, answers the follow-up and opts in as ambassador; the
 * owner then sees the NPS, its interval and the comment in the admin app.
 */
const OWNER = { email: 'eigenaar@garagedevries.nl', password: 'correct horse battery' };
const COMMENT = 'Snel geholpen en eerlijk advies over de remmen.';

describeEachDialect('the NPS loop over SMTP and in the browser', (dialect) => {
  let db: Db;
  let smtp: TestSmtpServer;
  let worker: Worker;
  let browser: Browser;
  let baseURL: string;
  let owner: Client;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    smtp = await startSmtpServer();
    const config = loadConfig({
      LOGIN_RATE_LIMIT: '1000',
      WORKER: 'off',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <nps@loyaal.test>',
    });
    const deps = { db, config, now: () => Date.now(), platform };
    await db.kysely
      .transaction()
      .execute((trx) =>
        createOrganisationWithOwner(
          trx,
          { organisationName: 'Garage De Vries', locale: 'nl', name: 'Piet de Vries', ...OWNER },
          Date.now(),
        ),
      );
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // Links in the emails point at this server.
    config.publicUrl = baseURL;
    worker = startWorker(deps, { concurrency: 2, pollMs: 50 });
    browser = await launchBrowser();
    owner = await login(
      { app, db, deps, clock: { now: Date.now() }, close: async () => {} },
      OWNER.email,
      OWNER.password,
    );
    close = async () => {
      await browser.close();
      await worker.stop();
      await app.close();
      // The pooled SMTP connections, closed first: the server would otherwise wait its 30 s close
      // timeout for them.
      closeMailTransports();
      await smtp.close();
      await db.close();
    };
  });
  afterAll(async () => close());

  it('sends three invitations, records one answer with comment and opt-in, and shows the NPS', async () => {
    for (const [name, email] of [
      ['Renée Çelik-Smit', 'renee@voorbeeld.nl'],
      ["Zoë van 't Hof", 'zoe@voorbeeld.nl'],
      ['Jan Jansen', 'jan@voorbeeld.nl'],
    ] as const) {
      const res = await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { name, email },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'Klanttevredenheid werkplaats', status: 'active' },
    });
    expect(survey.statusCode, survey.body).toBe(201);
    const surveyId = survey.json<{ id: string }>().id;
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
    });
    expect(send.statusCode, send.body).toBe(201);

    // Three emails arrive at the SMTP server, one per contact, each research-only and unsubscribable.
    await smtp.waitFor(3, 20_000);
    expect(smtp.received.flatMap((m) => m.envelopeTo).sort()).toEqual([
      'jan@voorbeeld.nl',
      'renee@voorbeeld.nl',
      'zoe@voorbeeld.nl',
    ]);
    for (const mail of smtp.received) {
      expect(mail.headers.get('list-unsubscribe')).toMatch(
        /<http:\/\/127\.0\.0\.1:\d+\/u\/[A-Za-z0-9_-]+>/,
      );
      expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(mail.contentType).toContain('multipart/alternative');
      expect(mail.parts().map((p) => p.contentType.split(';')[0])).toEqual([
        'text/plain',
        'text/html',
      ]);
      expect(mail.from).toContain('Garage De Vries');
      expect(mail.text()).toContain('?score=10');
    }

    // Zoë clicks 9 in her email and answers in the browser.
    const zoe = smtp.received.find((m) => m.envelopeTo.includes('zoe@voorbeeld.nl'));
    const link = /(http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]+\?score=9)\b/.exec(
      zoe?.text() ?? '',
    )?.[1];
    expect(link).toBeTruthy();
    const customer = await newPage(browser, baseURL);
    await customer.goto(link ?? '');
    expect(await customer.locator('input[name="score"][value="9"]').isChecked()).toBe(true);
    await customer
      .getByLabel('Wat is de belangrijkste reden dat u Garage De Vries aanbeveelt?')
      .fill(COMMENT);
    await customer
      .getByLabel('Wilt u zich bekendmaken als ambassadeur van Garage De Vries?')
      .check();
    await customer.getByRole('button', { name: 'Verstuur' }).click();
    await customer.getByRole('heading', { name: 'Bedankt' }).waitFor();
    await customer.context().close();

    const stored = await db.kysely
      .selectFrom('responses')
      .select(['score', 'category', 'comment', 'ambassador_opt_in'])
      .execute();
    expect(stored).toEqual([
      { score: 9, category: 'promoter', comment: COMMENT, ambassador_opt_in: 1 },
    ]);

    // The owner sees NPS, interval and the comment in the admin app.
    const page = await newPage(browser, baseURL);
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill(OWNER.email);
    await page.getByLabel('Wachtwoord').fill(OWNER.password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Resultaten' }).click();
    await expect
      .poll(() => page.getByTestId('nps-value').textContent(), { timeout: 20_000 })
      .toBe('+100');
    const card = (await page.getByTestId('nps-card').textContent()) ?? '';
    expect(card).toMatch(/Met 95% zekerheid ligt de echte NPS tussen -?\d+ en \+?\d+\./);
    expect(card).toContain('Op basis van 1 antwoord.');
    await page.getByRole('navigation').getByRole('link', { name: 'Reacties' }).click();
    await page.getByText(COMMENT).waitFor();
    await screenshot(page, `nps-loop-responses-${dialect}`);
  }, 90_000);
});
