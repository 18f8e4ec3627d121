import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { pageAs, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { newPage } from '../support/browser.ts';
import { enrolPromoter, referFriend, setUpProgramme } from '../support/ambassadors.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildMember, buildOrganisation, type Client } from '../support/harness.ts';

const PHONE = { width: 390, height: 844 };
const WAIT = { timeout: 30_000 };

/**
 * Forms as a Dutch business fills them in, in Chromium: euro amounts typed the Dutch way
 * ("1.250" is twelve hundred and fifty euros), a wrong programme setting said next to its own
 * field, an empty login field named next to it, the import's "apply" button inside a phone's
 * screen, an account manager saving their own customer whose company a colleague manages.
 */
describeInBrowserOnce('admin forms as people type them', (dialect) => {
  let admin: AdminApp;
  beforeAll(async () => {
    admin = await startAdminApp(dialect);
  });
  afterAll(async () => admin.close());

  const post = async (c: Client, url: string, payload: object) => {
    const res = await c.request({ method: 'POST', url, payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json<{ id: string }>().id;
  };

  /** A garage with the programme on, an ambassador and one lead, on the leads screen. */
  async function leadOnScreen(garage: string, friend: string) {
    const owner = await buildOrganisation(admin, garage);
    await setUpProgramme(owner);
    const survey = await buildSurvey(admin.db.kysely, owner.organisationId);
    const amb = await enrolPromoter(admin, {
      organisationId: owner.organisationId,
      surveyId: survey.id,
    });
    const email = `${friend.toLowerCase().replace(/\s+/g, '.')}@voorbeeld.nl`;
    const leadId = await referFriend(admin, amb, { name: friend, email });
    const page = await pageAs(admin, owner);
    await page.goto('/admin/referrals');
    const lead = page.getByTestId('lead').filter({ hasText: friend });
    await lead.getByRole('button', { name: 'Eerste betaalde bezoek noteren' }).click();
    return { lead, leadId, page };
  }

  it('records a first paid visit of "1.250" euro as € 1.250', async () => {
    const { lead, leadId, page } = await leadOnScreen('Garage Bedrag', 'Vriend Een');
    await lead.getByLabel('Bedrag (€)').fill('1.250');
    await lead.getByRole('button', { name: 'Bezoek opslaan' }).click();
    await lead.getByText(/Eerste bezoek op/).waitFor(WAIT);
    const row = await admin.db.kysely
      .selectFrom('referrals')
      .select('conversion_amount_cents')
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    expect(Number(row.conversion_amount_cents)).toBe(125_000);
    await page.close();
  });

  it('says what is wrong with an amount that is none, next to the field, and sends nothing', async () => {
    const { lead, leadId, page } = await leadOnScreen('Garage Geen Bedrag', 'Vriend Twee');
    await lead.getByLabel('Bedrag (€)').fill('twaalf euro');
    await lead.getByRole('button', { name: 'Bezoek opslaan' }).click();
    const error = lead.locator('.field-error');
    await error.waitFor(WAIT);
    expect(await error.innerText()).toBe('Vul een bedrag in euro’s in, bijvoorbeeld 1.250,00.');
    const row = await admin.db.kysely
      .selectFrom('referrals')
      .select('status')
      .where('id', '=', leadId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('lead');
    // Written the Dutch way in full, it is taken.
    await lead.getByLabel('Bedrag (€)').fill('1.250,50');
    await lead.getByRole('button', { name: 'Bezoek opslaan' }).click();
    await lead.getByText(/Eerste bezoek op/).waitFor(WAIT);
    await page.close();
  });

  it('stores a reward that costs "1.250" euro as € 1.250, and says a wrong setting by its field', async () => {
    const owner = await buildOrganisation(admin, 'Garage Kosten');
    await setUpProgramme(owner);
    const page = await pageAs(admin, owner);
    await page.goto('/admin/referral-programme');
    const amb = page.getByTestId('reward-amb');
    await amb.getByLabel('Wat het u kost (€)').fill('€ 1.250,-');
    await page.getByLabel('Wie telt als eerste aanbrenger (dagen)').fill('0');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    // The setting the server refuses is said next to the field the form shows.
    const window = page
      .locator('.field')
      .filter({ has: page.getByLabel('Wie telt als eerste aanbrenger (dagen)') });
    await window.locator('.field-error').waitFor(WAIT);
    expect(await page.locator('main .alert-error li').count()).toBe(0);
    await page.getByLabel('Wie telt als eerste aanbrenger (dagen)').fill('30');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByText('Opgeslagen.').waitFor(WAIT);
    const res = await owner.request({ url: '/api/v1/referral-programme' });
    const settings = res.json<{ settings: { ambassadorReward: { costCents: number } } }>().settings;
    expect(settings.ambassadorReward.costCents).toBe(125_000);
    await page.close();
  });

  it('names an empty login field next to it, on a phone', async () => {
    // An organisation exists, so the app offers the login form, not the first-visit setup.
    await buildOrganisation(admin, 'Garage Inlog');
    const page = await newPage(admin.browser, admin.baseURL);
    await page.setViewportSize(PHONE);
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill('piet@garagedevries.nl');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByText('Wachtwoord is verplicht').waitFor(WAIT);
    expect(await page.getByText('E-mailadres of wachtwoord klopt niet').count()).toBe(0);
    await page.close();
  }, 90_000);

  it('keeps the import’s "apply" button for unknown account managers inside a phone’s screen', async () => {
    const owner = await buildOrganisation(admin, 'Garage Import');
    const page = await pageAs(admin, owner);
    await page.setViewportSize(PHONE);
    await page.goto('/admin/import');
    await page.setInputFiles('#import-file', {
      name: 'klanten.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'Naam;E-mailadres;Accountmanager\nJan Jansen;jan@voorbeeld.nl;Kees Onbekend\n',
      ),
    });
    await page.getByRole('heading', { name: 'Welke kolom is wat?' }).waitFor(WAIT);
    // The check runs as a job: drain once its request has queued it, not as soon as the click
    // is dispatched (on a busy machine the request can land after a drain that found nothing).
    await Promise.all([
      page.waitForResponse(
        (r) =>
          r.request().method() === 'POST' && /\/api\/v1\/imports\/[^/]+\/validate$/.test(r.url()),
        WAIT,
      ),
      page.getByRole('button', { name: 'Controleren' }).click(),
    ]);
    await startWorker(admin.deps, { concurrency: 1 }, false).drain();
    const apply = page.getByRole('button', { name: 'Toepassen en opnieuw controleren' });
    await apply.waitFor(WAIT);
    const box = await apply.boundingBox();
    const scroll = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(Math.round((box?.x ?? 0) + (box?.width ?? 0))).toBeLessThanOrEqual(PHONE.width);
    expect(scroll).toBe(0);
    await page.close();
  }, 90_000);

  it('lets an account manager save their own customer whose company a colleague manages', async () => {
    const owner = await buildOrganisation(admin, 'Installatiebedrijf B2B');
    const mo = await post(owner, '/api/v1/employees', { name: 'Mo', email: 'mo@b2b.example' });
    const sanne = await post(owner, '/api/v1/employees', {
      name: 'Sanne',
      email: 'sanne@b2b.example',
    });
    const account = await post(owner, '/api/v1/accounts', {
      name: 'Bouwbedrijf Oost B.V.',
      ownerEmployeeId: sanne,
    });
    const contact = await post(owner, '/api/v1/contacts', {
      name: 'Inkoper Oost',
      email: 'inkoop@oost.example',
      ownerEmployeeId: mo,
      accountId: account,
    });
    const am = await buildMember(admin, owner.organisationId, 'account_manager', mo);
    const page = await pageAs(admin, am);
    await page.goto(`/admin/contacts/${contact}`);
    await page.getByRole('heading', { name: 'Inkoper Oost' }).waitFor(WAIT);
    const company = page.getByLabel('Bedrijf', { exact: true });
    // The form names the customer's company …
    await expect
      .poll(
        () => company.evaluate((s: HTMLSelectElement) => s.options[s.selectedIndex]?.text),
        WAIT,
      )
      .toBe('Bouwbedrijf Oost B.V.');
    // … and a change to the phone number saves.
    await page.getByLabel('Telefoon', { exact: true }).fill('+31 6 5555 0000');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByText('Opgeslagen.').waitFor(WAIT);
    expect(await page.locator('main .alert-error').count()).toBe(0);
    await page.close();
  });
});
