import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';

import { describeEachDialect } from '../support/databases.ts';
import { fileUpload } from '../support/uploads.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');

interface ImportJson {
  id: string;
  filename: string;
  format: 'csv' | 'xlsx';
  status: string;
  detected: {
    encoding: string | null;
    delimiter: string | null;
    headers: string[];
    suggestedMapping: Record<string, string>;
    preview: { line: number; values: string[] }[];
  };
  mapping: Record<string, string> | null;
  progress: {
    total: number;
    processed: number;
    valid: number;
    rejected: number;
    created: number;
    updated: number;
  };
  error: { code: string; message: string } | null;
}

interface ErrorItem {
  line: number;
  field: string | null;
  column: string | null;
  code: string;
  value: string | null;
  message: string;
}

interface ErrorBody {
  error: {
    code: string;
    message: string;
    fields?: { field: string; problem: string; message: string }[];
  };
}

/** For the body without a file part (the files themselves go through `fileUpload`). */
const BOUNDARY = 'loyaal-import-test';

async function xlsxBuffer(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Klanten');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describeEachDialect('contact import', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let dataDir: string;
  /** The files the import keeps on disk; before the first upload the folder may not exist yet. */
  const files = () => {
    const dir = path.join(dataDir, 'imports');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-import-'));
    t = await startTestApp(dialect, { DATA_DIR: dataDir });
    owner = await buildOrganisation(t);
    for (const employee of [
      { name: 'Jan de Vries', email: 'jan@garage.example' },
      { name: 'Sanne Bakker', email: 'sanne@garage.example' },
    ]) {
      const res = await owner.request({
        method: 'POST',
        url: '/api/v1/employees',
        payload: employee,
      });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  async function upload(client: Client, filename: string, content: Buffer | string) {
    return client.request({
      method: 'POST',
      url: '/api/v1/imports',
      ...fileUpload(filename, content, 'application/octet-stream'),
    });
  }

  async function uploadOk(client: Client, filename: string, content: Buffer | string) {
    const res = await upload(client, filename, content);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ImportJson>();
  }

  async function validate(
    client: Client,
    imp: ImportJson,
    mapping = imp.detected.suggestedMapping,
  ) {
    const res = await client.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/validate`,
      payload: { mapping },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ImportJson>().status).toBe('validating');
    await drain();
    return get(client, imp.id);
  }

  async function commit(client: Client, id: string, mode: 'valid_only' | 'nothing') {
    const res = await client.request({
      method: 'POST',
      url: `/api/v1/imports/${id}/commit`,
      payload: { mode },
    });
    expect(res.statusCode, res.body).toBe(200);
    await drain();
    return get(client, id);
  }

  async function get(client: Client, id: string) {
    const res = await client.request({ url: `/api/v1/imports/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ImportJson>();
  }

  async function errors(client: Client, id: string, headers: Record<string, string> = {}) {
    const res = await client.request({ url: `/api/v1/imports/${id}/errors`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: ErrorItem[]; nextCursor: string | null }>().items;
  }

  async function contactsOf(client: Client) {
    const rows = await t.db.kysely
      .selectFrom('contacts')
      .select([
        'id',
        'external_id',
        'name',
        'email',
        'email_key',
        'phone',
        'language',
        'owner_employee_id',
        'account_id',
        'segment',
        'attributes',
        'consent_status',
        'consent_source',
      ])
      .where('organisation_id', '=', client.organisationId)
      .orderBy('external_id')
      .orderBy('email_key')
      .execute();
    return rows;
  }

  describe('a Dutch Excel export in Windows-1252 with one bad row', () => {
    let imp: ImportJson;
    let org: Client;
    // A new organisation and upload for every test: each runs the steps it needs, in any order.
    beforeEach(async () => {
      org = await buildOrganisation(t, 'Bakkerij Import');
      for (const employee of [{ name: 'Jan de Vries', email: 'jan@garage.example' }]) {
        await org.request({ method: 'POST', url: '/api/v1/employees', payload: employee });
      }
      imp = await uploadOk(
        org,
        'klanten.csv',
        fs.readFileSync(path.join(FIXTURES, 'klanten-windows-1252.csv')),
      );
    });

    it('detects the encoding, the delimiter, the headers and a preview with the accents intact', () => {
      expect(imp.status).toBe('uploaded');
      expect(imp.format).toBe('csv');
      expect(imp.detected.encoding).toBe('windows-1252');
      expect(imp.detected.delimiter).toBe(';');
      expect(imp.progress.total).toBe(4);
      expect(imp.detected.suggestedMapping).toEqual({
        Klantnummer: 'externalId',
        Naam: 'name',
        'E-mailadres': 'email',
        Telefoon: 'phone',
        Taal: 'language',
        Accountmanager: 'owner',
        Bedrijf: 'account',
        Segment: 'segment',
        Toestemming: 'consent',
        Kenteken: 'attributes.Kenteken',
      });
      expect(imp.detected.preview.map((r) => [r.line, r.values[1]])).toEqual([
        [2, 'Renée Çelik-Smit'],
        [3, "Zoë van 't Hof"],
        [4, 'Piet Bakker'],
        [5, 'Daan "de Snelle" Jansen'],
      ]);
    });

    it('validates in the background and reports the bad row with its line and a Dutch message', async () => {
      const validated = await validate(org, imp);
      expect(validated.status).toBe('validated');
      expect(validated.progress).toMatchObject({ total: 4, processed: 4, valid: 3, rejected: 1 });
      expect(await errors(org, imp.id)).toEqual([
        {
          line: 4,
          field: 'email',
          column: 'E-mailadres',
          code: 'invalid_email',
          value: 'piet@@example',
          message: 'is geen geldig e-mailadres',
        },
      ]);
      expect(await contactsOf(org)).toEqual([]);
    });

    it('refuses a commit without a choice while rows are rejected', async () => {
      expect((await validate(org, imp)).progress.rejected).toBe(1);
      const res = await org.request({
        method: 'POST',
        url: `/api/v1/imports/${imp.id}/commit`,
        payload: {},
      });
      expect(res.statusCode).toBe(409);
      expect(res.json<ErrorBody>().error.code).toBe('import_has_errors');
    });

    it('imports the valid rows: owners by name or email, one account by folded name, consent', async () => {
      await validate(org, imp);
      const done = await commit(org, imp.id, 'valid_only');
      expect(done.status).toBe('completed');
      expect(done.progress).toMatchObject({ valid: 3, rejected: 1, created: 3, updated: 0 });
      const employees = await t.db.kysely
        .selectFrom('employees')
        .select(['id'])
        .where('organisation_id', '=', org.organisationId)
        .execute();
      const jan = employees[0]?.id;
      const contacts = await contactsOf(org);
      expect(contacts.map((c) => [c.external_id, c.name, c.language, c.owner_employee_id])).toEqual(
        [
          ['1001', 'Renée Çelik-Smit', 'nl', jan],
          ['1002', "Zoë van 't Hof", 'en', jan],
          ['1004', 'Daan "de Snelle" Jansen', 'nl', null],
        ],
      );
      const [renee, zoe, daan] = contacts;
      expect(zoe?.email).toBe('Zoe.VanTHof@Example.nl');
      expect(zoe?.email_key).toBe('zoe.vanthof@example.nl');
      expect(renee?.account_id).not.toBeNull();
      expect(daan?.account_id).toBe(renee?.account_id);
      expect(zoe?.account_id).toBeNull();
      expect(JSON.parse(renee?.attributes ?? '{}')).toEqual({ Kenteken: 'AB-12-CD' });
      expect(renee?.consent_status).toBe('granted');
      expect(renee?.consent_source).toBe(`import:${imp.id}`);
      expect(zoe?.consent_status).toBe('unknown');
      const accounts = await t.db.kysely
        .selectFrom('accounts')
        .select(['name'])
        .where('organisation_id', '=', org.organisationId)
        .execute();
      expect(accounts.map((a) => a.name)).toEqual(['Bakkerij Çelik B.V.']);
      const events = await t.db.kysely
        .selectFrom('consent_events')
        .select(['contact_id', 'kind', 'source'])
        .where('organisation_id', '=', org.organisationId)
        .execute();
      expect(events).toEqual([
        { contact_id: renee?.id, kind: 'granted', source: `import:${imp.id}` },
      ]);
      const search = await org.request({ url: '/api/v1/contacts?q=celik' });
      expect(search.json<{ items: { name: string }[] }>().items.map((c) => c.name)).toEqual([
        'Renée Çelik-Smit',
      ]);
      expect(files()).not.toContain(`${imp.id}.csv`);
    });

    it('records who committed the import in the audit log', async () => {
      await validate(org, imp);
      expect((await commit(org, imp.id, 'valid_only')).status).toBe('completed');
      const audit = await t.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'entity_id'])
        .where('organisation_id', '=', org.organisationId)
        .where('entity_type', '=', 'import')
        .execute();
      expect(audit).toEqual([
        { action: 'import.committed', actor_id: org.userId, entity_id: imp.id },
      ]);
    });

    it('updates instead of duplicating when the same file is imported again', async () => {
      await validate(org, imp);
      expect((await commit(org, imp.id, 'valid_only')).progress.created).toBe(3);
      const second = await uploadOk(
        org,
        'klanten.csv',
        fs.readFileSync(path.join(FIXTURES, 'klanten-windows-1252.csv')),
      );
      await validate(org, second);
      const done = await commit(org, second.id, 'valid_only');
      expect(done.progress).toMatchObject({ created: 0, updated: 3, rejected: 1 });
      expect(await contactsOf(org)).toHaveLength(3);
      const events = await t.db.kysely
        .selectFrom('consent_events')
        .select('id')
        .where('organisation_id', '=', org.organisationId)
        .execute();
      expect(events).toHaveLength(1);
    });
  });

  it('fills in a first name and salutation when a later file brings them for known customers', async () => {
    const org = await buildOrganisation(t, 'Aanhef Import');
    const first = await uploadOk(
      org,
      'klanten.csv',
      'Klantnummer;Naam;E-mail\nK-1;Ingrid de Boer;ingrid@example.nl\nK-2;Piet Jansen;piet@example.nl\n',
    );
    await validate(org, first);
    expect((await commit(org, first.id, 'valid_only')).progress.created).toBe(2);
    const second = await uploadOk(
      org,
      'klanten-aanhef.csv',
      'Klantnummer;Naam;E-mail;Voornaam;Aanhef\nK-1;Ingrid de Boer;ingrid@example.nl;Ingrid;\nK-2;Piet Jansen;piet@example.nl;;Geachte heer Jansen\n',
    );
    expect(second.detected.suggestedMapping).toMatchObject({
      Voornaam: 'firstName',
      Aanhef: 'salutation',
    });
    await validate(org, second);
    expect((await commit(org, second.id, 'valid_only')).progress).toMatchObject({
      created: 0,
      updated: 2,
    });
    const greetings = await t.db.kysely
      .selectFrom('contacts')
      .select(['external_id', 'first_name', 'salutation'])
      .where('organisation_id', '=', org.organisationId)
      .orderBy('external_id')
      .execute();
    expect(greetings).toEqual([
      { external_id: 'K-1', first_name: 'Ingrid', salutation: null },
      { external_id: 'K-2', first_name: null, salutation: 'Geachte heer Jansen' },
    ]);
  });

  it('reads a UTF-8 CSV with a BOM, commas and English headers', async () => {
    const org = await buildOrganisation(t, 'English Import');
    await org.request({
      method: 'POST',
      url: '/api/v1/employees',
      payload: { name: 'Jan de Vries', email: 'jan@garage.example' },
    });
    const imp = await uploadOk(
      org,
      'customers.csv',
      fs.readFileSync(path.join(FIXTURES, 'customers-utf8-bom.csv')),
    );
    expect(imp.detected).toMatchObject({ encoding: 'utf-8', delimiter: ',' });
    expect(imp.detected.headers[0]).toBe('Customer number');
    expect(imp.detected.suggestedMapping).toMatchObject({
      'Customer number': 'externalId',
      Name: 'name',
      Email: 'email',
      'Account manager': 'owner',
      Company: 'account',
      Consent: 'consent',
    });
    await validate(org, imp);
    const done = await commit(org, imp.id, 'valid_only');
    expect(done.progress).toMatchObject({ created: 2, rejected: 0 });
    expect((await contactsOf(org)).map((c) => [c.external_id, c.name, c.language])).toEqual([
      ['C-1', 'Ann Smith', 'en'],
      ['C-2', 'Brown, Bob', 'nl'],
    ]);
  });

  it('imports an .xlsx workbook, first sheet, with rich text and numbers', async () => {
    const org = await buildOrganisation(t, 'Excel Import');
    const imp = await uploadOk(
      org,
      'klanten.xlsx',
      await xlsxBuffer([
        ['Relatienummer', 'Voornaam', 'Tussenvoegsel', 'Achternaam', 'E-mail', 'Mobiel'],
        [501, 'Renée', '', 'Çelik-Smit', 'renee@example.nl', '06 1234 5678'],
        [
          502,
          'Zoë',
          "van 't",
          'Hof',
          { text: 'zoe@example.nl', hyperlink: 'mailto:zoe@example.nl' },
          612345678,
        ],
        [],
        [503, { richText: [{ text: 'Daan ' }] }, '', 'Jansen', 'geen-email', ''],
      ]),
    );
    expect(imp.format).toBe('xlsx');
    expect(imp.detected.encoding).toBeNull();
    expect(imp.detected.suggestedMapping).toEqual({
      Relatienummer: 'externalId',
      Voornaam: 'firstName',
      Tussenvoegsel: 'infix',
      Achternaam: 'lastName',
      'E-mail': 'email',
      Mobiel: 'phone',
    });
    const validated = await validate(org, imp);
    expect(validated.progress).toMatchObject({ valid: 2, rejected: 1 });
    expect((await errors(org, imp.id)).map((e) => [e.line, e.code])).toEqual([
      [5, 'invalid_email'],
    ]);
    await commit(org, imp.id, 'valid_only');
    expect((await contactsOf(org)).map((c) => [c.external_id, c.name, c.email, c.phone])).toEqual([
      ['501', 'Renée Çelik-Smit', 'renee@example.nl', '06 1234 5678'],
      ['502', "Zoë van 't Hof", 'zoe@example.nl', '612345678'],
    ]);
  });

  it('rejects the later of two rows with the same email, an unknown language and owner', async () => {
    const csv = [
      'Naam;E-mailadres;Taal;Accountmanager',
      'Eerste;dubbel@example.nl;nl;',
      'Tweede;DUBBEL@example.nl;nl;',
      'Derde;derde@example.nl;Frans;',
      'Vierde;vierde@example.nl;en;Onbekende Collega',
    ].join('\n');
    const imp = await uploadOk(owner, 'dubbel.csv', csv);
    const validated = await validate(owner, imp);
    expect(validated.progress).toMatchObject({ valid: 1, rejected: 3 });
    expect(await errors(owner, imp.id)).toEqual([
      {
        line: 3,
        field: 'email',
        column: 'E-mailadres',
        code: 'duplicate_in_file',
        value: 'DUBBEL@example.nl',
        message: 'komt eerder in het bestand voor (regel 2)',
      },
      expect.objectContaining({ line: 4, code: 'invalid_language', value: 'Frans' }),
      expect.objectContaining({ line: 5, code: 'unknown_employee', column: 'Accountmanager' }),
    ]);
    // An integration reads the report through an API key, in the language it asks for.
    const key = await owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'CRM' },
    });
    const res = await t.app.inject({
      url: `/api/v1/imports/${imp.id}/errors`,
      headers: {
        authorization: `Bearer ${key.json<{ secret: string }>().secret}`,
        'accept-language': 'en-GB,en;q=0.9',
      },
    });
    expect(res.json<{ items: ErrorItem[] }>().items.map((e) => e.message)).toEqual([
      'appears earlier in the file (line 2)',
      'is not a known language (use nl or en)',
      'is not a known employee',
    ]);
  });

  it('writes nothing and deletes the file when the user chooses nothing', async () => {
    const org = await buildOrganisation(t, 'Niets BV');
    const imp = await uploadOk(org, 'niets.csv', 'Naam;E-mailadres\nA;a@example.nl\nB;b@@\n');
    expect(files()).toContain(`${imp.id}.csv`);
    await validate(org, imp);
    const done = await commit(org, imp.id, 'nothing');
    expect(done.status).toBe('cancelled');
    expect(await contactsOf(org)).toEqual([]);
    expect(files()).not.toContain(`${imp.id}.csv`);
    const again = await org.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/commit`,
      payload: { mode: 'valid_only' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error.code).toBe('import_not_ready');
  });

  it('rejects at commit a row whose email was taken after validation, and imports the rest', async () => {
    const org = await buildOrganisation(t, 'Race BV');
    const imp = await uploadOk(
      org,
      'race.csv',
      'Klantnummer;E-mailadres\nK1;een@example.nl\nK2;twee@example.nl\n',
    );
    await validate(org, imp);
    const created = await org.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { externalId: 'ANDERS', email: 'twee@example.nl' },
    });
    expect(created.statusCode).toBe(201);
    const done = await commit(org, imp.id, 'valid_only');
    expect(done.status).toBe('completed');
    expect(done.progress).toMatchObject({ created: 1, rejected: 1 });
    expect((await errors(org, imp.id)).map((e) => [e.line, e.field, e.code])).toEqual([
      [3, 'email', 'taken'],
    ]);
  });

  it('matches existing contacts by email, and refuses an email that belongs to another customer number', async () => {
    const org = await buildOrganisation(t, 'Match BV');
    for (const payload of [
      { email: 'zonder-nummer@example.nl', name: 'Oud', attributes: { Kleur: 'rood' } },
      { externalId: 'A-1', email: 'bezet@example.nl' },
    ]) {
      const res = await org.request({ method: 'POST', url: '/api/v1/contacts', payload });
      expect(res.statusCode, res.body).toBe(201);
    }
    const imp = await uploadOk(
      org,
      'match.csv',
      'Klantnummer;E-mailadres;Naam;Kenteken\nK-9;ZONDER-NUMMER@example.nl;;AB-1\nB-2;bezet@example.nl;Nieuw;\n',
    );
    const validated = await validate(org, imp);
    expect(validated.progress).toMatchObject({ valid: 1, rejected: 1 });
    expect((await errors(org, imp.id)).map((e) => [e.line, e.field, e.code])).toEqual([
      [3, 'email', 'taken'],
    ]);
    const done = await commit(org, imp.id, 'valid_only');
    expect(done.progress).toMatchObject({ created: 0, updated: 1, rejected: 1 });
    const contacts = await contactsOf(org);
    const attributes = (json: string) => JSON.parse(json) as Record<string, string>;
    expect(contacts.map((c) => [c.external_id, c.email, c.name, attributes(c.attributes)])).toEqual(
      [
        ['A-1', 'bezet@example.nl', null, {}],
        ['K-9', 'ZONDER-NUMMER@example.nl', 'Oud', { Kleur: 'rood', Kenteken: 'AB-1' }],
      ],
    );
  });

  it('refuses a mapping that maps a field twice or cannot identify contacts', async () => {
    const imp = await uploadOk(owner, 'map.csv', 'Naam;Telefoon;Mobiel\nA;0612345678;0612345678\n');
    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/validate`,
      payload: { mapping: { Naam: 'name', Telefoon: 'phone', Mobiel: 'phone', Onbekend: 'email' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.fields?.map((f) => [f.field, f.problem])).toEqual([
      ['mapping.Mobiel', 'mapped_twice'],
      ['mapping.Onbekend', 'unknown_field'],
      ['mapping', 'missing_identity'],
    ]);
  });

  it('refuses garbage, empty and headerless files with a clear 400', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    for (const [name, content, problem] of [
      ['foto.csv', garbage, 'not_a_spreadsheet'],
      ['leeg.csv', '', 'empty_file'],
      ['alleen-data.csv', 'jan@example.nl;Jan\npiet@example.nl;Piet\n', 'no_header'],
      ['kapot.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), garbage]), 'unreadable_xlsx'],
      ['quote.csv', 'Naam;E-mailadres\n"Jan;jan@example.nl\n', 'unclosed_quote'],
    ] as const) {
      const res = await upload(owner, name, content);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(400);
      const body = res.json<ErrorBody>();
      expect(body.error.code).toBe('import_invalid_file');
      expect(body.error.message).toBe('Dit bestand kan niet worden gelezen als CSV of Excel.');
      expect(body.error.fields?.[0]?.problem).toBe(problem);
    }
    expect(files().filter((f) => f.endsWith('.upload'))).toEqual([]);
  });

  it('refuses a file over 50 MB with 413 and keeps nothing of it', async () => {
    const before = files().length;
    const res = await upload(owner, 'groot.csv', Buffer.alloc(50 * 1024 * 1024 + 10, 'a'));
    expect(res.statusCode).toBe(413);
    expect(res.json<ErrorBody>().error.code).toBe('payload_too_large');
    expect(files()).toHaveLength(before);
  });

  it('refuses a request that is not multipart, and one without a file', async () => {
    const json = await owner.request({ method: 'POST', url: '/api/v1/imports', payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
    const noFile = await owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhallo\r\n--${BOUNDARY}--\r\n`,
    });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json<ErrorBody>().error.fields).toEqual([
      { field: 'file', problem: 'required', message: 'Bestand is verplicht' },
    ]);
  });

  it('keeps imports to their organisation: another one sees, validates and commits nothing', async () => {
    const imp = await uploadOk(
      owner,
      'geheim.csv',
      'Naam;E-mailadres\nGeheim;geheim@example.nl\nX;x@@\n',
    );
    await validate(owner, imp);
    const other = await buildOrganisation(t, 'Concurrent BV');
    for (const req of [
      { method: 'GET' as const, url: `/api/v1/imports/${imp.id}` },
      { method: 'GET' as const, url: `/api/v1/imports/${imp.id}/errors` },
      {
        method: 'POST' as const,
        url: `/api/v1/imports/${imp.id}/validate`,
        payload: { mapping: { Naam: 'name', 'E-mailadres': 'email' } },
      },
      {
        method: 'POST' as const,
        url: `/api/v1/imports/${imp.id}/commit`,
        payload: { mode: 'valid_only' },
      },
      {
        method: 'POST' as const,
        url: `/api/v1/imports/${imp.id}/commit`,
        payload: { mode: 'nothing' },
      },
    ]) {
      const res = await other.request(req);
      expect(res.statusCode, `${req.method} ${req.url}`).toBe(404);
    }
    const list = await other.request({ url: '/api/v1/imports' });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    expect((await get(owner, imp.id)).status).toBe('validated');
  });

  it('does not let an account manager import', async () => {
    const manager = await buildMember(t, owner.organisationId, 'account_manager');
    const res = await upload(manager, 'x.csv', 'Naam;E-mailadres\nA;a@example.nl\n');
    expect(res.statusCode).toBe(403);
    expect((await manager.request({ url: '/api/v1/imports' })).statusCode).toBe(403);
  });

  it('lists imports newest first and the fields a column can map to', async () => {
    // An organisation of its own with three uploads, a minute apart.
    const org = await buildOrganisation(t, 'Lijst Import');
    const uploaded: string[] = [];
    for (let i = 0; i < 3; i++) {
      t.clock.now += 60_000;
      uploaded.push(
        (await uploadOk(org, `lijst${i}.csv`, `Naam;E-mailadres\nA${i};a${i}@x.nl\n`)).id,
      );
    }
    const list = await org.request({ url: '/api/v1/imports?limit=2' });
    const page = list.json<{ items: ImportJson[]; nextCursor: string | null }>();
    expect(page.nextCursor).not.toBeNull();
    const next = await org.request({ url: `/api/v1/imports?limit=2&cursor=${page.nextCursor}` });
    const rest = next.json<{ items: ImportJson[]; nextCursor: string | null }>();
    expect(rest.nextCursor).toBeNull();
    expect([...page.items, ...rest.items].map((i) => i.id)).toEqual([...uploaded].reverse());
    const fields = await owner.request({
      url: '/api/v1/imports/fields',
      headers: { 'accept-language': 'en' },
    });
    expect(fields.json<{ items: { field: string; label: string }[] }>().items).toContainEqual({
      field: 'infix',
      label: 'Tussenvoegsel',
    });
  });
});
