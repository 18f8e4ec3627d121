import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildContact, buildEmployee } from '../support/factories.ts';
import { setUp, startInstallation, type Installation } from './first-day.helpers.ts';
import { holdNextSave } from './hold-save.helpers.ts';

const WAIT = { timeout: 30_000 };

/**
 * The employee, account and contact editors keep what a person types while a save is on its way (one form
 * hook, `web/src/lib/use-edit-form.hook.ts`): the stored record the save answers with lacks those
 * keystrokes, so the form keeps them, says they are not stored yet, and the next save stores them.
 * Run once (the database plays no part in it).
 */
describe('record editors: typing on while a save is on its way', () => {
  let inst: Installation;
  let organisationId = '';

  beforeAll(async () => {
    inst = await startInstallation('sqlite');
    await setUp(inst.page);
    organisationId = (
      await inst.db.kysely.selectFrom('organisations').select('id').executeTakeFirstOrThrow()
    ).id;
  }, 120_000);
  afterAll(async () => inst.close());

  const cases = [
    {
      screen: 'employee',
      build: async () =>
        (await buildEmployee(inst.db.kysely, organisationId, { name: 'Sanne' })).id,
      page: (id: string) => `/admin/employees/${id}`,
      api: (id: string) => `/api/v1/employees/${id}`,
      field: 'Team',
      table: 'employees' as const,
      column: 'team' as const,
    },
    {
      screen: 'account',
      build: async () =>
        (await buildAccount(inst.db.kysely, organisationId, { name: 'Bakkerij Bakker' })).id,
      page: (id: string) => `/admin/accounts/${id}`,
      api: (id: string) => `/api/v1/accounts/${id}`,
      field: 'Segment',
      table: 'accounts' as const,
      column: 'segment' as const,
    },
    {
      screen: 'contact',
      build: async () =>
        (
          await buildContact(inst.db.kysely, organisationId, {
            name: 'Ingrid de Wit',
            email: 'ingrid@example.nl',
          })
        ).id,
      page: (id: string) => `/admin/contacts/${id}`,
      api: (id: string) => `/api/v1/contacts/${id}`,
      field: 'Segment',
      table: 'contacts' as const,
      column: 'segment' as const,
    },
  ];

  for (const c of cases) {
    it(`the ${c.screen} editor keeps the keystrokes typed during a save, says so, and stores them with the next one`, async () => {
      const { page } = inst;
      const id = await c.build();
      const stored = async () =>
        (
          await inst.db.kysely
            .selectFrom(c.table)
            .select(c.column)
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        )[c.column];
      const hold = await holdNextSave(page, c.api(id));
      await page.goto(c.page(id));
      const field = page.getByLabel(c.field, { exact: true });
      await field.waitFor(WAIT);
      await field.fill('Werkplaats');
      const save = page.getByRole('button', { name: 'Opslaan', exact: true });
      await save.click();
      await hold.sending;
      // Typed on while the save is on its way.
      await field.fill('Werkplaats Utrecht');
      expect(await hold.release()).toBe(200);
      await page
        .getByText(
          'Wat u typte terwijl we opsloegen, is nog niet opgeslagen. Klik nog eens op ‘Opslaan’.',
        )
        .waitFor(WAIT);
      expect(await field.inputValue()).toBe('Werkplaats Utrecht');
      expect(await page.getByText('Opgeslagen.', { exact: true }).count()).toBe(0);
      expect(await stored()).toBe('Werkplaats');

      // The next save stores them, and says so.
      await save.click();
      await page.getByText('Opgeslagen.', { exact: true }).waitFor(WAIT);
      expect(await page.getByText('Wat u typte terwijl we opsloegen').count()).toBe(0);
      expect(await stored()).toBe('Werkplaats Utrecht');
      await page.reload();
      await field.waitFor(WAIT);
      expect(await field.inputValue()).toBe('Werkplaats Utrecht');
    });
  }

  it('keeps what was typed when the customer is unsubscribed beside the form; erasing empties every field, typed or not', async () => {
    const { page } = inst;
    const id = (
      await buildContact(inst.db.kysely, organisationId, {
        name: 'Pieter Bos',
        email: 'pieter@example.nl',
        phone: '0612345678',
      })
    ).id;
    await page.goto(`/admin/contacts/${id}`);
    const phone = page.getByLabel('Telefoon', { exact: true });
    await phone.waitFor(WAIT);
    await phone.fill('0687654321');
    await page.getByRole('button', { name: 'Afmelden voor enquêtes', exact: true }).click();
    await page.getByRole('button', { name: 'Weer aanmelden', exact: true }).waitFor(WAIT);
    // The unsubscribe changed the contact on screen; the typed phone number is still there, unsaved.
    expect(await phone.inputValue()).toBe('0687654321');
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    await page.getByText('Opgeslagen.', { exact: true }).waitFor(WAIT);
    const row = () =>
      inst.db.kysely
        .selectFrom('contacts')
        .select(['phone', 'unsubscribed_at', 'erased_at', 'name'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ phone: '0687654321', erased_at: null });
    expect((await row()).unsubscribed_at).not.toBeNull();

    // Typed and not saved, then erased: nothing of the customer stays in the form.
    await page.getByLabel('Naam', { exact: true }).fill('Pieter Bos-de Vries');
    await page.getByRole('button', { name: 'Persoonsgegevens wissen', exact: true }).click();
    await page.getByRole('button', { name: 'Definitief wissen', exact: true }).click();
    await page.getByText('De persoonsgegevens van dit contact zijn gewist op').waitFor(WAIT);
    for (const label of ['Naam', 'E-mailadres', 'Telefoon']) {
      const field = page.getByLabel(label, { exact: true });
      expect(await field.inputValue()).toBe('');
      expect(await field.isDisabled()).toBe(true);
    }
    expect(await page.getByText('Pieter').count()).toBe(0);
    expect(await row()).toMatchObject({ name: null, phone: null });
    expect((await row()).erased_at).not.toBeNull();
  });

  it('shuts the contact actions while a save is on its way, so an erasure never races an edit', async () => {
    const { page } = inst;
    const id = (
      await buildContact(inst.db.kysely, organisationId, {
        name: 'Anouk Smit',
        email: 'anouk@example.nl',
      })
    ).id;
    const hold = await holdNextSave(page, `/api/v1/contacts/${id}`);
    await page.goto(`/admin/contacts/${id}`);
    const segment = page.getByLabel('Segment', { exact: true });
    await segment.waitFor(WAIT);
    await segment.fill('Lease');
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    await hold.sending;
    const erase = page.getByRole('button', { name: 'Persoonsgegevens wissen', exact: true });
    const unsubscribe = page.getByRole('button', { name: 'Afmelden voor enquêtes', exact: true });
    expect(await erase.isDisabled()).toBe(true);
    expect(await unsubscribe.isDisabled()).toBe(true);
    expect(await hold.release()).toBe(200);
    await page.getByText('Opgeslagen.', { exact: true }).waitFor(WAIT);
    expect(await erase.isEnabled()).toBe(true);
    expect(await unsubscribe.isEnabled()).toBe(true);
  });

  it('keeps the fields of a new employee shut while it is being created, then shows the stored one', async () => {
    const { page } = inst;
    const hold = await holdNextSave(page, '/api/v1/employees', 'POST');
    await page.goto('/admin/employees/new');
    const name = page.getByLabel('Naam', { exact: true });
    await name.waitFor(WAIT);
    await name.fill('Joost Visser');
    await page.getByRole('button', { name: 'Medewerker toevoegen', exact: true }).click();
    await hold.sending;
    // Nothing typed now could be kept: the next screen shows the stored employee.
    expect(await name.isDisabled()).toBe(true);
    expect(await hold.release()).toBe(201);
    await page.waitForURL(/\/admin\/employees\/[0-9a-f-]{36}$/, WAIT);
    await expect.poll(() => name.isEnabled(), WAIT).toBe(true);
    expect(await name.inputValue()).toBe('Joost Visser');
  });
});
