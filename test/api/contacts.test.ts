import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

interface ContactJson {
  id: string;
  name: string | null;
  email: string | null;
  status: string;
  consent: { status: string };
  attributes: Record<string, string>;
}
interface PageJson {
  items: ContactJson[];
  nextCursor: string | null;
}

describeEachDialect('contacts API', (dialect) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  // Every test searches and counts in an organisation of its own.
  beforeEach(async () => {
    owner = await buildOrganisation(t);
  });
  afterAll(async () => t.close());

  const create = async (payload: Record<string, unknown>, client: Client = owner) => {
    const res = await client.request({ method: 'POST', url: '/api/v1/contacts', payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ContactJson>();
  };

  it('finds contacts by name with case and accents ignored', async () => {
    await create({ name: 'Renée Çelik-Smit', email: 'Renee@Example.nl', language: 'nl' });
    await create({ name: "Zoë van 't Hof", email: 'zoe@example.nl', language: 'en' });
    await create({ name: 'Jan Jansen', email: 'jan@example.nl' });
    const names = async (q: string) =>
      (await owner.request({ url: `/api/v1/contacts?q=${encodeURIComponent(q)}` }))
        .json<PageJson>()
        .items.map((c) => c.name);
    expect(await names('celik')).toEqual(['Renée Çelik-Smit']);
    expect(await names('ÇELIK smit')).toEqual(['Renée Çelik-Smit']);
    expect(await names('zoe')).toEqual(["Zoë van 't Hof"]);
    expect(await names("van 't hof")).toEqual(["Zoë van 't Hof"]);
    expect(await names('RENEE@EXAMPLE')).toEqual(['Renée Çelik-Smit']);
  });

  it('refuses a second contact with the same email in any capitalisation', async () => {
    await create({ name: 'Kees Dubbel', email: 'kees.dubbel@example.nl' });
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'KEES.Dubbel@example.nl' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { fields: { field: string }[] } }>().error.fields[0]?.field).toBe(
      'email',
    );
  });

  it('pages with a keyset cursor without skipping or repeating while contacts are added', async () => {
    // An organisation of its own: exactly these 25 contacts exist when paging starts.
    const org = await buildOrganisation(t);
    const existing: string[] = [];
    for (let i = 0; i < 25; i++)
      existing.push((await create({ email: `page${i}@example.nl`, name: `Pagina ${i}` }, org)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const page: PageJson = (
        await org.request({ url: `/api/v1/contacts?limit=7${cursor ? `&cursor=${cursor}` : ''}` })
      ).json<PageJson>();
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      // New contacts arriving between pages land before the cursor and must not shift the pages.
      t.clock.now += 1000;
      await create({ email: `late${round++}@example.nl` }, org);
    } while (cursor);
    // Newest first: the contacts added while paging sort before the cursor, so the pages hold
    // exactly the 25 that existed, each once.
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...existing].sort());
    expect(round).toBe(4);
  });

  it('counts every matching contact on request, on every page, under the same filter', async () => {
    for (let i = 0; i < 5; i++) await create({ email: `tel${i}@example.nl`, name: `Pagina ${i}` });
    for (let i = 0; i < 2; i++) await create({ email: `ander${i}@example.nl`, name: `Ander ${i}` });
    const all = await owner.request({ url: '/api/v1/contacts?limit=2&total=true' });
    const first = all.json<PageJson & { total?: number }>();
    const everyone = await t.db.kysely
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organisation_id', '=', owner.organisationId)
      .executeTakeFirstOrThrow();
    expect(first.items).toHaveLength(2);
    expect(Number(everyone.n)).toBe(7);
    expect(first.total).toBe(7);
    // The count ignores the cursor: the next page reports the same total.
    const next = await owner.request({
      url: `/api/v1/contacts?limit=2&total=true&cursor=${first.nextCursor ?? ''}`,
    });
    expect(next.json<{ total?: number }>().total).toBe(Number(everyone.n));
    // And follows the filter: 5 'Pagina' contacts.
    const filtered = await owner.request({ url: '/api/v1/contacts?q=pagina&limit=1&total=true' });
    expect(filtered.json<{ total?: number }>().total).toBe(5);
    // Not asked, not counted.
    const plain = await owner.request({ url: '/api/v1/contacts?limit=2' });
    expect(plain.json<object>()).not.toHaveProperty('total');
    const wrong = await owner.request({ url: '/api/v1/contacts?total=yes' });
    expect(wrong.statusCode).toBe(400);
  });

  it('records consent, unsubscribes once and keeps the history', async () => {
    const c = await create({ email: 'toestemming@example.nl', consent: 'granted' });
    expect(c.consent.status).toBe('granted');
    t.clock.now += 60_000;
    const first = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${c.id}/unsubscribe`,
    });
    expect(first.json<ContactJson>().status).toBe('unsubscribed');
    await owner.request({ method: 'POST', url: `/api/v1/contacts/${c.id}/unsubscribe` });
    const history = (await owner.request({ url: `/api/v1/contacts/${c.id}/consent` })).json<{
      items: { kind: string }[];
    }>();
    expect(history.items.map((e) => e.kind)).toEqual(['granted', 'unsubscribed']);
    const unsubscribed = (
      await owner.request({ url: '/api/v1/contacts?status=unsubscribed' })
    ).json<PageJson>();
    expect(unsubscribed.items.map((x) => x.id)).toEqual([c.id]);
  });

  it('exports everything about a contact as JSON and erases the personal data', async () => {
    const c = await create({
      name: 'Piet Privé',
      email: 'piet@prive.nl',
      phone: '06-12345678',
      externalId: 'K-42',
      attributes: { kenteken: '12-ABC-3' },
    });
    const exported = await owner.request({ url: `/api/v1/contacts/${c.id}/export` });
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(exported.json<{ contact: ContactJson }>().contact).toMatchObject({
      name: 'Piet Privé',
      attributes: { kenteken: '12-ABC-3' },
    });

    expect(
      (await owner.request({ method: 'POST', url: `/api/v1/contacts/${c.id}/erase` })).statusCode,
    ).toBe(204);
    const after = (await owner.request({ url: `/api/v1/contacts/${c.id}` })).json<
      ContactJson & { phone: string | null }
    >();
    expect(after).toMatchObject({
      status: 'erased',
      name: null,
      email: null,
      phone: null,
      attributes: {},
    });
    const row = await t.db.kysely
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toMatch(/Piet|prive|12345678|K-42|12-ABC-3/i);
    expect(
      (await owner.request({ url: '/api/v1/contacts?q=piet' })).json<PageJson>().items,
    ).toHaveLength(0);
    // The email address is free again: the person may become a customer anew.
    expect(
      (
        await owner.request({
          method: 'POST',
          url: '/api/v1/contacts',
          payload: { email: 'piet@prive.nl' },
        })
      ).statusCode,
    ).toBe(201);
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', c.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['contact.exported', 'contact.erased']),
    );
  });

  it('updates a contact and links an employee and an account of the same organisation only', async () => {
    const emp = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/employees',
        payload: { name: 'Sanne Bakker' },
      })
    ).json<{ id: string }>();
    const acc = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/accounts',
        payload: { name: 'Bakkerij Çelik' },
      })
    ).json<{ id: string }>();
    const c = await create({ email: 'klant@bakkerij.nl' });
    const res = await owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${c.id}`,
      payload: {
        name: 'Ayşe Çelik',
        ownerEmployeeId: emp.id,
        accountId: acc.id,
        segment: 'zakelijk',
      },
    });
    expect(res.json()).toMatchObject({
      name: 'Ayşe Çelik',
      ownerEmployeeId: emp.id,
      accountId: acc.id,
      segment: 'zakelijk',
    });
    const other = await buildOrganisation(t, 'Andere Garage');
    const foreign = (
      await other.request({
        method: 'POST',
        url: '/api/v1/employees',
        payload: { name: 'Vreemde' },
      })
    ).json<{ id: string }>();
    const bad = await owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${c.id}`,
      payload: { ownerEmployeeId: foreign.id },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (await owner.request({ url: '/api/v1/accounts?q=celik' }))
        .json<{ items: { name: string }[] }>()
        .items.map((a) => a.name),
    ).toEqual(['Bakkerij Çelik']);
  });
});
