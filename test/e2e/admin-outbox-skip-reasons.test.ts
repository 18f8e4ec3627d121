import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MailFailure } from '../../src/db/schema.ts';
import { queuedEmail } from '../../src/modules/email/deliver-mail.ts';
import { insertEmailIfAbsent } from '../../src/modules/email/emails.repository.ts';
import { skippedError } from '../../src/modules/email/skip-reasons.ts';
import { screenshot } from '../support/browser.ts';
import { pageAs, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildOrganisation, type Client } from '../support/harness.ts';
import { DESKTOP, PHONE, horizontalOverflow } from './first-day.helpers.ts';

/**
 * A mail its job decided not to send after all says why on the outbox screen, in the owner's
 * words: the customer unsubscribed, the welcome offer expired — and a reason from before reasons
 * were typed reads as "another reason", never as the stored code. A mail the server would not
 * take says why in words too, and a failure code this version does not know (written by a newer
 * one) reads as "sending did not work", never as a raw catalogue key.
 */
describeInBrowserOnce('why a mail was not sent, on the outbox screen', (dialect) => {
  let admin: AdminApp;
  let owner: Client;
  let page: Page;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage De Vries');
    const rows: [string, string, MailFailure | null][] = [
      ['Wilt u een review schrijven?', skippedError('unsubscribed'), null],
      ['Welkom bij Garage De Vries', skippedError('welcome offer expired'), null],
      ['Herinnering: uw mening', 'skipped: some retired reason', null],
      ['Doorsturen geweigerd', '554 5.7.1 Relay access denied', 'relay'],
      // A code from a newer version, not one of `MailFailure`.
      ['Onbekende fout', 'something new', 'size_exceeded' as MailFailure],
    ];
    const start = Date.now() - rows.length * 60_000;
    for (const [i, [subject, error, failure]] of rows.entries()) {
      const created = start + i * 60_000;
      const row = queuedEmail(
        {
          organisationId: owner.organisationId,
          kind: 'review_request',
          to: `klant${i}@voorbeeld.nl`,
          subject,
          text: 'Tekst',
          html: '<p>Tekst</p>',
          headers: {},
          messageId: `<outbox-skip-${i}@nps.garage.test>`,
          placedAt: created,
          transport: 'smtp',
        },
        created,
      );
      await insertEmailIfAbsent(admin.db.kysely, { ...row, status: 'failed', error, failure });
    }
    page = await pageAs(admin, owner);
  }, 120_000);
  afterAll(async () => admin.close());

  const rowOf = (subject: string) =>
    page.locator('[data-testid="outbox-table"] tbody tr', { hasText: subject });

  for (const [width, viewport] of [
    ['desktop width', DESKTOP],
    ['a phone (390 px)', PHONE],
  ] as const) {
    it(`says why each skipped mail was not sent, at ${width}`, async () => {
      await page.setViewportSize(viewport);
      await page.goto('/admin/outbox');
      await page.getByTestId('outbox-table').waitFor();
      await expect
        .poll(() => rowOf('Wilt u een review schrijven?').innerText())
        .toContain('Reden: klant heeft zich afgemeld.');
      expect(await rowOf('Welkom bij Garage De Vries').innerText()).toContain(
        'Reden: welkomstaanbod is verlopen.',
      );
      const legacy = await rowOf('Herinnering: uw mening').innerText();
      expect(legacy).toContain('Niet verstuurd');
      expect(legacy).toContain('Reden: een andere reden.');
      expect(legacy).not.toContain('skipped');
      expect(await rowOf('Doorsturen geweigerd').innerText()).toContain(
        'De mailserver wilde deze mail niet voor ons doorsturen',
      );
      const unknown = await rowOf('Onbekende fout').innerText();
      expect(unknown).toContain('Het versturen lukte niet.');
      expect(unknown).not.toContain('outbox.failure');
      const overflow = await horizontalOverflow(page);
      expect(overflow.px, overflow.culprits.join(', ')).toBe(0);
      await screenshot(page, `outbox-skip-reasons-${viewport.width}`);
    });
  }
});
