import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';

import { IMPORT_JOB_ATTEMPTS } from '../../src/modules/imports/imports.jobs.ts';
import { markFailed } from '../../src/modules/imports/imports.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { fileUpload } from '../support/uploads.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

interface ImportJson {
  id: string;
  status: string;
  detected: { suggestedMapping: Record<string, string> };
  error: { code: string } | null;
}

const GOOD = 'Naam;E-mailadres\nA;a@example.nl\nB;b@@\n';
/** The same file after the upload, broken: a quote that is never closed. */
const BROKEN = 'Naam;E-mailadres\nA;"a@example.nl\nB;b@@\n';

describeEachDialect('a failed import', (dialect) => {
  let t: TestApp;
  let dataDir: string;
  const stored = (id: string) => path.join(dataDir, 'imports', `${id}.csv`);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-import-failure-'));
    t = await startTestApp(dialect, { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  async function upload(client: Client): Promise<ImportJson> {
    const res = await client.request({
      method: 'POST',
      url: '/api/v1/imports',
      ...fileUpload('klanten.csv', GOOD),
    });
    expect(res.statusCode, res.body).toBe(201);
    const imp = res.json<ImportJson>();
    expect(fs.existsSync(stored(imp.id))).toBe(true);
    return imp;
  }

  async function post(client: Client, url: string, payload: object) {
    const res = await client.request({ method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBe(200);
    await drain();
    const after = await client.request({ url: `/api/v1/imports/${url.split('/')[4] ?? ''}` });
    return after.json<ImportJson>();
  }

  const validate = (client: Client, imp: ImportJson) =>
    post(client, `/api/v1/imports/${imp.id}/validate`, {
      mapping: imp.detected.suggestedMapping,
    });

  it('deletes the upload when validation finds the file broken', async () => {
    const owner = await buildOrganisation(t, 'Kapot BV');
    const imp = await upload(owner);
    fs.writeFileSync(stored(imp.id), BROKEN);
    const done = await validate(owner, imp);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('import_invalid_file');
    expect(fs.existsSync(stored(imp.id))).toBe(false);
    // Its upload is gone, so it cannot be validated again: a new upload starts over.
    const again = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/validate`,
      payload: { mapping: imp.detected.suggestedMapping },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('import_not_ready');
  });

  it('deletes the upload when the commit fails, and keeps the report of the validation', async () => {
    const owner = await buildOrganisation(t, 'Halverwege BV');
    const imp = await upload(owner);
    expect((await validate(owner, imp)).status).toBe('validated');
    fs.writeFileSync(stored(imp.id), BROKEN);
    const done = await post(owner, `/api/v1/imports/${imp.id}/commit`, { mode: 'valid_only' });
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('import_invalid_file');
    expect(fs.existsSync(stored(imp.id))).toBe(false);
    const report = await owner.request({ url: `/api/v1/imports/${imp.id}/errors` });
    expect(
      report.json<{ items: { line: number; field: string | null; value: string | null }[] }>()
        .items,
    ).toEqual([expect.objectContaining({ line: 3, field: 'email', value: 'b@@' })]);
    const contacts = await t.db.kysely
      .selectFrom('contacts')
      .select('id')
      .where('organisation_id', '=', owner.organisationId)
      .execute();
    expect(contacts).toEqual([]);
  });

  /**
   * The worker, not a direct call, runs every attempt of a job whose file cannot be read (a disk
   * error, not a broken file): the import waits while attempts are left, and only the last one
   * marks it failed and deletes what lies on disk under its name.
   */
  for (const step of ['validate', 'commit'] as const) {
    it(`fails the import on the last attempt of its ${step} job, not before, and clears its file`, async () => {
      const owner = await buildOrganisation(t, `Schijffout ${step} BV`);
      const imp = await upload(owner);
      if (step === 'commit') expect((await validate(owner, imp)).status).toBe('validated');
      const waiting = step === 'validate' ? 'validating' : 'importing';
      const res = await owner.request({
        method: 'POST',
        url: `/api/v1/imports/${imp.id}/${step}`,
        payload:
          step === 'validate' ? { mapping: imp.detected.suggestedMapping } : { mode: 'valid_only' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const status = async () =>
        (await owner.request({ url: `/api/v1/imports/${imp.id}` })).json<ImportJson>();
      for (let attempt = 1; attempt <= IMPORT_JOB_ATTEMPTS; attempt++) {
        // The path leads nowhere: reading it fails with ENOENT, a system error, so the job throws.
        fs.rmSync(stored(imp.id), { force: true });
        if (attempt === IMPORT_JOB_ATTEMPTS)
          fs.symlinkSync(path.join(dataDir, 'gone'), stored(imp.id));
        await drain();
        const job = await t.db.kysely
          .selectFrom('jobs')
          .select(['status', 'attempts'])
          .where('type', '=', `import.${step}`)
          .where('organisation_id', '=', owner.organisationId)
          .orderBy('created_at', 'desc')
          .executeTakeFirstOrThrow();
        expect(job.attempts).toBe(attempt);
        if (attempt < IMPORT_JOB_ATTEMPTS) {
          expect(job.status).toBe('queued');
          expect((await status()).status).toBe(waiting);
          t.clock.now += 3_600_000;
        } else {
          expect(job.status).toBe('failed');
          expect(await status()).toMatchObject({ status: 'failed', error: { code: 'internal' } });
          // What lay under the upload's name (here a dangling link) is gone.
          expect(() => fs.lstatSync(stored(imp.id))).toThrow();
        }
      }
    });
  }

  it('deletes the upload when a job gives up after its last attempt', async () => {
    const owner = await buildOrganisation(t, 'Opgegeven BV');
    const imp = await upload(owner);
    await markFailed({ db: t.db, dataDir, now: () => t.clock.now }, owner.organisationId, imp.id);
    const after = await owner.request({ url: `/api/v1/imports/${imp.id}` });
    expect(after.json<ImportJson>()).toMatchObject({
      status: 'failed',
      error: { code: 'internal' },
    });
    expect(fs.existsSync(stored(imp.id))).toBe(false);
  });
});
