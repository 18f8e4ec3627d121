import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const DAY = 24 * 60 * 60 * 1000;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core in the page and returns the serious and critical violations. */
async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    return (await axe.run()).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Once, on SQLite: what is checked here is the page in the browser (script, accessibility, layout,
 * no third-party requests); storing an answer on either database is test/api/responses.test.ts.
 * Without Chromium this fails like every other browser test (CI installs it), never skips.
 */
describe('the response page in a real browser', () => {
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

  async function invitation() {
    const contact = await buildContact(t.db.kysely, orgId);
    return buildInvitation(
      t.db.kysely,
      { organisationId: orgId, surveyId, contactId: contact.id },
      { expires_at: t.clock.now + 30 * DAY },
    );
  }
  const answerOf = (invitationId: string) =>
    t.db.kysely
      .selectFrom('responses')
      .select(['score', 'comment', 'may_contact'])
      .where('organisation_id', '=', orgId)
      .where('invitation_id', '=', invitationId)
      .executeTakeFirst();
  async function waitForAnswer(invitationId: string) {
    // Up to 20 s: the machine may be loaded.
    for (let i = 0; i < 400; i++) {
      const row = await answerOf(invitationId);
      if (row) return row;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  }

  it('records the clicked score on open, passes axe, fits 320 px and loads nothing from elsewhere', async () => {
    const inv = await invitation();
    const context = await browser.newContext({
      viewport: { width: 320, height: 640 },
      // Lets the test inject axe-core; the page's own CSP is asserted in the API tests.
      bypassCSP: true,
    });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${base}/r/${inv.token}?score=9`);
    // The page script posts the score at once: a person who closes the tab still counts.
    expect(await waitForAnswer(inv.id)).toMatchObject({ score: 9, comment: null });
    expect(await page.isChecked('#score-9')).toBe(true);
    // Once the server has the score, the page says so: the rest of the form is optional.
    const saved = page.locator('#score-saved');
    await saved.waitFor({ state: 'visible' });
    expect(await saved.textContent()).toBe(
      'Uw score is opgeslagen. De rest is niet verplicht: licht uw cijfer gerust toe, of sluit deze pagina.',
    );
    expect(await seriousViolations(page)).toEqual([]);
    const widths = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      document.documentElement.clientWidth,
    ]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1] ?? 0);
    expect(requests.every((u) => u.startsWith(base))).toBe(true);

    await page.fill('#comment', 'Vriendelijk en snel geholpen.');
    await page.check('#may-contact');
    await Promise.all([page.waitForURL(`**/r/${inv.token}/thanks`), page.click('button')]);
    expect(await page.textContent('h1')).toBe('Bedankt');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await answerOf(inv.id)).toEqual({
      score: 9,
      comment: 'Vriendelijk en snel geholpen.',
      may_contact: 1,
    });
    await context.close();
  });

  it('works without JavaScript: opening stores nothing, submitting stores the answer', async () => {
    const inv = await invitation();
    const context = await browser.newContext({ javaScriptEnabled: false });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await page.goto(`${base}/r/${inv.token}?score=4`);
    expect(await page.isChecked('#score-4')).toBe(true);
    // What a mail scanner sees: the page, but no answer — and no claim that it was saved.
    expect(await answerOf(inv.id)).toBeUndefined();
    expect(await page.isVisible('#score-saved')).toBe(false);
    await page.click('label[for="score-5"]');
    await page.fill('#comment', 'De wachttijd was te lang.');
    await Promise.all([page.waitForURL(`**/r/${inv.token}/thanks`), page.click('button')]);
    expect(await answerOf(inv.id)).toEqual({
      score: 5,
      comment: 'De wachttijd was te lang.',
      may_contact: 0,
    });
    expect(await page.textContent('body')).toContain('We nemen het serieus.');
    await context.close();
  });

  it('takes the anonymous answers of more phones than 30 behind one address, at desktop and 390 px', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    // 2 × 16 phones, all from 127.0.0.1 (one mobile-network address): each page load counts on
    // its own, so the old limit of 30 a minute per address no longer turns the 31st away.
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      const context = await browser.newContext({ viewport, locale: 'nl-NL' });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      for (let i = 0; i < 16; i++) {
        // Another phone: no device cookie, a page load of its own.
        await context.clearCookies();
        await page.goto(`${base}/s/${survey.anonymous_token}`);
        // The page-load token is a hidden field: nothing to see, nothing to fill in.
        expect(await page.locator('input[name="pageToken"]').isVisible()).toBe(false);
        await page.click(`label[for="score-${i % 11}"]`);
        await Promise.all([
          page.waitForURL(`**/s/${survey.anonymous_token}/thanks**`),
          page.click('button'),
        ]);
        expect(await page.textContent('h1')).toBe('Bedankt');
      }
      const widths = await page.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      expect(widths[0]).toBeLessThanOrEqual(widths[1] ?? 0);
      await context.close();
    }
    const stored = await t.db.kysely
      .selectFrom('responses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organisation_id', '=', orgId)
      .where('survey_id', '=', survey.id)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(32);
  }, 180_000);

  it('keeps the anonymous page and the closed page accessible', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId, {
      settings: { brandColor: '#ffd400' },
    });
    const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    await page.goto(`${base}/s/${survey.anonymous_token}`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${base}/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
