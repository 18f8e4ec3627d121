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
  kind: 'contacts' | 'visits';
  status: string;
  detected: { suggestedMapping: Record<string, string> };
  mapping: Record<string, string> | null;
  progress: { total: number; valid: number; rejected: number; created: number; updated: number };
  options: { decimal?: 'comma' | 'point' };
  question: null | {
    kind: 'decimal';
    status: 'ambiguous' | 'conflict';
    examples: { comma: string[]; point: string[]; either: string[] };
  };
}
interface ErrorItem {
  line: number;
  field: string | null;
  code: string;
  value: string | null;
  message: string;
}
interface VisitItem {
  visitedAt: string;
  amount: number;
  kind: string | null;
  status: string;
  source: string;
  externalId: string | null;
}

/** A workshop system's export: Dutch amounts and dates, and every kind of bad row. */
const WORKSHOP_EXPORT = [
  'Klantnummer;E-mail;Telefoon;Datum;Bedrag;Soort;Status;Werkorder',
  'K-100;;;28-10-2026;€ 1.234,56;APK;afgerond;W-1', // 2 ok
  ';bram@example.nl;;3-10-26;12,50;Onderhoud;;W-2', // 3 ok (email, d-m-jj)
  ';;+31 6 1234 5678;2026-10-05;89,95;Reparatie;;W-3', // 4 ok (phone, ISO)
  ';;;2026-10-01;10,00;;;W-4', // 5 no customer
  'K-999;;;01-10-2026;10,00;;;W-5', // 6 unknown customer
  'K-100;;;31-02-2026;10,00;;;W-6', // 7 no such date
  'K-100;;;01-10-2026;-25,00;;;W-7', // 8 negative, not a refund
  'K-100;;;02-10-2026;-25,00;;Creditnota;W-8', // 9 ok refund
  'K-100;;;02-10-2026;12.50;;;W-9', // 10 point in a comma file
  'K-200;;;04-10-2026;15,00;;;W-2', // 11 repeats W-2
  'K-100;;;04-10-2026;15,00;;onbekend;W-11', // 12 unknown status
].join('\r\n');

