import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { platform } from '../../src/server/start.ts';
import type { Db } from '../../src/db/database.ts';
import { importCommand } from '../../src/modules/imports/imports.command.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import { buildEmployee } from '../support/factories.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'klanten-windows-1252.csv');

describeEachDialect('loyaal import (CLI)', (dialect) => {
  let db: Db;
  let dir: string;
  let config: Config;
  let organisationId: string;
  let output: string[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-cli-'));
    db = await freshDatabase(dialect, { file: path.join(dir, 'loyaal.db') });
    // The command opens its own connection from DATABASE_URL, as `loyaal import` does.
    const url =
      dialect === 'sqlite'
        ? `sqlite:${path.join(dir, 'loyaal.db')}`
        : `${process.env.TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.schema}`)}`;
    config = loadConfig({ DATABASE_URL: url, DATA_DIR: dir, WORKER: 'off' });
  });
  // Each test imports into an organisation of its own, so no test counts another's contacts.
  let orgs = 0;
  beforeEach(async () => {
    const org = await db.kysely.transaction().execute((trx) =>
      createOrganisationWithOwner(
        trx,
        {
          organisationName: 'Garage De Vries',
          locale: 'nl',
          name: 'Eigenaar',
          email: `cli-${dialect}-${++orgs}@example.nl`,
          password: 'correct horse battery',
        },
        Date.UTC(2026, 10, 1),
      ),
    );
    organisationId = org.organisationId;
    await buildEmployee(db.kysely, organisationId, {
      name: 'Jan de Vries',
      email: 'jan@garage.example',
      search_text: 'jan de vries',
    });
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = async (...args: string[]) => {
    output = [];
    const log = vi
      .spyOn(console, 'log')
      .mockImplementation((line: string) => void output.push(line));
    const error = vi
      .spyOn(console, 'error')
      .mockImplementation((line: string) => void output.push(line));
    try {
      return await importCommand.run(args, config, platform);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  };
  afterEach(() => vi.restoreAllMocks());

  const contacts = async () =>
    db.kysely
      .selectFrom('contacts')
      .select(['external_id', 'name'])
      .where('organisation_id', '=', organisationId)
      .orderBy('external_id')
      .execute();

  it('stops after validation when rows are rejected and no mode is chosen', async () => {
    expect(await run('--org', organisationId, '--file', FIXTURE)).toBe(3);
    expect(output).toContain('Gecontroleerd: 3 goed, 1 afgekeurd, van 4 regels');
    expect(output).toContain('  regel 4, E-mailadres: is geen geldig e-mailadres (piet@@example)');
    expect(output.at(-1)).toMatch(/^Het bestand heeft afgekeurde regels\./);
    expect(await contacts()).toEqual([]);
  });

  it('imports the valid rows with --mode valid_only, and updates them the second time', async () => {
    expect(await run('--org', organisationId, '--file', FIXTURE, '--mode', 'valid_only')).toBe(0);
    expect(output.at(-1)).toBe('Geïmporteerd: 3 nieuw, 0 bijgewerkt, 1 afgekeurd');
    expect((await contacts()).map((c) => c.name)).toEqual([
      'Renée Çelik-Smit',
      "Zoë van 't Hof",
      'Daan "de Snelle" Jansen',
    ]);
    expect(await run('--org', organisationId, '--file', FIXTURE, '--mode', 'valid_only')).toBe(0);
    expect(output.at(-1)).toBe('Geïmporteerd: 0 nieuw, 3 bijgewerkt, 1 afgekeurd');
  });

  it('writes nothing with --mode nothing, and uses a mapping file when given one', async () => {
    expect(await run('--org', organisationId, '--file', FIXTURE, '--mode', 'valid_only')).toBe(0);
    const mappingFile = path.join(dir, 'mapping.json');
    fs.writeFileSync(mappingFile, JSON.stringify({ Klantnummer: 'externalId', Naam: 'segment' }));
    expect(
      await run(
        '--org',
        organisationId,
        '--file',
        FIXTURE,
        '--mapping',
        mappingFile,
        '--mode',
        'nothing',
      ),
    ).toBe(0);
    expect(output).toContain('  kolom "Naam" → segment');
    expect(output.at(-1)).toMatch(/^Niets geïmporteerd/);
    const segments = await db.kysely
      .selectFrom('contacts')
      .select('segment')
      .where('organisation_id', '=', organisationId)
      .execute();
    expect(segments.map((s) => s.segment).sort()).toEqual(['particulier', 'zakelijk', 'zakelijk']);
  });

  it('explains how to call it when arguments are missing', async () => {
    expect(await run('--file', FIXTURE)).toBe(2);
    expect(output[0]).toMatch(/^usage: loyaal import/);
    expect(await run('--org', organisationId, '--file', FIXTURE, '--mode', 'all')).toBe(2);
  });
});
