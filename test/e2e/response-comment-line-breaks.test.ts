import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The textarea says "at most 5000 characters" and Chromium lets a person type 5000 (a line break
 * counts as one). The browser submits each line break as CRLF: the server counts it as one too.
 */
describe('a comment of 5000 characters with line breaks, sent by Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let orgId: string;
  let surveyId: string;

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    orgId = (await buildOrganisation(t, 'Garage De Vries')).organisationId;
    surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('is stored, not refused as too long', async () => {
    const contact = await buildContact(t.db.kysely, orgId);
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: orgId, surveyId, contactId: contact.id },
      { expires_at: t.clock.now + 30 * DAY },
    );
    const context = await browser.newContext({
      locale: 'nl-NL',
      viewport: { width: 390, height: 844 },
      javaScriptEnabled: false,
    });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await page.goto(`${base}/r/${inv.token}?score=6`);
    // 20 paragraphs, 5000 characters in all as the textarea counts them (its maxlength).
    const line = 'x'.repeat(249);
    const comment = Array.from({ length: 20 }, () => line).join('\n') + 'y';
    expect(comment.length).toBe(5000);
    await page.fill('#comment', comment);
    // What the browser itself thinks: within the limit.
    expect(
      await page.evaluate(
        () => (document.getElementById('comment') as HTMLTextAreaElement).validity.valid,
      ),
    ).toBe(true);
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.click('button[type=submit]'),
    ]);
    const shown = await page.locator('.error').allTextContents();
    expect({ url: page.url(), errors: shown, status: response?.status() }).toEqual({
      url: `${base}/r/${inv.token}/thanks`,
      errors: [],
      status: 200,
    });
    await context.close();
  });
});
