import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildContact, buildSurvey } from '../support/factories.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { checkOnPhone, setUp, startInstallation, type Installation } from './first-day.helpers.ts';

const WAIT = { timeout: 30_000 };

/**
 * Issue 8, "messages a person understands", on the send screen: a pasted list shows every value
 * that matched nobody — a customer number or a phone number as much as an address — and a
 * problem with a field is shown beside that field, named by its label ("Laatste dag is
 * verplicht"), on a laptop and on a 390 px phone.
 */
describeInBrowserOnce(
  'send screen: what matched nobody, and problems beside their field',
  (dialect) => {
    let inst: Installation;
    let surveyId = '';

    beforeAll(async () => {
      inst = await startInstallation(dialect);
      await setUp(inst.page);
      const org = await inst.db.kysely
        .selectFrom('organisations')
        .select('id')
        .executeTakeFirstOrThrow();
      surveyId = (await buildSurvey(inst.db.kysely, org.id, { name: 'NPS na onderhoud' })).id;
      await buildContact(inst.db.kysely, org.id, {
        name: 'Jan Jansen',
        email: 'jan@voorbeeld.nl',
        external_id: 'K-1',
      });
    }, 120_000);
    afterAll(async () => inst.close());

    it('lists every pasted value that matched nobody, whatever its kind', async () => {
      const { page } = inst;
      await page.goto(`/admin/surveys/${surveyId}/send`);
      await page.getByTestId('send-preview').waitFor(WAIT);
      await page.getByLabel('Een lijst die ik plak').check();
      await page
        .getByLabel('E-mailadressen of klantnummers')
        .fill('jan@voorbeeld.nl\nK-1\nK-404\n06 1234 5678\nonbekend@voorbeeld.nl');
      await page.getByRole('button', { name: 'Bekijk wie we uitnodigen' }).click();
      const unmatched = page.getByTestId('send-unmatched');
      await unmatched.waitFor(WAIT);
      expect(await unmatched.getByRole('heading').textContent()).toBe(
        'Niet gevonden: 3 geplakte waarden',
      );
      expect(await unmatched.locator('li').allTextContents()).toEqual([
        'onbekend@voorbeeld.nl',
        'K-404',
        '06 1234 5678',
      ]);
      // The counts add up: one contact in the selection, invited; three values found nobody.
      const counts = await page
        .getByTestId('send-preview')
        .locator('.count strong')
        .allTextContents();
      expect(counts).toEqual(['1', '1', '0', '3']);
      await checkOnPhone(page, `send-unmatched-${dialect}`);
    });

    it('shows a problem beside its field, named by the label', async () => {
      const { page } = inst;
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`/admin/surveys/${surveyId}/send`);
      await page.getByTestId('send-preview').waitFor(WAIT);
      await page.getByLabel('Verspreid over een periode, in rondes').check();
      const lastDay = page.getByLabel('Laatste dag', { exact: true });
      // A year ahead by default; emptied, the API's problem shows under the field itself.
      expect(await lastDay.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await lastDay.fill('');
      await page.getByRole('button', { name: 'Bekijk wie we uitnodigen' }).click();
      const field = page.locator('.field-invalid');
      await field.waitFor(WAIT);
      expect(await field.locator('label').textContent()).toBe('Laatste dag');
      expect(await field.locator('.field-error').textContent()).toBe('Laatste dag is verplicht');
      expect(await lastDay.getAttribute('aria-invalid')).toBe('true');
      await checkOnPhone(page, `send-field-error-${dialect}`);
    });
  },
);
