import type { Page } from 'playwright-core';

/**
 * Holds the next save of one record at the browser until the test lets it go, so a test can type on
 * while the save is on its way. `sending` settles once the request left the screen; `release` lets
 * it through and resolves with its answer's status. `apiPath` is the record's API path, e.g.
 * `/api/v1/surveys/<id>` (a PATCH), or the collection's for a record being created (a POST).
 */
export async function holdNextSave(
  page: Page,
  apiPath: string,
  method: 'PATCH' | 'POST' = 'PATCH',
) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let sent!: () => void;
  const sending = new Promise<void>((resolve) => (sent = resolve));
  let held = false;
  const url = `**${apiPath}`;
  await page.route(url, async (route) => {
    if (route.request().method() !== method || held) return route.continue();
    held = true;
    sent();
    await released;
    await route.continue();
  });
  return {
    sending,
    release: async () => {
      const answered = page.waitForResponse(
        (r) => r.request().method() === method && new URL(r.url()).pathname === apiPath,
      );
      release();
      const status = (await answered).status();
      await page.unroute(url);
      return status;
    },
  };
}
