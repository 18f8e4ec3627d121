import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser.ts';
import { describeEachDialect } from '../support/databases.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { png } from '../support/images.ts';
import {
  checkOnPhone,
  doneSteps,
  goHome,
  importCustomers,
  importCustomersCreatingOwners,
  importTheGoodRows,
  newSurvey,
  OWNER,
  previewText,
  setUp,
  setUpMailServer,
  startInstallation,
  uploadLogo,
  type Installation,
} from './first-day.helpers.ts';

/**
 * The same customers as Excel's Dutch CSV export writes them (Windows-1252, semicolons), with the
 * account managers who serve them — whom Loyaal does not know on day one — and one row with a
 * broken email address.
 */
const CUSTOMERS_WITH_OWNERS = iconv.encode(
  [
    'Voornaam;Tussenvoegsel;Achternaam;E-mailadres;Aanhef;Accountmanager',
    'Ingrid;van der;Vos;ingrid@voorbeeld.nl;;Jan Smit',
    'Kees;;Jansen;kees@voorbeeld.nl;Dhr.;Jan Smit',
    'Fatima;;El Amrani;fatima@voorbeeld.nl;;Renée Bakker',
    'Zoë;;Verbeek;zoe@@voorbeeld;;Renée Bakker',
  ].join('\r\n'),
  'win1252',
);

/** The garage's customer export: first names apart, so the email can say "Beste Ingrid,". */
const CUSTOMERS = [
  'Voornaam;Tussenvoegsel;Achternaam;E-mailadres;Aanhef',
  'Ingrid;van der;Vos;ingrid@voorbeeld.nl;',
  'Kees;;Jansen;kees@voorbeeld.nl;Dhr.',
  'Fatima;;El Amrani;fatima@voorbeeld.nl;',
].join('\r\n');

const SMTP_PASSWORD = `Wachtwoord-${randomBytes(6).toString('hex')}`;

