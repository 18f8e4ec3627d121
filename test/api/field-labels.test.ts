import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldLabelSource } from '../../src/i18n/field-labels.ts';
import { en } from '../../src/i18n/messages.en.ts';
import { nl } from '../../src/i18n/messages.nl.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}
interface Doc {
  paths: Record<
    string,
    Record<
      string,
      {
        tags: string[];
        parameters?: { name: string; schema: JsonSchema }[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
}

/** Every field a request may carry, as `<tag> <path>` (list items and free keys as `*`). */
function requestFields(doc: Doc): Map<string, { tag: string; path: string; ops: Set<string> }> {
  const fields = new Map<string, { tag: string; path: string; ops: Set<string> }>();
  const add = (tag: string, path: string, op: string) => {
    const id = `${tag} ${path}`;
    const entry = fields.get(id) ?? { tag, path, ops: new Set<string>() };
    entry.ops.add(op);
    fields.set(id, entry);
  };
  const walk = (schema: JsonSchema | undefined, path: string, tag: string, op: string): void => {
    if (!schema) return;
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const childPath = path ? `${path}.${key}` : key;
      add(tag, childPath, op);
      walk(child, childPath, tag, op);
    }
    for (const alternative of [
      ...(schema.anyOf ?? []),
      ...(schema.oneOf ?? []),
      ...(schema.allOf ?? []),
    ]) {
      walk(alternative, path, tag, op);
    }
    walk(schema.items, `${path}.*`, tag, op);
    if (typeof schema.additionalProperties === 'object') {
      add(tag, `${path}.*`, op);
      walk(schema.additionalProperties, `${path}.*`, tag, op);
    }
  };
  for (const [url, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const name = `${method.toUpperCase()} ${url}`;
      const tag = op.tags[0] ?? '';
      for (const parameter of op.parameters ?? []) {
        add(tag, parameter.name, name);
        walk(parameter.schema, parameter.name, tag, name);
      }
      for (const media of Object.values(op.requestBody?.content ?? {})) {
        walk(media.schema, '', tag, name);
      }
    }
  }
  return fields;
}

/** Field paths the services name themselves (`{ field: 'schedule.end', problem: … }`). */
function fieldsNamedInCode(dir: string): string[] {
  const found = new Set<string>();
  for (const entry of readdirSync(dir)) {
    const file = join(dir, entry);
    if (statSync(file).isDirectory()) {
      for (const f of fieldsNamedInCode(file)) found.add(f);
    } else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) {
      const code = readFileSync(file, 'utf8');
      for (const m of code.matchAll(/\bfield: '([A-Za-z_][\w.]*)'/g)) found.add(m[1] ?? '');
      // `${path}visitedAt`, `attributes.${key}`: a prefix or a free key, as a list item would be.
      for (const m of code.matchAll(/\bfield: `([^`]*)`/g)) {
        const path = (m[1] ?? '')
          .replace(/^\$\{path\}/, 'visits.0.')
          .replace(/\$\{[^}]+\}/g, 'x')
          .replace(/\.x\./g, '.0.');
        if (/^[\w.]+$/.test(path)) found.add(path);
      }
    }
  }
  return [...found];
}

describe('field labels: every field a route takes is named by a label in Dutch and English', () => {
  let t: TestApp;
  let doc: Doc;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
    doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json<Doc>();
  });
  afterAll(async () => t.close());

  const labelled = (path: string, tag?: string) => {
    const source = fieldLabelSource(path, { tag, strict: true });
    return source !== null && Object.hasOwn(nl, source.key) && Object.hasOwn(en, source.key);
  };

  it('has a label for every request field of every described operation', () => {
    const fields = [...requestFields(doc).values()];
    // The walk really reaches into bodies, lists and records (not a vacuous pass).
    expect(fields.length).toBeGreaterThan(200);
    expect(fields.map((f) => f.path)).toEqual(
      expect.arrayContaining(['schedule.end', 'visits.*.customer.email', 'attributes.*']),
    );
    const missing = fields
      .filter((f) => !labelled(f.path, f.tag))
      .map((f) => `field.${f.path} (${[...f.ops].slice(0, 2).join(', ')})`);
    expect(missing, 'add these labels to src/i18n/fields.nl.ts and fields.en.ts').toEqual([]);
  });

  it('has a label for every field the services name in their own problems', () => {
    const named = fieldsNamedInCode(join(import.meta.dirname, '../../src'));
    expect(named).toEqual(expect.arrayContaining(['schedule.end', 'file', '_']));
    const missing = named.filter((path) => !labelled(path));
    expect(missing, 'add these labels to src/i18n/fields.nl.ts and fields.en.ts').toEqual([]);
  });

  it('has every label in both languages, with the same placeholders', () => {
    const labelKeys = (catalogue: object) =>
      Object.keys(catalogue).filter((k) => k.startsWith('field.'));
    expect(labelKeys(en).sort()).toEqual(labelKeys(nl).sort());
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of labelKeys(nl) as (keyof typeof nl)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(nl[key]));
    }
  });

  it('finds a list item, a free key and a module’s own label', () => {
    expect(fieldLabelSource('visits.2.visitedAt')).toEqual({
      key: 'field.visits.*.visitedAt',
      params: { n: 3 },
    });
    expect(fieldLabelSource('attributes.kenteken')).toEqual({
      key: 'field.attributes.*',
      params: { key: 'kenteken' },
    });
    expect(fieldLabelSource('externalId', { tag: 'visits' })?.key).toBe('field.visits:externalId');
    expect(fieldLabelSource('externalId', { tag: 'contacts' })?.key).toBe('field.externalId');
    // A word in a list of words takes the list's label; strict lookup refuses to guess.
    expect(fieldLabelSource('settings.cases.openFor.themeWords.0')?.key).toBe(
      'field.settings.cases.openFor.themeWords',
    );
    expect(fieldLabelSource('nonsense.path', { strict: true })).toBeNull();
  });
});

type Problems = { error: { message: string; fields: { field: string; message: string }[] } };

describeEachDialect('field labels in error answers', (dialect) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage Labels');
  });
  afterAll(async () => t.close());

  const messages = (body: string) =>
    (JSON.parse(body) as Problems).error.fields.map((f) => `${f.field}: ${f.message}`);
  const english = (c: Client) =>
    c.request({ method: 'PATCH', url: '/api/v1/auth/me', payload: { locale: 'en' } });
  const dutch = (c: Client) =>
    c.request({ method: 'PATCH', url: '/api/v1/auth/me', payload: { locale: 'nl' } });

  it('names a duplicate location by its label, in Dutch and in English', async () => {
    const add = () =>
      owner.request({ method: 'POST', url: '/api/v1/locations', payload: { name: 'Sneek' } });
    expect((await add()).statusCode).toBe(201);
    await dutch(owner);
    const nlRes = await add();
    expect(nlRes.statusCode).toBe(409);
    expect(messages(nlRes.body)).toEqual(['name: Naam is al in gebruik']);
    await english(owner);
    try {
      expect(messages((await add()).body)).toEqual(['name: Name is already in use']);
    } finally {
      await dutch(owner);
    }
  });

  it('names the last day of a send, never its path, and an empty date is "verplicht"', async () => {
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const send = (end: string) =>
      owner.request({
        method: 'POST',
        url: `/api/v1/surveys/${survey.id}/sends`,
        payload: {
          selection: { kind: 'all' },
          schedule: { kind: 'waves', start: '2026-11-02T09:00:00+01:00', end, waves: 4 },
        },
      });
    expect(messages((await send('')).body)).toEqual(['schedule.end: Laatste dag is verplicht']);
    expect(messages((await send('2026-10-01T17:00:00+01:00')).body)).toEqual([
      'schedule.end: Laatste dag moet na het begin liggen',
    ]);
    await english(owner);
    try {
      expect(messages((await send('')).body)).toEqual(['schedule.end: Last day is required']);
    } finally {
      await dutch(owner);
    }
  });

  it('names a field of a list item by its position, and an unknown field by its key', async () => {
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/visits/batch',
      payload: {
        visits: [
          { customer: { externalId: 'K-1' }, visitedAt: '2026-10-01', amount: 10 },
          { customer: { email: 'not an address' }, visitedAt: '2026-10-01', colour: 'red' },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(messages(res.body)).toEqual(
      expect.arrayContaining([
        'visits.1.customer.email: Bezoek 2: e-mailadres van de klant is geen geldig e-mailadres',
        'visits.1.colour: Het veld ‘visits.1.colour’ is geen bekend veld',
      ]),
    );
    const contact = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'nee', attributes: { kenteken: 'x'.repeat(1200) } },
    });
    expect(messages(contact.body)).toEqual(
      expect.arrayContaining([
        'email: E-mailadres is geen geldig e-mailadres',
        expect.stringMatching(/^attributes\.kenteken: Kenmerk ‘kenteken’ is te lang/),
      ]),
    );
  });
});
