import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSurvey } from '../support/factories.ts';
import { setUp, startInstallation, type Installation } from './first-day.helpers.ts';

const WAIT = { timeout: 30_000 };

/**
 * The survey editor keeps what a person types while a save is on its way. The stored survey that
 * the save answers with lacks those keystrokes; adopting it would wipe them. The form keeps them and
 * stays unsaved until the next save stores them. Run once (the database plays no part in it).
 */
describe('survey editor: typing on while a save is on its way', () => {
  let inst: Installation;
  let surveyId = '';

  beforeAll(async () => {
    inst = await startInstallation('sqlite');
    await setUp(inst.page);
    const org = await inst.db.kysely
      .selectFrom('organisations')
      .select('id')
      .executeTakeFirstOrThrow();
    surveyId = (await buildSurvey(inst.db.kysely, org.id, { name: 'NPS na onderhoud' })).id;
  }, 120_000);
  afterAll(async () => inst.close());

  it('keeps the keystrokes typed during a save, and stores them with the next one', async () => {
    const { page } = inst;
    // The save's request waits at the browser until the test lets it go.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let sent!: () => void;
    const sending = new Promise<void>((resolve) => (sent = resolve));
    let held = false;
    await page.route(`**/api/v1/surveys/${surveyId}`, async (route) => {
      if (route.request().method() !== 'PATCH' || held) return route.continue();
      held = true;
      sent();
      await released;
      await route.continue();
    });

    await page.goto(`/admin/surveys/${surveyId}`);
    const name = page.getByLabel('Naam', { exact: true });
    await name.waitFor(WAIT);
    expect(await name.inputValue()).toBe('NPS na onderhoud');
    await name.fill('NPS werkplaats');
    const save = page.getByRole('button', { name: 'Opslaan', exact: true });
    await save.click();
    await sending;
    // Typed on while the first save is on its way.
    await name.fill('NPS werkplaats Utrecht');
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().endsWith(`/surveys/${surveyId}`),
    );
    release();
    expect((await answered).status()).toBe(200);
    // The save is over once its button is no longer busy; the later keystrokes are still there,
    // and the screen does not say "saved" while they are not stored.
    await expect.poll(() => save.getAttribute('aria-busy'), WAIT).toBeNull();
    expect(await name.inputValue()).toBe('NPS werkplaats Utrecht');
    expect(await page.getByText('Opgeslagen.').count()).toBe(0);
    const stored = async () =>
      (
        await inst.db.kysely
          .selectFrom('surveys')
          .select('name')
          .where('id', '=', surveyId)
          .executeTakeFirstOrThrow()
      ).name;
    expect(await stored()).toBe('NPS werkplaats');

    // The next save stores them, and says so.
    await save.click();
    await page.getByText('Opgeslagen.').waitFor(WAIT);
    expect(await stored()).toBe('NPS werkplaats Utrecht');
    await page.reload();
    await name.waitFor(WAIT);
    expect(await name.inputValue()).toBe('NPS werkplaats Utrecht');
  });
});
