import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { screenshot } from '../support/browser.ts';
import { pageAs, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, type Client } from '../support/harness.ts';
import { DESKTOP, PHONE, horizontalOverflow } from './first-day.helpers.ts';

const DAY = 86_400_000;

/**
 * A case's contact history lists the customer's invitations; one that did not go out says so and
 * why, in the owner's words — the mail server refused the message, gave up after its last attempt,
 * or a contact rule held it back — never as the stored code.
 */
describeInBrowserOnce('why an invitation was not sent, on the case screen', (dialect) => {
  let admin: AdminApp;
  let owner: Client;
  let page: Page;
  let caseId: string;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage De Vries');
    const org = owner.organisationId;
    const k = admin.db.kysely;
    const survey = await buildSurvey(k, org, { name: 'Werkplaats 2026' });
    const contact = await buildContact(k, org, {
      name: 'Ingrid Jansen',
      consent_status: 'granted',
      consent_at: Date.now() - 400 * DAY,
    });
    const refs = { organisationId: org, surveyId: survey.id, contactId: contact.id };
    const now = Date.now();
    for (const [days, status, reason] of [
      [40, 'failed', 'message_refused'],
      [30, 'failed', 'delivery_failed'],
      [20, 'skipped', 'too_recent'],
    ] as const) {
      await buildInvitation(k, refs, {
        planned_at: now - days * DAY,
        sent_at: null,
        expires_at: now + 30 * DAY,
        status,
        skip_reason: reason,
      });
    }
    const answered = await buildInvitation(k, refs, {
      planned_at: now - DAY,
      expires_at: now + 30 * DAY,
    });
    const res = await admin.app.inject({
      method: 'POST',
      url: `/r/${answered.token}`,
      payload: { score: 3, comment: 'Auto was niet klaar op tijd.', mayContact: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    caseId = (
      await k
        .selectFrom('cases')
        .select('id')
        .where('contact_id', '=', contact.id)
        .executeTakeFirstOrThrow()
    ).id;
    page = await pageAs(admin, owner);
  }, 120_000);
  afterAll(async () => admin.close());

  for (const [width, viewport] of [
    ['desktop width (1280 px)', DESKTOP],
    ['a phone (390 px)', PHONE],
  ] as const) {
    it(`says why each invitation was not sent, at ${width}`, async () => {
      await page.setViewportSize(viewport);
      await page.goto(`/admin/cases/${caseId}`);
      const list = page.getByTestId('case-invitations');
      await list.waitFor();
      const items = list.locator('li');
      await expect.poll(() => items.count()).toBe(4);
      const texts = await items.allInnerTexts();
      // Newest first: the answered one, then the three that did not go out.
      expect(texts[0]).toContain('Verstuurd');
      expect(texts[0]).toContain('beantwoord');
      expect(texts[1]).toContain('Overgeslagen');
      expect(texts[1]).toContain('Onlangs al uitgenodigd');
      expect(texts[2]).toContain('Niet verstuurd');
      expect(texts[2]).toContain(
        'De mailserver nam de uitnodiging ook bij de laatste poging niet aan',
      );
      expect(texts[3]).toContain('Niet verstuurd');
      expect(texts[3]).toContain('De mailserver weigerde het bericht');
      for (const text of texts) expect(text).not.toMatch(/_|message_refused|delivery_failed/);
      const overflow = await horizontalOverflow(page);
      expect(overflow.px, overflow.culprits.join(', ')).toBe(0);
      await screenshot(page, `case-invitation-reasons-${viewport.width}`);
    });
  }
});
