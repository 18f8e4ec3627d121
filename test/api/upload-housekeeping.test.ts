import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueue } from '../../src/platform/jobs/define-job.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { importCleanupJob } from '../../src/modules/imports/imports.jobs.ts';
import { newId } from '../../src/shared/ids.ts';
import { describeEachDialect } from '../support/databases.ts';
import { fileUpload } from '../support/uploads.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const HOUR = 3_600_000;

/**
 * Finding 13 of the probe (issue 7), its upload part: abandoned and crashed uploads stayed in
 * DATA_DIR for ever, and one organisation could fill the disk. A daily job expires imports left for
 * a day and deletes orphaned files; each organisation has IMPORT_QUOTA_MB for unfinished uploads.
 */
describeEachDialect('import uploads on disk', (dialect) => {
  let t: TestApp;
  let dataDir: string;
  let owner: Client;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-housekeeping-'));
    t = await startTestApp(dialect, { DATA_DIR: dataDir, IMPORT_QUOTA_MB: '1' });
    owner = await buildOrganisation(t);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const csv = (kb: number) =>
    [
      'Naam;E-mail',
      ...Array.from(
        { length: Math.ceil((kb * 1024) / 32) },
        (_, i) => `Klant ${i};k${i}@voorbeeld.nl`,
      ),
    ].join('\n');
  const upload = (client: Client, content: string) =>
    client.request({
      method: 'POST',
      url: '/api/v1/imports',
      ...fileUpload('klanten.csv', content),
    });
  const files = () => {
    const dir = path.join(dataDir, 'imports');
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  };

  it('keeps each organisation within its upload quota, with a clear message', async () => {
    const already = files();
    const first = await upload(owner, csv(600));
    expect(first.statusCode, first.body).toBe(201);
    const second = await upload(owner, csv(600));
    expect(second.statusCode).toBe(409);
    expect(second.json()).toEqual({
      error: {
        code: 'upload_quota_exceeded',
        message:
          'Er staan al 1 MB aan onafgeronde imports klaar (hoogstens 1 MB per organisatie). Rond die eerst af of annuleer ze, en probeer het dan opnieuw.',
      },
    });
    // The refused upload left no file behind: only the first one is new.
    expect(files()).toEqual([...already, `${first.json<{ id: string }>().id}.csv`].sort());
    // Another organisation has its own quota; cancelling frees this one's.
    const other = await buildOrganisation(t, 'Andere Garage');
    expect((await upload(other, csv(600))).statusCode).toBe(201);
    const id = first.json<{ id: string }>().id;
    await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${id}/commit`,
      payload: { mode: 'nothing' },
    });
    expect((await upload(owner, csv(600))).statusCode).toBe(201);
  });

  it('expires an import left for a day and deletes abandoned and crashed uploads', async () => {
    const org = await buildOrganisation(t, 'Vergeten BV');
    const left = await upload(org, csv(1));
    const leftId = left.json<{ id: string }>().id;
    const fresh = await upload(org, csv(1));
    const freshId = fresh.json<{ id: string }>().id;
    const dir = path.join(dataDir, 'imports');
    const crashed = path.join(dir, `${newId()}.upload`);
    fs.writeFileSync(crashed, 'Naam;E-mail\nhalf');
    const old = new Date(t.clock.now - 48 * HOUR);
    for (const f of [path.join(dir, `${leftId}.csv`), crashed]) fs.utimesSync(f, old, old);
    t.clock.now += 25 * HOUR;
    const recent = new Date(t.clock.now - HOUR);
    fs.utimesSync(path.join(dir, `${freshId}.csv`), recent, recent);
    const before = files();

    await enqueue(t.db.kysely, importCleanupJob, {}, { organisationId: null, now: t.clock.now });
    await startWorker(t.deps, { concurrency: 1 }, false).drain();

    expect(before.filter((f) => !files().includes(f)).sort()).toEqual(
      [`${leftId}.csv`, path.basename(crashed)].sort(),
    );
    expect(files()).toContain(`${freshId}.csv`);
    const expired = await org.request({ url: `/api/v1/imports/${leftId}` });
    expect(expired.json()).toMatchObject({
      status: 'failed',
      error: {
        code: 'import_expired',
        message:
          'Dit bestand lag langer dan een dag onaangeroerd en is daarom verwijderd. Upload het opnieuw om verder te gaan.',
      },
    });
    expect((await org.request({ url: `/api/v1/imports/${freshId}` })).json()).toMatchObject({
      status: 'uploaded',
    });
  });
});
