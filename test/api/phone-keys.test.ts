import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchCustomers } from '../../src/modules/visits/visits.service.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { fingerprint } from '../../src/shared/erased-identifiers.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, FACTORY_NOW } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { fileUpload } from '../support/uploads.ts';

/**
 * One phone number in any notation (migration 0059): a contact's number is stored as typed and as
 * its `phoneKey`, written by every path that writes a contact (the API, an import, a referral's
 * friend) and cleared by an erasure. Visits find their customer by that key: `06-11112222`,
 * `+31 6 1111 2222` and the Dutch `+31 (0)6 1111 2222` are one customer. An erased customer's
 * number is still refused by its fingerprint, including fingerprints written before 0059.
 */
describeEachDialect('one phone number in any notation', (dialect) => {
  let t: TestApp;
  let owner: Client;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage Van Dijk');
  });
  afterAll(async () => t.close());

  const addContact = async (payload: Record<string, unknown>) => {
    const res = await owner.request({ method: 'POST', url: '/api/v1/contacts', payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  /** The contact a visit by this phone number is recorded for, or the problem the API names. */
  const visitBy = async (phone: string) => {
    const externalId = `W-${phone.replace(/\D/g, '')}-${Math.random().toString(36).slice(2)}`;
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/visits',
      payload: { externalId, customer: { phone }, visitedAt: '2026-03-01', amount: 50 },
    });
    if (res.statusCode >= 300) {
      return res.json<{ error: { fields: { problem: string }[] } }>().error.fields[0]?.problem;
    }
    const row = await t.db.kysely
      .selectFrom('visits')
      .select('contact_id')
      .where('organisation_id', '=', owner.organisationId)
      .where('external_id', '=', externalId)
      .executeTakeFirstOrThrow();
    return row.contact_id;
  };
  const phoneKeyOf = async (id: string) =>
    (
      await t.db.kysely
        .selectFrom('contacts')
        .select('phone_key')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).phone_key;

  it('finds a visit’s customer by a number written in another notation, added by the API', async () => {
    const anna = await addContact({
      name: 'Anna',
      email: 'anna@wit.test',
      phone: '+31 (0)6 1111 2222',
    });
    expect(await phoneKeyOf(anna)).toBe('31611112222');
    expect(await visitBy('06-11112222')).toBe(anna);
    expect(await visitBy('+31 6 1111 2222')).toBe(anna);
    expect(await visitBy('0031 (0)6 11112222')).toBe(anna);
    expect(await visitBy('06-11112223')).toBe('unknown_customer');
  });

  it('puts a visit on no one by a number two customers share, and says so', async () => {
    const els = await addContact({ name: 'Els', email: 'els@thuis.test', phone: '0318 123 456' });
    await addContact({ name: 'Joop', email: 'joop@thuis.test', phone: '+31 318 123 456' });
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/visits',
      payload: { customer: { phone: '0318-123456' }, visitedAt: '2026-03-01', amount: 50 },
      headers: { 'accept-language': 'nl' },
    });
    expect(res.statusCode, res.body).toBe(400);
    const field = res.json<{
      error: { fields: { field: string; problem: string; message: string }[] };
    }>().error.fields[0];
    expect(field).toMatchObject({ field: 'customer', problem: 'ambiguous_customer' });
    expect(field?.message).toContain('meerdere klanten delen');
    // With her address the visit is hers, the shared number beside it notwithstanding.
    const byEmail = await owner.request({
      method: 'POST',
      url: '/api/v1/visits',
      payload: {
        externalId: 'W-ELS',
        customer: { email: 'els@thuis.test', phone: '0318-123456' },
        visitedAt: '2026-03-01',
        amount: 50,
      },
    });
    expect(byEmail.statusCode, byEmail.body).toBe(201);
    const stored = await t.db.kysely
      .selectFrom('visits')
      .select('contact_id')
      .where('organisation_id', '=', owner.organisationId)
      .where('external_id', '=', 'W-ELS')
      .executeTakeFirstOrThrow();
    expect(stored.contact_id).toBe(els);
  });

  it('keys a number an import brought and one an edit changed', async () => {
    const up = await owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      ...fileUpload('crm.csv', 'Klantnummer;Naam;Telefoon\nK-20;Bram Bos;+31 (0)20 123 4567\n'),
    });
    expect(up.statusCode, up.body).toBe(201);
    const imp = up.json<{ id: string; detected: { suggestedMapping: Record<string, string> } }>();
    const validate = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/validate`,
      payload: { mapping: imp.detected.suggestedMapping },
    });
    expect(validate.statusCode, validate.body).toBe(200);
    await drain();
    const commit = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/commit`,
      payload: { mode: 'valid_only' },
    });
    expect(commit.statusCode, commit.body).toBe(200);
    await drain();
    const done = await owner.request({ url: `/api/v1/imports/${imp.id}` });
    expect(done.json<{ progress: { created: number } }>().progress.created, done.body).toBe(1);
    const bram = await t.db.kysely
      .selectFrom('contacts')
      .select(['id', 'phone', 'phone_key'])
      .where('organisation_id', '=', owner.organisationId)
      .where('external_id', '=', 'K-20')
      .executeTakeFirstOrThrow();
    expect(bram).toMatchObject({ phone: '+31 (0)20 123 4567', phone_key: '31201234567' });
    expect(await visitBy('020-1234567')).toBe(bram.id);

    const edited = await owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${bram.id}`,
      payload: { phone: '06 3333 4444' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await phoneKeyOf(bram.id)).toBe('31633334444');
    expect(await visitBy('+31633334444')).toBe(bram.id);
    expect(await visitBy('020-1234567')).toBe('unknown_customer');
  });

  it('refuses a visit for an erased customer by their number in any notation', async () => {
    const cees = await addContact({
      name: 'Cees',
      email: 'cees@wit.test',
      phone: '+31 (0)6 5555 6666',
    });
    const erased = await owner.request({ method: 'POST', url: `/api/v1/contacts/${cees}/erase` });
    expect(erased.statusCode, erased.body).toBe(204);
    expect(await phoneKeyOf(cees)).toBeNull();
    expect(await visitBy('06-55556666')).toBe('customer_erased');
    expect(await visitBy('+31 6 5555 6666')).toBe('customer_erased');
  });

  it('still refuses a customer whose number was fingerprinted in the form used before 0059', async () => {
    const dirk = await buildContact(t.db.kysely, owner.organisationId, { name: null, email: null });
    // Before 0059 a contact stored as "+31 (0)6 7777 8888" was fingerprinted as "00677778888".
    await t.db.kysely
      .insertInto('erased_identifiers')
      .values({
        organisation_id: owner.organisationId,
        fingerprint: fingerprint(owner.organisationId, 'phone:00677778888'),
        contact_id: dirk.id,
        erased_at: t.clock.now,
      })
      .execute();
    expect(await visitBy('06-77778888')).toBe('customer_erased');
    expect(await visitBy('06-77778889')).toBe('unknown_customer');
  });
});

describeEachDialect('migration 0059 keys the phone numbers stored before it', (dialect) => {
  let t: TestApp;
  let organisationId = '';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(
      dialect,
      {},
      {
        upgrade: {
          before: '0059-contact-phone-keys',
          async seed(db) {
            organisationId = await seedOrganisation(db.kysely, 'Garage De Vries', FACTORY_NOW);
            const phones = {
              bracketed: '+31 (0)6 1234 5678',
              national: '06-87654321',
              foreign: '+32 470 12 34 56',
              tooShort: '12-34',
              local: '123 4567',
              // Excel's "0655554444" typed as a number.
              spreadsheet: '655554444',
              none: null,
            };
            for (const [name, phone] of Object.entries(phones)) {
              const c = await buildContact(db.kysely, organisationId, { name, email: null });
              ids[name] = c.id;
              await sql`update contacts set phone = ${phone} where id = ${c.id}`.execute(db.kysely);
            }
          },
        },
      },
    );
  }, 120_000);
  afterAll(async () => t.close());

  describe('after the upgrade', () => {
    it('stores each number’s key and none for a number too short or missing', async () => {
      const rows = await t.db.kysely
        .selectFrom('contacts')
        .select(['name', 'phone_key'])
        .where('organisation_id', '=', organisationId)
        .orderBy('name')
        .execute();
      expect(rows).toEqual([
        { name: 'bracketed', phone_key: '31612345678' },
        { name: 'foreign', phone_key: '32470123456' },
        { name: 'local', phone_key: '1234567' },
        { name: 'national', phone_key: '31687654321' },
        { name: 'none', phone_key: null },
        { name: 'spreadsheet', phone_key: '31655554444' },
        { name: 'tooShort', phone_key: null },
      ]);
    });

    it('finds the customers by their numbers in another notation', async () => {
      const byPhone = (phone: string) => ({ externalId: null, email: null, phone });
      const found = await matchCustomers(t.db.kysely, organisationId, [
        byPhone('0612345678'),
        byPhone('+31 (0)6 8765 4321'),
        byPhone('0032470123456'),
        byPhone('1234567'),
        byPhone('06-55554444'),
      ]);
      expect(found).toEqual([
        { id: ids.bracketed },
        { id: ids.national },
        { id: ids.foreign },
        { id: ids.local },
        { id: ids.spreadsheet },
      ]);
    });
  });
});