describeEachDialect('visits import through the import wizard', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let dataDir: string;
  let anna: string;
  let bram: string;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-visits-import-'));
    t = await startTestApp(dialect, { DATA_DIR: dataDir });
    t.clock.now = Date.UTC(2026, 10, 2, 9, 0);
    owner = await buildOrganisation(t);
    const contact = async (payload: Record<string, unknown>) => {
      const res = await owner.request({ method: 'POST', url: '/api/v1/contacts', payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    anna = await contact({
      name: 'Anna de Wit',
      email: 'anna@example.nl',
      externalId: 'K-100',
      phone: '06-12345678',
    });
    bram = await contact({ name: 'Bram Bos', email: 'bram@example.nl', externalId: 'K-200' });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function upload(client: Client, name: string, content: string): Promise<ImportJson> {
    const res = await client.request({
      method: 'POST',
      url: '/api/v1/imports?kind=visits',
      ...fileUpload(name, content),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ImportJson>();
  }
  async function validate(
    imp: ImportJson,
    options?: { decimal: 'comma' | 'point' },
  ): Promise<ImportJson> {
    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/validate`,
      payload: {
        mapping: imp.mapping ?? imp.detected.suggestedMapping,
        ...(options ? { options } : {}),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    await drain();
    return (await owner.request({ url: `/api/v1/imports/${imp.id}` })).json<ImportJson>();
  }
  const visitsOf = async (contactId: string) =>
    (await owner.request({ url: `/api/v1/contacts/${contactId}/visits` })).json<{
      visits: VisitItem[];
    }>().visits;

  it('suggests the visit columns from Dutch headers', async () => {
    const imp = await upload(owner, 'werkplaats.csv', WORKSHOP_EXPORT);
    expect(imp.kind).toBe('visits');
    expect(imp.detected.suggestedMapping).toEqual({
      Klantnummer: 'customerNumber',
      'E-mail': 'email',
      Telefoon: 'phone',
      Datum: 'visitedAt',
      Bedrag: 'amount',
      Soort: 'kind',
      Status: 'status',
      Werkorder: 'externalId',
    });
    const fields = (await owner.request({ url: '/api/v1/imports/fields?kind=visits' })).json<{
      items: { field: string; label: string }[];
    }>().items;
    expect(fields.map((f) => f.field)).toContain('visitedAt');
    expect(fields.find((f) => f.field === 'amount')?.label).toBe('Bedrag');
    // A mapping without date or customer is refused before any row is read.
    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/validate`,
      payload: { mapping: { Bedrag: 'amount', Soort: 'name' } },
    });
    expect(res.statusCode).toBe(400);
    const problems = res.json<{ error: { fields: { field: string; problem: string }[] } }>().error
      .fields;
    expect(problems.map((p) => [p.field, p.problem])).toEqual(
      expect.arrayContaining([
        ['mapping.Soort', 'invalid_value'],
        ['mapping', 'customer_required'],
        ['mapping', 'missing_date'],
      ]),
    );
  });

  it('asks about a file with 12,50 and 12.50, rejects every bad row with line and reason, and imports the valid rows or nothing', async () => {
    const imp = await upload(owner, 'werkplaats.csv', WORKSHOP_EXPORT);
    // `12,50` and `12.50` in one file: asked, never guessed, and nothing can be imported yet.
    const asked = await validate(imp);
    expect(asked.status).toBe('validated');
    expect(asked.question?.status).toBe('conflict');
    expect(asked.question?.examples.point).toEqual(['12.50']);
    const early = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/commit`,
      payload: { mode: 'valid_only' },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json<{ error: { code: string } }>().error.code).toBe('import_question_open');

    const checked = await validate(asked, { decimal: 'comma' });
    expect(checked.question).toBeNull();
    expect(checked.options).toEqual({ decimal: 'comma' });
    expect(checked.progress).toMatchObject({ total: 11, valid: 4, rejected: 7 });
    const errors = (await owner.request({ url: `/api/v1/imports/${imp.id}/errors` })).json<{
      items: ErrorItem[];
    }>().items;
    expect(errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [5, 'customer', 'customer_required'],
      [6, 'customer', 'unknown_customer'],
      [7, 'visitedAt', 'date_invalid'],
      [8, 'amount', 'amount_negative'],
      [10, 'amount', 'amount_convention'],
      [11, 'externalId', 'duplicate_in_file'],
      [12, 'status', 'invalid_status'],
    ]);
    expect(errors.find((e) => e.line === 6)?.value).toBe('K-999');
    expect(errors.find((e) => e.line === 6)?.message).toMatch(/geen bekende klant/);

    // The rejected rows download names the columns in words.
    const rejected = await owner.request({ url: `/api/v1/imports/${imp.id}/rejected` });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.body).toContain('Werkorder');
    expect(rejected.body).toContain('Klant: is geen bekende klant');
    expect(rejected.body).toContain('Bedrag: past niet bij het decimaalteken');

    const before = (await visitsOf(anna)).length;
    const committed = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/commit`,
      payload: { mode: 'valid_only' },
    });
    expect(committed.statusCode, committed.body).toBe(200);
    await drain();
    const done = (await owner.request({ url: `/api/v1/imports/${imp.id}` })).json<ImportJson>();
    expect(done.status).toBe('completed');
    expect(done.progress).toMatchObject({ created: 4, updated: 0, rejected: 7 });

    const annas = await visitsOf(anna);
    expect(annas.length - before).toBe(3);
    const byNumber = new Map(annas.map((v) => [v.externalId, v]));
    expect(byNumber.get('W-1')).toMatchObject({ amount: 1234.56, kind: 'APK', source: 'import' });
    expect(byNumber.get('W-1')?.visitedAt.slice(0, 10)).toBe('2026-10-28');
    expect(byNumber.get('W-3')).toMatchObject({ amount: 89.95, kind: 'Reparatie' });
    expect(byNumber.get('W-8')).toMatchObject({ amount: -25, status: 'refund' });
    const brams = await visitsOf(bram);
    expect(brams.find((v) => v.externalId === 'W-2')).toMatchObject({ amount: 12.5 });
    expect(brams.find((v) => v.externalId === 'W-2')?.visitedAt.slice(0, 10)).toBe('2026-10-03');

    // The same file again updates the same visits by their number: nothing doubles.
    const again = await upload(owner, 'werkplaats.csv', WORKSHOP_EXPORT);
    await validate(again, { decimal: 'comma' });
    await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${again.id}/commit`,
      payload: { mode: 'valid_only' },
    });
    await drain();
    const second = (await owner.request({ url: `/api/v1/imports/${again.id}` })).json<ImportJson>();
    expect(second.progress).toMatchObject({ created: 0, updated: 4 });
    expect((await visitsOf(anna)).length).toBe(annas.length);
  });

  it('asks about a file whose only amounts read two ways, and reads them as answered', async () => {
    const file = ['Klantnummer;Datum;Bedrag', 'K-200;01-09-2026;1.234', 'K-200;02-09-2026;7'].join(
      '\n',
    );
    const imp = await upload(owner, 'bedragen.csv', file);
    const asked = await validate(imp);
    expect(asked.question?.status).toBe('ambiguous');
    expect(asked.question?.examples.either).toEqual(['1.234']);
    const answered = await validate(asked, { decimal: 'comma' });
    expect(answered.progress).toMatchObject({ valid: 2, rejected: 0 });
    await owner.request({ method: 'POST', url: `/api/v1/imports/${imp.id}/commit`, payload: {} });
    await drain();
    const amounts = (await visitsOf(bram))
      .filter((v) => v.visitedAt.startsWith('2026-09'))
      .map((v) => v.amount)
      .sort((a, b) => a - b);
    expect(amounts).toEqual([7, 1234]);
  });

  it('writes nothing when the owner chooses nothing, and a file in one convention is not asked about', async () => {
    const file = [
      'Klantnummer;Datum;Bedrag',
      'K-200;01-08-2026;12,50',
      'K-404;02-08-2026;3,00',
    ].join('\n');
    const imp = await upload(owner, 'augustus.csv', file);
    const checked = await validate(imp);
    expect(checked.question).toBeNull();
    expect(checked.options).toEqual({ decimal: 'comma' });
    expect(checked.progress).toMatchObject({ valid: 1, rejected: 1 });
    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/commit`,
      payload: { mode: 'nothing' },
    });
    expect(res.json<ImportJson>().status).toBe('cancelled');
    expect((await visitsOf(bram)).some((v) => v.visitedAt.startsWith('2026-08'))).toBe(false);
  });

  describe('another organisation', () => {
    it('cannot see or match into this organisation', async () => {
      const other = await buildOrganisation(t, 'Andere Garage');
      const res = await other.request({
        method: 'POST',
        url: '/api/v1/imports?kind=visits',
        ...fileUpload('x.csv', 'Klantnummer;Datum;Bedrag\nK-100;01-10-2026;10,00'),
      });
      const imp = res.json<ImportJson>();
      await other.request({
        method: 'POST',
        url: `/api/v1/imports/${imp.id}/validate`,
        payload: { mapping: imp.detected.suggestedMapping },
      });
      await drain();
      const errors = (await other.request({ url: `/api/v1/imports/${imp.id}/errors` })).json<{
        items: ErrorItem[];
      }>().items;
      expect(errors.map((e) => e.code)).toEqual(['unknown_customer']);
      expect((await owner.request({ url: `/api/v1/imports/${imp.id}` })).statusCode).toBe(404);
    });
  });
});
