import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EmailTable } from '../../src/db/schema.ts';
import { queuedEmail } from '../../src/modules/email/deliver-mail.ts';
import { insertEmailIfAbsent } from '../../src/modules/email/emails.repository.ts';
import { screenshot } from '../support/browser.ts';
import { pageAs, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildOrganisation, type Client } from '../support/harness.ts';
import { DESKTOP, PHONE, horizontalOverflow } from './first-day.helpers.ts';

/**
 * The outbox screen ("Verzonden e-mail") filtered by kind and status in Chromium: the owner looks
 * for the review requests that did not go out among invitations, reminders and welcome offers,
 * at desktop width and on a phone.
 */
describeInBrowserOnce('filtering the outbox screen', (dialect) => {
  let admin: AdminApp;
  let owner: Client;
  let page: Page;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage De Vries');
    const rows: [EmailTable['kind'], EmailTable['status'], string][] = [
      ['invitation', 'sent', 'Hoe tevreden bent u over Garage De Vries?'],
      ['invitation', 'failed', 'Hoe tevreden bent u? (mislukt)'],
      ['reminder', 'sent', 'Herinnering: uw mening'],
      ['review_request', 'sent', 'Wilt u een review schrijven? (verzonden)'],
      ['review_request', 'failed', 'Wilt u een review schrijven? (Anna)'],
      ['review_request', 'failed', 'Wilt u een review schrijven? (Bram)'],
      ['friend_welcome', 'failed', 'Welkom bij Garage De Vries'],
    ];
    const start = Date.now() - rows.length * 60_000;
    for (const [i, [kind, status, subject]] of rows.entries()) {
      const created = start + i * 60_000;
      const row = queuedEmail(
        {
          organisationId: owner.organisationId,
          kind,
          to: `klant${i}@voorbeeld.nl`,
          subject,
          text: 'Tekst',
          html: '<p>Tekst</p>',
          headers: {},
          messageId: `<outbox-filters-${i}@nps.garage.test>`,
          placedAt: created,
          transport: 'smtp',
        },
        created,
      );
      await insertEmailIfAbsent(admin.db.kysely, {
        ...row,
        status,
        ...(status === 'failed' ? { failure: 'unreachable', error: 'connect ECONNREFUSED' } : {}),
      });
    }
    page = await pageAs(admin, owner);
  }, 120_000);
  afterAll(async () => admin.close());

  const subjects = () =>
    page.locator('[data-testid="outbox-table"] tbody tr td:nth-child(2)').allInnerTexts();

  for (const [width, viewport] of [
    ['desktop width', DESKTOP],
    ['a phone (390 px)', PHONE],
  ] as const) {
    it(`shows the review requests that were not sent, at ${width}`, async () => {
      await page.setViewportSize(viewport);
      await page.goto('/admin/outbox');
      await page.getByTestId('outbox-table').waitFor();
      await expect.poll(subjects).toHaveLength(7);
      await page.getByLabel('Soort e-mail').selectOption({ label: 'Reviewverzoek' });
      await expect.poll(subjects).toHaveLength(3);
      await page.getByLabel('Status').selectOption({ label: 'Niet verzonden' });
      await expect
        .poll(subjects)
        .toEqual(['Wilt u een review schrijven? (Bram)', 'Wilt u een review schrijven? (Anna)']);
      await screenshot(page, `outbox-filters-${viewport.width}`);
      const overflow = await horizontalOverflow(page);
      expect(overflow.px, overflow.culprits.join(', ')).toBe(0);
      // Nothing of a kind in that state: the list says so, and how to see everything again.
      await page.getByLabel('Soort e-mail').selectOption({ label: 'Weekoverzicht' });
      await page.getByText('Geen e-mail gevonden').waitFor();
      expect(await page.getByTestId('outbox-table').count()).toBe(0);
      await page.getByLabel('Soort e-mail').selectOption({ label: 'Alle' });
      await expect.poll(subjects).toHaveLength(4);
    });
  }
});