describeEachDialect("the owner's first day in the admin app", (dialect) => {
  describe('with the garage’s own mail server', () => {
    let smtp: TestSmtpServer;
    let loyaal: Installation;

    beforeAll(async () => {
      smtp = await startSmtpServer({
        auth: { user: 'piet@garagedevries.nl', pass: SMTP_PASSWORD },
      });
      loyaal = await startInstallation(dialect, {
        SECRET_KEY: randomBytes(32).toString('base64'),
      });
    });
    afterAll(async () => {
      await loyaal.close();
      await smtp.close();
    });

    it('goes from setup to a tested mail server, a survey activated and sent in one action, and results', async () => {
      const { page } = loyaal;

      // Setup: the owner lands on the checklist, nothing ticked yet.
      await setUp(page);
      expect(await doneSteps(page)).toEqual([]);
      await checkOnPhone(page, `first-day-home-${dialect}`);

      // 1. Customers, with account managers nobody has entered yet: each created by the import.
      const { rejected } = await importCustomersCreatingOwners(
        page,
        { name: 'klanten.csv', bytes: CUSTOMERS_WITH_OWNERS },
        [
          { name: 'Jan Smit', rows: '2 regels' },
          { name: 'Renée Bakker', rows: '2 regels' },
        ],
      );
      expect(await page.getByTestId('count-valid').textContent()).toBe('3goede regels');
      expect(await page.getByTestId('count-rejected').textContent()).toBe('1afgekeurde regel');
      await checkOnPhone(page, `first-day-import-${dialect}`);
      // The rejected row comes back as the upload was (Windows-1252, semicolons) with its reason.
      expect(rejected.filename).toBe('klanten-afgekeurd.csv');
      expect(iconv.decode(rejected.bytes, 'win1252')).toBe(
        'Voornaam;Tussenvoegsel;Achternaam;E-mailadres;Aanhef;Accountmanager;Reden afkeuring\r\n' +
          'Zoë;;Verbeek;zoe@@voorbeeld;;Renée Bakker;E-mailadres: is geen geldig e-mailadres\r\n',
      );
      await importTheGoodRows(page, 'Importeer de 3 goede regels');
      const employees = await loyaal.db.kysely
        .selectFrom('employees')
        .select('name')
        .orderBy('name')
        .execute();
      expect(employees.map((e) => e.name)).toEqual(['Jan Smit', 'Renée Bakker']);
      const owners = await loyaal.db.kysely
        .selectFrom('contacts')
        .innerJoin('employees', 'employees.id', 'contacts.owner_employee_id')
        .select(['contacts.email', 'employees.name'])
        .orderBy('contacts.email')
        .execute();
      expect(owners).toEqual([
        { email: 'fatima@voorbeeld.nl', name: 'Renée Bakker' },
        { email: 'ingrid@voorbeeld.nl', name: 'Jan Smit' },
        { email: 'kees@voorbeeld.nl', name: 'Jan Smit' },
      ]);
      await goHome(page);
      expect(await doneSteps(page)).toEqual(['contacts']);
      expect(await page.getByTestId('checklist').textContent()).toContain(
        '3 klanten staan in Loyaal.',
      );

      // 2. Mail: the garage's own server, and a test mail that really arrives.
      await setUpMailServer(page, {
        host: '127.0.0.1',
        port: smtp.port,
        username: 'piet@garagedevries.nl',
        password: SMTP_PASSWORD,
        from: 'info@garagedevries.nl',
      });
      const result = page.getByTestId('mail-test-result');
      expect(await result.textContent()).toMatch(/Gelukt\..*piet@garagedevries\.nl.*250/s);
      await smtp.waitFor(1);
      expect(smtp.received[0]).toMatchObject({
        subject: 'Testmail van Loyaal voor Garage De Vries',
        envelopeTo: [OWNER.email],
      });
      expect(await page.getByTestId('mail-route').textContent()).toBe(
        'Via uw eigen mailserver 127.0.0.1.',
      );
      await checkOnPhone(page, `first-day-mail-${dialect}`);

      // The garage's logo, uploaded: the settings show it, the email preview carries it.
      await uploadLogo(page, png(240, 60));
      const logoSrc = await page.locator('img.logo-preview').getAttribute('src');
      expect(logoSrc).toMatch(/^\/logos\/[0-9a-f-]{36}$/);
      // Served by the installation as a real image: the browser decodes it.
      await expect
        .poll(
          () =>
            page
              .locator('img.logo-preview')
              .evaluate((img) => (img as HTMLImageElement).naturalWidth),
          { timeout: 30_000 },
        )
        .toBe(240);
      await checkOnPhone(page, `first-day-settings-${dialect}`);
      await goHome(page);
      expect(await doneSteps(page)).toEqual(['contacts', 'mail']);

      // 3. The survey: the editor previews the email; the draft has no QR code.
      await newSurvey(page);
      expect(await page.getByTestId('preview-subject').textContent()).toBe(
        'Eén vraag van Garage De Vries',
      );
      await previewText(page, 'Hoe waarschijnlijk is het dat u Garage De Vries aanbeveelt');
      const logoInEmail = await page
        .frameLocator('[data-testid="preview-frame"]')
        .locator('img')
        .first()
        .getAttribute('src');
      expect(logoInEmail).toBe(logoSrc);
      // A draft: the placeholder, drawn in the render that would otherwise draw the code.
      await page.getByTestId('qr-placeholder').waitFor();
      expect(await page.getByTestId('qr-code').count()).toBe(0);
      // The question, fully visible, with placeholders in Dutch.
      const intro = page.getByLabel('Eerste alinea van de e-mail');
      expect(await intro.inputValue()).toContain('{bedrijf}');
      await intro.fill(
        '{voornaam}, we zijn benieuwd hoe u over {bedrijf} denkt. Klik op een cijfer.',
      );
      await previewText(page, 'Ingrid, we zijn benieuwd hoe u over Garage De Vries denkt.');
      await page.getByRole('button', { name: 'Telefoon' }).click();
      await page.getByRole('button', { name: 'Vragenpagina' }).click();
      await page.getByRole('button', { name: 'Passief (7)' }).click();
      await previewText(
        page,
        'Wat moet Garage De Vries veranderen zodat u een hoger cijfer geeft?',
      );
      await checkOnPhone(page, `first-day-editor-${dialect}`);

      // One action: "Activeren en versturen" keeps the edits; the send screen shows who, then sends.
      await page.getByRole('button', { name: 'Activeren en versturen' }).click();
      await page.getByTestId('send-preview').waitFor();
      // No banner only once the mail status has loaded: before that there is none either.
      await page.getByTestId('mail-delivers').waitFor({ state: 'attached' });
      expect(await page.getByTestId('mail-banner').count()).toBe(0);
      await checkOnPhone(page, `first-day-send-${dialect}`);
      await page.getByRole('button', { name: 'Activeren en versturen naar 3 contacten' }).click();
      expect(await page.getByTestId('send-done').textContent()).toBe(
        'Gelukt: 3 uitnodigingen worden nu verstuurd.',
      );
      await smtp.waitFor(4, 30_000);
      const invitations = smtp.received.slice(1);
      const toIngrid = invitations.find((m) => m.envelopeTo.includes('ingrid@voorbeeld.nl'));
      expect(toIngrid?.text()).toMatch(
        /^Beste Ingrid,\n\nIngrid, we zijn benieuwd hoe u over Garage De Vries denkt\./,
      );
      const toKees = invitations.find((m) => m.envelopeTo.includes('kees@voorbeeld.nl'));
      expect(toKees?.text()).toMatch(/^Geachte heer Jansen,\n/);
      expect(toKees?.headers.get('from')).toBe('Garage De Vries <info@garagedevries.nl>');
      // The mail server has the messages a moment before the worker records them as sent (the
      // survey's step is ticked by a sent invitation): look again, as a person reloads the page.
      await expect
        .poll(
          async () => {
            await goHome(page);
            return doneSteps(page);
          },
          { timeout: 30_000 },
        )
        .toEqual(['contacts', 'mail', 'survey']);

      // A customer clicks 9 in the email; the page says the score is saved.
      const link = /href="([^"]*\/r\/[^"?]+\?score=9)"/.exec(toIngrid?.html() ?? '')?.[1];
      expect(link).toBeTruthy();
      const customer = await loyaal.browser.newContext({ locale: 'nl-NL' });
      customer.setDefaultTimeout(30_000);
      const answer = await customer.newPage();
      const url = new URL((link ?? '').replaceAll('&amp;', '&'));
      await answer.goto(`${loyaal.baseURL}${url.pathname}${url.search}`);
      await answer.getByText('Uw score is opgeslagen.').waitFor();
      await answer.getByRole('button', { name: 'Verstuur' }).click();
      await answer.getByRole('heading', { name: 'Bedankt' }).waitFor();
      await customer.close();

      // 4. Results: the home is now the results screen; 3 sent, 3 delivered, 1 answer.
      await goHome(page);
      await expect
        .poll(() => page.getByTestId('nps-value').textContent(), { timeout: 20_000 })
        .toBe('+100');
      expect(await page.getByTestId('checklist').count()).toBe(0);
      expect(await page.getByTestId('funnel-sent').textContent()).toBe('3');
      expect(await page.getByTestId('funnel-delivered').textContent()).toBe('3');
      await page.getByTestId('mail-delivers').waitFor({ state: 'attached' });
      expect(await page.getByTestId('mail-banner').count()).toBe(0);
      await screenshot(page, `first-day-results-${dialect}`);
    }, 120_000);
  });

  describe('without a mail server', () => {
    let loyaal: Installation;

    beforeAll(async () => {
      loyaal = await startInstallation(dialect);
    });
    afterAll(async () => loyaal.close());

    it('says so on the home, the send and the results screens, and counts nothing as sent', async () => {
      const { page, db } = loyaal;
      await setUp(page);
      await importCustomers(page, CUSTOMERS);
      await goHome(page);
      expect(await page.getByTestId('checklist').textContent()).toContain(
        'Er is nog geen mailserver ingesteld',
      );

      // "Nieuwe enquête" twice — a double click, then again from the list — makes one survey.
      await page.getByRole('navigation').getByRole('link', { name: 'Enquêtes' }).click();
      await page.getByRole('button', { name: 'Nieuwe enquête' }).first().dblclick();
      await page.getByRole('heading', { name: 'Klanttevredenheid (NPS)' }).waitFor();
      const first = page.url();
      await page.getByRole('link', { name: '← Enquêtes' }).click();
      await page.getByRole('button', { name: 'Nieuwe enquête' }).first().click();
      await page.getByRole('heading', { name: 'Klanttevredenheid (NPS)' }).waitFor();
      expect(page.url()).toBe(first);
      const surveys = await db.kysely.selectFrom('surveys').select('id').execute();
      expect(surveys).toHaveLength(1);
      await page.getByTestId('preview-frame').waitFor();
      await page.getByRole('button', { name: 'Activeren en versturen' }).click();
      await page.getByTestId('send-preview').waitFor();
      const banner = page.getByTestId('mail-banner');
      expect(await banner.textContent()).toContain('Er is geen mailserver ingesteld.');
      await checkOnPhone(page, `first-day-send-no-mail-${dialect}`);
      await page
        .getByRole('button', { name: 'Activeren en 3 uitnodigingen in het lokale postvak zetten' })
        .click();
      expect(await page.getByTestId('send-done').textContent()).toContain(
        '3 uitnodigingen staan in het lokale postvak. Ze zijn niet verstuurd',
      );

      // The worker keeps the three emails in the outbox: none is sent, none delivered.
      await expect
        .poll(
          async () =>
            (
              await db.kysely
                .selectFrom('invitations')
                .select('status')
                .where('status', '=', 'outbox')
                .execute()
            ).length,
          { timeout: 15_000 },
        )
        .toBe(3);
      const sent = await db.kysely
        .selectFrom('invitations')
        .select('id')
        .where('sent_at', 'is not', null)
        .execute();
      expect(sent).toEqual([]);
      const summary = await page.evaluate(async () => {
        const res = await fetch('/api/v1/results/summary');
        return (await res.json()) as { funnel: Record<string, unknown> };
      });
      expect(summary.funnel).toMatchObject({
        sent: 0,
        delivered: 0,
        outbox: 3,
        responseRate: null,
      });

      await page.getByRole('navigation').getByRole('link', { name: 'Resultaten' }).click();
      await page.getByTestId('mail-banner').waitFor();
      // Measured with the period's (empty) results drawn, not with their Loading line.
      await page.getByText('Geen antwoorden in deze periode').waitFor();
      await checkOnPhone(page, `first-day-results-no-mail-${dialect}`);
      await goHome(page);
      expect(await doneSteps(page)).toEqual(['contacts']);
    }, 120_000);
  });
});
