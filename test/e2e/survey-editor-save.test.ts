import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSurvey } from '../support/factories.ts';
import { setUp, startInstallation, type Installation } from './first-day.helpers.ts';
import { holdNextSave } from './hold-save.helpers.ts';

const WAIT = { timeout: 30_000 };

/**
 * The survey editor keeps what a person types while a save is on its way. The stored survey that
 * the save answers with lacks those keystrokes; adopting it would wipe them. The form keeps them and
 * stays unsaved until the next save stores them. Run once (the database plays no part in it).
 */
describe('survey editor: typing on while a save is on its way', () => {
  let inst: Installation;
  let organisationId = '';
  let surveyId = '';
  const stored = async (id: string) =>
    (
      await inst.db.kysely
        .selectFrom('surveys')
        .select('name')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).name;

  beforeAll(async () => {
    inst = await startInstallation('sqlite');
    await setUp(inst.page);
    const org = await inst.db.kysely
      .selectFrom('organisations')
      .select('id')
      .executeTakeFirstOrThrow();
    organisationId = org.id;
    surveyId = (await buildSurvey(inst.db.kysely, org.id, { name: 'NPS na onderhoud' })).id;
  }, 120_000);
  afterAll(async () => inst.close());

  it('keeps the keystrokes typed during a save, says so, and stores them with the next one', async () => {
    const { page } = inst;
    const hold = await holdNextSave(page, `/api/v1/surveys/${surveyId}`);
    await page.goto(`/admin/surveys/${surveyId}`);
    const name = page.getByLabel('Naam', { exact: true });
    await name.waitFor(WAIT);
    expect(await name.inputValue()).toBe('NPS na onderhoud');
    await name.fill('NPS werkplaats');
    const save = page.getByRole('button', { name: 'Opslaan', exact: true });
    await save.click();
    await hold.sending;
    // Typed on while the first save is on its way.
    await name.fill('NPS werkplaats Utrecht');
    expect(await hold.release()).toBe(200);
    // The save is over once its button is no longer busy; the later keystrokes are still there,
    // and the screen does not say "saved" while they are not stored: it asks for another save.
    await expect.poll(() => save.getAttribute('aria-busy'), WAIT).toBeNull();
    expect(await name.inputValue()).toBe('NPS werkplaats Utrecht');
    expect(await page.getByText('Opgeslagen.', { exact: true }).count()).toBe(0);
    await page
      .getByText(
        'Wat u typte terwijl we opsloegen, is nog niet opgeslagen. Klik nog eens op ‘Opslaan’.',
      )
      .waitFor(WAIT);
    expect(await stored(surveyId)).toBe('NPS werkplaats');

    // The next save stores them, and says so.
    await save.click();
    await page.getByText('Opgeslagen.', { exact: true }).waitFor(WAIT);
    expect(await page.getByText('Wat u typte terwijl we opsloegen').count()).toBe(0);
    expect(await stored(surveyId)).toBe('NPS werkplaats Utrecht');
    await page.reload();
    await name.waitFor(WAIT);
    expect(await name.inputValue()).toBe('NPS werkplaats Utrecht');
  });

  it('does not go on to send a draft whose save missed what was typed meanwhile', async () => {
    const { page } = inst;
    const draftId = (
      await buildSurvey(inst.db.kysely, organisationId, { name: 'Concept', status: 'draft' })
    ).id;
    const hold = await holdNextSave(page, `/api/v1/surveys/${draftId}`);
    await page.goto(`/admin/surveys/${draftId}`);
    const name = page.getByLabel('Naam', { exact: true });
    await name.waitFor(WAIT);
    await name.fill('Concept garage');
    const send = page.getByRole('button', { name: 'Activeren en versturen', exact: true });
    await send.click();
    await hold.sending;
    await name.fill('Concept garage Utrecht');
    expect(await hold.release()).toBe(200);
    // It stays on the editor, keeps the keystrokes and asks to click again.
    await page
      .getByText(
        'Wat u typte terwijl we opsloegen, is nog niet opgeslagen. Klik nog eens op ‘Activeren en versturen’.',
      )
      .waitFor(WAIT);
    expect(new URL(page.url()).pathname).toBe(`/admin/surveys/${draftId}`);
    expect(await name.inputValue()).toBe('Concept garage Utrecht');
    expect(await stored(draftId)).toBe('Concept garage');

    // Clicking again stores them and goes on to the send screen.
    await send.click();
    await page.waitForURL(`**/admin/surveys/${draftId}/send`, WAIT);
    expect(await stored(draftId)).toBe('Concept garage Utrecht');
  });
});
