import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import {
  buildOrganisation,
  digestByRoleDefault,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { DESKTOP, PHONE, horizontalOverflow } from './first-day.helpers.ts';

/**
 * The weekly digest's unsubscribe link in real Chromium, on both databases: two Mondays bring the
 * owner two digests over a real SMTP server, each with its own link; the OLDER digest's link opens
 * the confirmation page (desktop and 390 px, no sideways scrolling), its button stops the digest,
 * and the newer digest's link then says it is stopped.
 */
describeInBrowserOnce('the weekly digest’s older unsubscribe link in Chromium', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let browser: Browser;
  let baseURL: string;
  let owner: Client;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.garage.test',
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
    t.clock.now = Date.parse('2026-11-29T12:00+01:00');
    owner = await buildOrganisation(t, 'Garage De Vries');
    await digestByRoleDefault(t, owner.organisationId);
    for (const monday of ['2026-11-30T07:05+01:00', '2026-12-07T07:05+01:00']) {
      t.clock.now = Date.parse(monday);
      await startWorker(t.deps, { concurrency: 2 }, false).drain();
    }
  }, 120_000);
  afterAll(async () => {
    await browser.close();
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  it('stops the digest from the older digest’s link, at desktop width and at 390 px', async () => {
    const digests = smtp.received.filter(
      (m) => m.envelopeTo.includes(owner.email) && m.headers.get('list-unsubscribe') !== undefined,
    );
    expect(digests.map((m) => m.subject)).toEqual([
      'Weekoverzicht Garage De Vries, week 48',
      'Weekoverzicht Garage De Vries, week 49',
    ]);
    const [older = '', newer = ''] = digests.map(
      (m) => new URL(/<([^>]+)>/.exec(m.headers.get('list-unsubscribe') ?? '')?.[1] ?? '').pathname,
    );
    expect(older).not.toBe(newer);

    const desktop = await browser.newPage({ viewport: DESKTOP, locale: 'nl-NL' });
    await desktop.goto(`${baseURL}${older}`);
    await desktop.getByRole('heading', { name: 'Weekoverzicht uitzetten' }).waitFor();
    expect((await horizontalOverflow(desktop)).px).toBe(0);
    await screenshot(desktop, `digest-unsubscribe-older-1280-${dialect}`);

    const phone = await browser.newPage({ viewport: PHONE, locale: 'nl-NL' });
    await phone.goto(`${baseURL}${older}`);
    await phone.getByRole('heading', { name: 'Weekoverzicht uitzetten' }).waitFor();
    const overflow = await horizontalOverflow(phone);
    expect(overflow.px, overflow.culprits.join(', ')).toBe(0);
    await screenshot(phone, `digest-unsubscribe-older-390-${dialect}`);
    await phone.getByRole('button', { name: 'Weekoverzicht uitzetten' }).click();
    await phone.getByRole('heading', { name: 'Weekoverzicht uitgezet' }).waitFor();
    expect((await horizontalOverflow(phone)).px).toBe(0);
    await screenshot(phone, `digest-unsubscribe-done-390-${dialect}`);

    const setting = await owner.request({ url: '/api/v1/me/weekly-digest' });
    expect(setting.json()).toEqual({ weeklyDigest: false, byDefault: true, chosen: true });

    // The newer digest's link now says the digest is stopped.
    await desktop.goto(`${baseURL}${newer}`);
    await desktop.getByRole('heading', { name: 'Weekoverzicht uitgezet' }).waitFor();
    expect((await horizontalOverflow(desktop)).px).toBe(0);
  });
});
