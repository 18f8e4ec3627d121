import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker, type Worker } from '../../src/platform/jobs/worker.ts';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { newPage, screenshot } from '../support/browser.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, type Client } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * The NPS loop end to end, as issue 3 states it: a survey is sent to three contacts over a real SMTP
 * server; the emails that arrive carry the unsubscribe headers and a plain-text part; one customer
 * follows the score link in headless Chromium, answers the follow-up and opts in as ambassador; the
 * owner then sees the NPS, its interval and the comment in the admin app.
 */
const COMMENT = 'Snel geholpen en eerlijk advies over de remmen.';

describeEachDialect('the NPS loop over SMTP and in the browser', (dialect) => {
  let admin: AdminApp;
  let smtp: TestSmtpServer;
  let worker: Worker;
  let owner: Client;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    admin = await startAdminApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <nps@loyaal.test>',
    });
    // Links in the emails point at this server.
    admin.deps.config.publicUrl = admin.baseURL;
    owner = await buildOrganisation(admin, 'Garage De Vries');
    worker = startWorker(admin.deps, { concurrency: 2, pollMs: 50 });
  });
  afterAll(async () => {
    await worker.stop();
    await admin.close();
    // The pooled SMTP connections, closed first: the server would otherwise wait its 30 s close
    // timeout for them.
    closeMailTransports();
    await smtp.close();
  });

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
    const customer = await newPage(admin.browser, admin.baseURL);
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

    const stored = await admin.db.kysely
      .selectFrom('responses')
      .select(['score', 'category', 'comment', 'ambassador_opt_in'])
      .execute();
    expect(stored).toEqual([
      { score: 9, category: 'promoter', comment: COMMENT, ambassador_opt_in: 1 },
    ]);

    // The owner sees NPS, interval and the comment in the admin app.
    const page = await logIn(admin, owner.email);
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
