import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { png } from '../support/images.ts';
import { fileUpload } from '../support/uploads.ts';

interface Org {
  settings: { logoId: string | null };
}
interface ErrorBody {
  error: { fields: { field: string; problem: string; message: string }[] };
}

describeEachDialect('the logo, uploaded and served from the installation', (dialect) => {
  let t: TestApp;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp(dialect, { PUBLIC_URL: 'https://nps.garagedevries.nl' });
    owner = await buildOrganisation(t);
  });
  afterAll(async () => t.close());

  const upload = (filename: string, type: string, bytes: Buffer) =>
    owner.request({
      method: 'POST',
      url: '/api/v1/organisation/logo',
      ...fileUpload(filename, bytes, type),
    });

  it('stores a PNG and serves it with its type and a long cache; pages and emails show it', async () => {
    const image = png(320, 80);
    const res = await upload('logo.png', 'image/png', image);
    expect(res.statusCode, res.body).toBe(200);
    const logoId = res.json<Org>().settings.logoId;
    expect(logoId).toMatch(/^[0-9a-f-]{36}$/);

    const served = await t.app.inject({ url: `/logos/${logoId}` });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.equals(image)).toBe(true);

    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    const { id: surveyId, anonymousToken } = survey.json<{ id: string; anonymousToken: string }>();
    const page = await t.app.inject({ url: `/s/${anonymousToken}` });
    expect(page.body).toContain(`<img class="logo" src="/logos/${logoId}"`);

    await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Klant', email: 'klant@example.nl' },
    });
    await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
    });
    await startWorker(t.deps, { concurrency: 1 }, false).drain();
    const { items } = (await owner.request({ url: '/api/v1/outbox' })).json<{
      items: { id: string }[];
    }>();
    const email = await owner.request({ url: `/api/v1/outbox/${items[0]?.id}` });
    expect(email.json<{ html: string }>().html).toContain(
      `src="https://nps.garagedevries.nl/logos/${logoId}"`,
    );
  });

  it('refuses SVG, other files and oversized logos, saying why, and keeps the current logo', async () => {
    const before = (await owner.request({ url: '/api/v1/organisation' })).json<Org>().settings
      .logoId;
    const svg = await upload('logo.svg', 'image/svg+xml', Buffer.from('<svg xmlns="x"/>'));
    expect(svg.statusCode).toBe(400);
    expect(svg.json<ErrorBody>().error.fields[0]).toMatchObject({
      field: 'file',
      problem: 'logo_svg',
      message: expect.stringContaining('PNG of JPEG') as string,
    });
    // A file named .png is judged by its bytes.
    const fake = await upload('logo.png', 'image/png', Buffer.from('<html>not an image</html>'));
    expect(fake.json<ErrorBody>().error.fields[0]?.problem).toBe('logo_type');
    const huge = await upload('groot.png', 'image/png', Buffer.alloc(600 * 1024, 1));
    expect(huge.statusCode).toBe(400);
    expect(huge.json<ErrorBody>().error.fields[0]?.problem).toBe('logo_too_large');
    const after = (await owner.request({ url: '/api/v1/organisation' })).json<Org>().settings
      .logoId;
    expect(after).toBe(before);
  });

  it('replaces the logo on a new upload and removes it on request', async () => {
    const first = (await upload('eerst.png', 'image/png', png(100, 100))).json<Org>().settings
      .logoId;
    expect((await t.app.inject({ url: `/logos/${first}` })).statusCode).toBe(200);
    const second = (await upload('nieuw.png', 'image/png', png(200, 200))).json<Org>().settings
      .logoId;
    expect(second).not.toBe(first);
    expect((await t.app.inject({ url: `/logos/${first}` })).statusCode).toBe(404);
    const removed = await owner.request({ method: 'DELETE', url: '/api/v1/organisation/logo' });
    expect(removed.json<Org>().settings.logoId).toBeNull();
    expect((await t.app.inject({ url: `/logos/${second}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/logos/not-a-uuid' })).statusCode).toBe(400);
  });
});
