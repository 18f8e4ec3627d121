import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queuedEmail } from '../../src/modules/email/deliver-mail.ts';
import { insertEmailIfAbsent } from '../../src/modules/email/emails.repository.ts';
import { screenshot } from '../support/browser.ts';
import { pageAs, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildOrganisation, type Client } from '../support/harness.ts';
import { DESKTOP, PHONE, horizontalOverflow } from './first-day.helpers.ts';

const LONG_WORD = 'Werkplaatsonderhoudsbeurtklanttevredenheidsonderzoeksresultatenoverzicht2026';
const LONG_ADDRESS =
  'mohamed.el.amrani-van.leeuwenhoek.klantenservice@autobedrijf-vanderheijden-en-zonen.example';

/**
 * The outbox screen ("Verzonden e-mail") in Chromium with 130 emails, one with a very long subject
 * and address: "Meer laden" reaches the oldest, and a phone shows them without sideways scrolling.
 */
describeInBrowserOnce('the outbox screen with many emails', (dialect) => {
  let admin: AdminApp;
  let owner: Client;
  let page: Page;
  let longId = '';

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage De Vries');
    const start = Date.now() - 130 * 60_000;
    for (let i = 0; i < 130; i++) {
      const created = start + i * 60_000;
      const messageId = `<outbox-paging-${i}@nps.garage.test>`;
      const long = i === 129;
      const row = queuedEmail(
        {
          organisationId: owner.organisationId,
          kind: 'invitation',
          to: long ? LONG_ADDRESS : `klant${i}@voorbeeld.nl`,
          subject:
            i === 0
              ? 'De allereerste e-mail'
              : long
                ? `Hoe tevreden bent u over ${LONG_WORD} bij Garage De Vries in Leeuwarden-Westeinde?`
                : `Hoe tevreden bent u over Garage De Vries? (${i})`,
          text: 'Tekst',
          html: '<p>Tekst</p>',
          headers: {},
          messageId,
          placedAt: created,
          transport: 'outbox',
        },
        created,
      );
      await insertEmailIfAbsent(admin.db.kysely, { ...row, status: 'held' });
      if (long) longId = row.id;
    }
    page = await pageAs(admin, owner);
  }, 120_000);
  afterAll(async () => admin.close());

  it('lets a person reach the oldest email (paging), at desktop width', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto('/admin/outbox');
    await page.getByTestId('outbox-table').waitFor();
    await screenshot(page, 'outbox-paging-1280');
    expect(await page.getByText('De allereerste e-mail').count()).toBe(0);
    const more = page.getByRole('button', { name: 'Meer laden' });
    for (let i = 0; i < 2; i++) {
      await more.click();
      await expect
        .poll(() => page.locator('[data-testid="outbox-table"] tbody tr').count(), {
          timeout: 30_000,
        })
        .toBe(Math.min(130, 50 * (i + 2)));
    }
    await expect(page.getByText('De allereerste e-mail').count()).resolves.toBe(1);
    // Everything shown: no button left to press.
    expect(await more.count()).toBe(0);
  });

  it('fits a very long subject and address on a phone (390 px)', async () => {
    await page.setViewportSize(PHONE);
    await page.goto('/admin/outbox');
    await page.getByTestId('outbox-table').waitFor();
    await screenshot(page, 'outbox-paging-390');
    expect((await horizontalOverflow(page)).px).toBe(0);
    await page.goto(`/admin/outbox/${longId}`);
    await page.getByTestId('email-frame').waitFor();
    await screenshot(page, 'outbox-paging-email-390');
    const overflow = await horizontalOverflow(page);
    expect(overflow.px, overflow.culprits.join(', ')).toBe(0);
  });
});
