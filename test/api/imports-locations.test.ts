import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { fileUpload } from '../support/uploads.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

interface ImportJson {
  id: string;
  status: string;
  detected: { suggestedMapping: Record<string, string> };
  progress: { total: number; valid: number; rejected: number; created: number };
  locationResolutions: { value: string; action: string; locationId?: string }[];
}
interface UnknownJson {
  items: { value: string; problem: string; rows: number }[];
  complete: boolean;
  resolutions: unknown[];
}

/**
 * A contact import with a `Vestiging` column (issue 10): a name matches one of the organisation's
 * locations (case and accents ignored); a name it does not have — including one only another
 * organisation has, or an archived one — is listed once for the owner to create, link or leave
 * empty, exactly like an unknown account manager; locations are created by the commit only.
 */
describeEachDialect('an import with a location column', (dialect) => {
  let t: TestApp;
  let dataDir: string;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-locations-'));
    t = await startTestApp(dialect, { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function get(org: Client, id: string) {
    const res = await org.request({ url: `/api/v1/imports/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ImportJson>();
  }
  async function addLocation(org: Client, name: string, archived = false) {
    const res = await org.request({ method: 'POST', url: '/api/v1/locations', payload: { name } });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: string }>().id;
    if (archived) {
      const arch = await org.request({
        method: 'PATCH',
        url: `/api/v1/locations/${id}`,
        payload: { archived: true },
      });
      expect(arch.statusCode, arch.body).toBe(200);
    }
    return id;
  }
  async function locationsOf(org: Client) {
    return (
      await t.db.kysely
        .selectFrom('locations')
        .select(['id', 'name', 'archived_at'])
        .where('organisation_id', '=', org.organisationId)
        .orderBy('name_key')
        .execute()
    ).map((l) => ({ id: l.id, name: l.name, archived: l.archived_at !== null }));
  }
  async function contactLocations(org: Client) {
    return (
      await t.db.kysely
        .selectFrom('contacts')
        .select(['external_id', 'location_id'])
        .where('organisation_id', '=', org.organisationId)
        .orderBy('external_id')
        .execute()
    ).map((c) => [c.external_id, c.location_id]);
  }

  // One import's life: check, decide, commit. The steps build on each other.
  describe('a garage with branches imports its customers', { shuffle: false }, () => {
    let org: Client;
    let other: Client;
    let imp: ImportJson;
    let leeuwarden: string;
    let drachten: string;
    let othersSneek: string;

    beforeAll(async () => {
      org = await buildOrganisation(t, 'Garage Friesland');
      other = await buildOrganisation(t, 'Garage Elders');
      leeuwarden = await addLocation(org, 'Leeuwarden');
      drachten = await addLocation(org, 'Drachten', true);
      othersSneek = await addLocation(other, 'Sneek');
      const up = await org.request({
        method: 'POST',
        url: '/api/v1/imports',
        ...fileUpload(
          'klanten.csv',
          [
            'Klantnummer;Naam;E-mailadres;Vestiging',
            '1;Renée Çelik;renee@example.nl;Leeuwarden',
            '2;Zoë Hof;zoe@example.nl;LEEUWARDEN',
            '3;Piet Bakker;piet@example.nl;Heerenveen',
            '4;Els Veen;els@example.nl;heerenveen',
            '5;Kees Bos;kees@example.nl;Sneek',
            '6;Anna de Vries;anna@example.nl;Drachten',
            '7;Bas Smit;bas@example.nl;',
          ].join('\r\n'),
        ),
      });
      expect(up.statusCode, up.body).toBe(201);
      const uploaded = up.json<ImportJson>();
      expect(uploaded.detected.suggestedMapping.Vestiging).toBe('location');
      const res = await org.request({
        method: 'POST',
        url: `/api/v1/imports/${uploaded.id}/validate`,
        payload: { mapping: uploaded.detected.suggestedMapping },
      });
      expect(res.statusCode, res.body).toBe(200);
      await drain();
      imp = await get(org, uploaded.id);
    });

    it('matches known locations and lists each unknown name once, with its rows', async () => {
      expect(imp.progress).toMatchObject({ total: 7, valid: 3, rejected: 4 });
      const res = await org.request({ url: `/api/v1/imports/${imp.id}/locations` });
      expect(res.statusCode, res.body).toBe(200);
      // Sneek is another organisation's; Drachten is archived: neither is offered here.
      expect(res.json<UnknownJson>()).toEqual({
        items: [
          { value: 'Heerenveen', problem: 'unknown_location', rows: 2 },
          { value: 'Sneek', problem: 'unknown_location', rows: 1 },
          { value: 'Drachten', problem: 'unknown_location', rows: 1 },
        ],
        complete: true,
        resolutions: [],
      });
      const errors = await org.request({ url: `/api/v1/imports/${imp.id}/errors` });
      expect(
        errors.json<{ items: { line: number; column: string; message: string }[] }>().items,
      ).toContainEqual(
        expect.objectContaining({
          line: 6,
          column: 'Vestiging',
          message: 'is niet bekend bij deze organisatie',
        }),
      );
    });

    it("refuses a link to another organisation's location, naming the field", async () => {
      const res = await org.request({
        method: 'POST',
        url: `/api/v1/imports/${imp.id}/locations`,
        payload: { resolutions: [{ value: 'Sneek', action: 'link', locationId: othersSneek }] },
      });
      expect(res.statusCode).toBe(400);
      expect(
        res.json<{ error: { fields: { field: string; problem: string }[] } }>().error.fields,
      ).toMatchObject([{ field: 'resolutions.0.locationId', problem: 'not_found' }]);
      // An archived location cannot be linked to either.
      const archived = await org.request({
        method: 'POST',
        url: `/api/v1/imports/${imp.id}/locations`,
        payload: { resolutions: [{ value: 'Sneek', action: 'link', locationId: drachten }] },
      });
      expect(archived.statusCode).toBe(400);
      expect((await get(org, imp.id)).status).toBe('validated');
    });

    it('checks again with the decisions applied, creating no location before the import', async () => {
      const res = await org.request({
        method: 'POST',
        url: `/api/v1/imports/${imp.id}/locations`,
        payload: {
          resolutions: [
            { value: 'Heerenveen', action: 'create' },
            { value: 'Sneek', action: 'empty' },
            { value: 'Drachten', action: 'create' },
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<ImportJson>().status).toBe('validating');
      await drain();
      const checked = await get(org, imp.id);
      expect(checked.progress).toMatchObject({ valid: 7, rejected: 0 });
      expect(checked.locationResolutions).toEqual([
        { value: 'Heerenveen', action: 'create' },
        { value: 'Sneek', action: 'empty' },
        { value: 'Drachten', action: 'create' },
      ]);
      expect(await locationsOf(org)).toEqual([
        { id: drachten, name: 'Drachten', archived: true },
        { id: leeuwarden, name: 'Leeuwarden', archived: false },
      ]);
    });

    it('creates Heerenveen, restores Drachten and gives every contact its location', async () => {
      const res = await org.request({
        method: 'POST',
        url: `/api/v1/imports/${imp.id}/commit`,
        payload: {},
      });
      expect(res.statusCode, res.body).toBe(200);
      await drain();
      expect((await get(org, imp.id)).status).toBe('completed');
      const all = await locationsOf(org);
      const heerenveen = all.find((l) => l.name === 'Heerenveen')?.id;
      expect(all).toEqual([
        { id: drachten, name: 'Drachten', archived: false },
        { id: heerenveen, name: 'Heerenveen', archived: false },
        { id: leeuwarden, name: 'Leeuwarden', archived: false },
      ]);
      expect(await contactLocations(org)).toEqual([
        ['1', leeuwarden],
        ['2', leeuwarden],
        ['3', heerenveen],
        ['4', heerenveen],
        ['5', null],
        ['6', drachten],
        ['7', null],
      ]);
      // The other organisation's locations are untouched and none of its ids was used.
      expect((await locationsOf(other)).map((l) => l.name)).toEqual(['Sneek']);
    });

    it('updates a contact with the location of a second file, keeping it when the cell is empty', async () => {
      const up = await org.request({
        method: 'POST',
        url: '/api/v1/imports',
        ...fileUpload(
          'update.csv',
          [
            'Klantnummer;E-mailadres;Branch',
            '1;renee@example.nl;Heerenveen',
            '3;piet@example.nl;',
          ].join('\r\n'),
        ),
      });
      const second = up.json<ImportJson>();
      expect(second.detected.suggestedMapping.Branch).toBe('location');
      await org.request({
        method: 'POST',
        url: `/api/v1/imports/${second.id}/validate`,
        payload: { mapping: second.detected.suggestedMapping },
      });
      await drain();
      await org.request({
        method: 'POST',
        url: `/api/v1/imports/${second.id}/commit`,
        payload: {},
      });
      await drain();
      const heerenveen = (await locationsOf(org)).find((l) => l.name === 'Heerenveen')?.id;
      const rows = new Map(await contactLocations(org).then((r) => r.map(([k, v]) => [k, v])));
      expect(rows.get('1')).toBe(heerenveen);
      expect(rows.get('3')).toBe(heerenveen);
    });
  });
});
