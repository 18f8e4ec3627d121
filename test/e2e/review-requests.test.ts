import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pageAs, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildMember, buildOrganisation } from '../support/harness.ts';
import { checkOnPhone, DESKTOP, PHONE, horizontalOverflow } from './first-day.helpers.ts';

const DAY = 86_400_000;

/**
 * Review requests (issue 12) in the browser, on both databases: the owner chooses the review sites
 * on the review-settings screen (an `http:` address is refused with the server's message under
 * the field, in Dutch and English), the public page "hoe wij reviews verzamelen" then lists them,
 * in the visitor's browser language;
 * other roles read the screen but cannot save. The review email's hours are chosen there too (0 is
 * refused under its field; unticked, no email). On the thank-you page every respondent who agreed
 * to be contacted sees the same review links whatever their score; one who did not sees none.
 */
describeInBrowserOnce('review requests in the browser', (dialect) => {
  let t: AdminApp;

  beforeAll(async () => {
    t = await startAdminApp(dialect);
  });
  afterAll(async () => t.close());

  async function saveAndAwait(page: Page, status: number): Promise<void> {
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'PUT' && r.url().includes('/api/v1/review-settings'),
    );
    await page.getByRole('button', { name: /^(Opslaan|Save)$/ }).click();
    expect((await answered).status()).toBe(status);
  }

  it('lets the owner choose the sites, refuses an http: address under its field, and publishes them', async () => {
    const owner = await buildOrganisation(t, 'Garage De Vries');
    const page = await pageAs(t, owner);
    await page.goto('/admin/');
    await page
      .getByRole('navigation')
      .getByRole('link', { name: 'Instellingen', exact: true })
      .click();
    await page.getByRole('link', { name: 'Reviews instellen' }).click();
    await page.getByRole('heading', { name: 'Reviews', exact: true }).waitFor();
    expect(await page.getByTestId('reviews-none').textContent()).toContain(
      'Nog geen reviewsite gekozen',
    );

    await page.getByRole('button', { name: 'Reviewsite toevoegen' }).click();
    const first = page.getByTestId('review-site-0');
    expect(await first.getByLabel('Site').inputValue()).toBe('google');
    await first
      .getByLabel('Adres van uw reviewpagina')
      .fill('http://g.page/r/garage-de-vries/review');
    await page.getByRole('button', { name: 'Reviewsite toevoegen' }).click();
    const second = page.getByTestId('review-site-1');
    await second.getByLabel('Site').selectOption('custom');
    await second.getByLabel('Naam op de knop').fill('Onze eigen site');
    await second.getByLabel('Adres van uw reviewpagina').fill('https://garage.example/review');
    await saveAndAwait(page, 400);

    // The server's message sits under the field it is about and is linked to it.
    const url = first.getByLabel('Adres van uw reviewpagina');
    const problem = first.locator('.field-error');
    // Worded by the server, in the user's language (named by the field's label once the API does).
    // The answer has come; React may not have drawn it yet: wait for the text, never read once.
    await expect
      .poll(() => problem.textContent(), { timeout: 30_000 })
      .toMatch(/moet een https:\/\/-adres zijn$/i);
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await url.getAttribute('aria-describedby')).toContain(
      (await problem.getAttribute('id')) ?? 'missing',
    );
    expect(await second.locator('.field-error').count()).toBe(0);
    await checkOnPhone(page, `admin-reviews-error-${dialect}`);

    // In English, the same refusal in English.
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    // "Reviews" reads the same in both languages: wait for a text only the English page has.
    await page.getByText('How many hours after the answer').waitFor();
    await saveAndAwait(page, 400);
    // The Dutch message stays up until the English one replaces it: wait for the English one.
    await expect
      .poll(() => first.locator('.field-error').textContent(), { timeout: 30_000 })
      .toMatch(/must be an https:\/\/ address$/i);
    await page.getByRole('button', { name: 'NL', exact: true }).click();
    // Nothing of the refused saves was kept.
    const before = await owner.request({ url: '/api/v1/review-settings' });
    expect(before.json<{ sites: unknown[] }>().sites).toEqual([]);

    await url.fill('https://g.page/r/garage-de-vries/review');
    await saveAndAwait(page, 200);
    await page.getByText('Opgeslagen.').waitFor();
    expect(await page.locator('.field-error').count()).toBe(0);
    const kept = await owner.request({ url: '/api/v1/review-settings' });
    expect(
      kept.json<{ sites: { kind: string; url: string; label: string | null }[] }>().sites,
    ).toEqual([
      { kind: 'google', url: 'https://g.page/r/garage-de-vries/review', label: null },
      { kind: 'custom', url: 'https://garage.example/review', label: 'Onze eigen site' },
    ]);
    // After a reload the screen shows what was stored.
    await page.reload();
    await page.getByTestId('review-site-1').waitFor();
    expect(await page.getByTestId('review-site-1').getByLabel('Naam op de knop').inputValue()).toBe(
      'Onze eigen site',
    );
    await checkOnPhone(page, `admin-reviews-saved-${dialect}`);

    // The public disclosure page, linked from the screen, lists exactly the chosen sites.
    const policy = `/o/${owner.organisationId}/reviews`;
    expect(await page.getByTestId('review-policy-link').getAttribute('href')).toMatch(
      new RegExp(`${policy}$`),
    );
    const publicPage = await t.browser.newPage({ viewport: PHONE, locale: 'nl-NL' });
    await publicPage.goto(`${t.baseURL}${policy}`);
    await publicPage.getByRole('heading', { name: 'Hoe wij reviews verzamelen' }).waitFor();
    const listed = await publicPage
      .locator('ul.review-sites a')
      .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(listed).toEqual([
      ['Google', 'https://g.page/r/garage-de-vries/review'],
      ['Onze eigen site', 'https://garage.example/review'],
    ]);
    expect((await horizontalOverflow(publicPage)).px).toBe(0);
    await publicPage.close();
    // A visitor whose phone speaks English reads it in English, the same sites listed.
    const englishPage = await t.browser.newPage({ viewport: PHONE, locale: 'en-GB' });
    await englishPage.goto(`${t.baseURL}${policy}`);
    await englishPage.getByRole('heading', { name: 'How we collect reviews' }).waitFor();
    expect(await englishPage.locator('ul.review-sites a').allTextContents()).toEqual([
      'Google',
      'Onze eigen site',
    ]);
    await englishPage.close();

    // The ask switched off on the screen: the sites stay, the thank-you page no longer asks.
    const ask = page.getByLabel('Vraag op de bedankpagina om een review');
    expect(await ask.isChecked()).toBe(true);
    await ask.uncheck();
    await saveAndAwait(page, 200);
    const off = await owner.request({ url: '/api/v1/review-settings' });
    expect(off.json<{ askOnThanks: boolean; sites: unknown[] }>()).toMatchObject({
      askOnThanks: false,
      sites: [expect.anything(), expect.anything()],
    });
    await page.reload();
    await page.getByTestId('review-site-1').waitFor();
    expect(await page.getByLabel('Vraag op de bedankpagina om een review').isChecked()).toBe(false);
    await page.context().close();
  }, 180_000);

  it('lets the owner choose when the review email goes, refuses 0 hours under its field, and switch it off', async () => {
    const owner = await buildOrganisation(t, 'Garage Mailtijd');
    const page = await pageAs(t, owner);
    await page.goto('/admin/settings/reviews');
    await page.getByRole('heading', { name: 'Reviews', exact: true }).waitFor();
    const email = page.getByLabel('Stuur een e-mail met de vraag om een review');
    expect(await email.isChecked()).toBe(true);
    const hours = page.getByLabel('Hoeveel uur na het antwoord');
    expect(await hours.inputValue()).toBe('24');

    await hours.fill('0');
    await saveAndAwait(page, 400);
    const problem = page.locator('.field-error');
    // The server names the field by its label, in the reader's language, under the field.
    await expect
      .poll(() => problem.textContent(), { timeout: 30_000 })
      .toMatch(/Aantal uur tot de reviewmail/);
    expect(await problem.count()).toBe(1);
    expect(await hours.getAttribute('aria-invalid')).toBe('true');
    expect(await hours.getAttribute('aria-describedby')).toContain(
      (await problem.getAttribute('id')) ?? 'missing',
    );
    await checkOnPhone(page, `admin-reviews-hours-error-${dialect}`);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    // "Reviews" reads the same in both languages: wait for a text only the English page has.
    await page.getByText('How many hours after the answer').waitFor();
    await saveAndAwait(page, 400);
    await expect
      .poll(() => page.locator('.field-error').textContent(), { timeout: 30_000 })
      .toMatch(/Hours until the review email/);
    await page.getByRole('button', { name: 'NL', exact: true }).click();

    await hours.fill('48');
    await saveAndAwait(page, 200);
    await page.getByText('Opgeslagen.').waitFor();
    const kept = await owner.request({ url: '/api/v1/review-settings' });
    expect(kept.json<{ emailAfterHours: number | null }>().emailAfterHours).toBe(48);
    await page.reload();
    expect(await page.getByLabel('Hoeveel uur na het antwoord').inputValue()).toBe('48');
    await checkOnPhone(page, `admin-reviews-hours-${dialect}`);

    // Switched off: no email at all (null), and the hours field goes away.
    await page.getByLabel('Stuur een e-mail met de vraag om een review').uncheck();
    expect(await page.getByLabel('Hoeveel uur na het antwoord').count()).toBe(0);
    await saveAndAwait(page, 200);
    const off = await owner.request({ url: '/api/v1/review-settings' });
    expect(off.json<{ emailAfterHours: number | null }>().emailAfterHours).toBeNull();
    await page.reload();
    await page.getByTestId('reviews-none').waitFor();
    expect(await page.getByLabel('Stuur een e-mail met de vraag om een review').isChecked()).toBe(
      false,
    );
    await page.context().close();
  }, 180_000);

  it('shows other roles the sites but no way to save them', async () => {
    const owner = await buildOrganisation(t, 'Garage Buurman');
    const put = await owner.request({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: {
        sites: [{ kind: 'trustpilot', url: 'https://trustpilot.example/buurman' }],
        askOnThanks: true,
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    for (const role of ['admin', 'viewer'] as const) {
      const member = await buildMember(t, owner.organisationId, role);
      const page = await pageAs(t, member);
      await page.goto('/admin/settings/reviews');
      await page.getByText('Alleen de eigenaar kan de reviewsites wijzigen.').waitFor();
      const url = page.getByTestId('review-site-0').getByLabel('Adres van uw reviewpagina');
      expect(await url.inputValue()).toBe('https://trustpilot.example/buurman');
      expect(await url.isDisabled(), role).toBe(true);
      expect(await page.getByRole('button', { name: 'Opslaan' }).count(), role).toBe(0);
      expect(await page.getByRole('button', { name: 'Reviewsite toevoegen' }).count(), role).toBe(
        0,
      );
      // The server refuses it too, whatever a page would send.
      const refused = await member.request({
        method: 'PUT',
        url: '/api/v1/review-settings',
        payload: { sites: [], askOnThanks: false },
      });
      expect(refused.statusCode, role).toBe(403);
      await checkOnPhone(page, `admin-reviews-${role}-${dialect}`);
      await page.context().close();
    }
  }, 180_000);

  it('asks a 3 and a 10 who agreed to be contacted the same, and one who did not nothing', async () => {
    const owner = await buildOrganisation(t, 'Installatiebedrijf Jansen');
    const orgId = owner.organisationId;
    const put = await owner.request({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: {
        sites: [
          { kind: 'google', url: 'https://g.page/r/jansen/review' },
          { kind: 'klantenvertellen', url: 'https://www.klantenvertellen.nl/reviews/9/jansen' },
        ],
        askOnThanks: true,
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const survey = await buildSurvey(t.db.kysely, orgId);

    /** A respondent answers on their phone; the review links the thank-you page shows them. */
    async function answer(score: number, mayContact: boolean) {
      const contact = await buildContact(t.db.kysely, orgId);
      const now = Date.now();
      const inv = await buildInvitation(
        t.db.kysely,
        { organisationId: orgId, surveyId: survey.id, contactId: contact.id },
        { planned_at: now, expires_at: now + 30 * DAY },
      );
      const context = await t.browser.newContext({ viewport: PHONE, locale: 'nl-NL' });
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      await page.goto(`${t.baseURL}/r/${inv.token}`);
      await page.click(`label[for="score-${score}"]`);
      if (mayContact) await page.check('#may-contact');
      await Promise.all([
        page.waitForURL(`**/r/${inv.token}/thanks`),
        page.click('button[type="submit"]'),
      ]);
      await page.locator('h1').waitFor();
      const block = page.locator('section.next-step.review');
      const links =
        (await block.count()) === 0
          ? null
          : await block
              .locator('a')
              .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
      const overflow = await horizontalOverflow(page);
      await page.setViewportSize(DESKTOP);
      const desktopOverflow = await horizontalOverflow(page);
      await context.close();
      return { links, overflow: overflow.px + desktopOverflow.px };
    }

    const three = await answer(3, true);
    const ten = await answer(10, true);
    const silent = await answer(10, false);
    expect(ten.links).toEqual([
      ['hoe wij reviews verzamelen', `/o/${orgId}/reviews?lang=nl`],
      ['Review op Google', 'https://g.page/r/jansen/review'],
      ['Review op Klantenvertellen', 'https://www.klantenvertellen.nl/reviews/9/jansen'],
    ]);
    expect(three.links).toEqual(ten.links);
    expect(silent.links).toBeNull();
    expect([three.overflow, ten.overflow, silent.overflow]).toEqual([0, 0, 0]);
  }, 180_000);
});
