import fc from 'fast-check';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

interface ErrorBody {
  error: {
    code: string;
    message: string;
    fields?: { field: string; problem: string; message: string }[];
  };
}

describeEachDialect('bad input on the contacts API', (dialect) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
  });
  afterAll(async () => t.close());

  const count = async () =>
    Number(
      (
        await t.db.kysely
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers malformed JSON with a 400 that says so', async () => {
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.nl",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('invalid_json');
  });

  it('answers an oversized body with 413', async () => {
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'a@b.nl', name: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(res.statusCode).toBe(413);
  });

  it("names every wrong field in the user's language: types, unknown fields, lengths, bad email, unknown language", async () => {
    const before = await count();
    await owner.request({ method: 'PATCH', url: '/api/v1/auth/me', payload: { locale: 'en' } });
    onTestFinished(async () => {
      await owner.request({ method: 'PATCH', url: '/api/v1/auth/me', payload: { locale: 'nl' } });
    });
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: {
        email: 'not-an-email',
        name: 42,
        language: 'de',
        hacker: true,
        segment: 's'.repeat(101),
      },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<ErrorBody>();
    expect(body.error.message).toBe('Some fields are not filled in correctly.');
    expect(body.error.fields?.map((f) => [f.field, f.problem])).toEqual(
      expect.arrayContaining([
        ['email', 'invalid_email'],
        ['name', 'invalid_type'],
        ['language', 'invalid_language'],
        ['hacker', 'unknown_field'],
        ['segment', 'too_long'],
      ]),
    );
    expect(await count()).toBe(before);
  });

  it('stores SQL meta-characters as plain text', async () => {
    const name = `Robert'); DROP TABLE contacts;-- "%_\\`;
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'bobby@tables.nl', name },
    });
    expect(res.statusCode).toBe(201);
    const search = await owner.request({
      url: `/api/v1/contacts?q=${encodeURIComponent("'); DROP")}`,
    });
    expect(search.json<{ items: { name: string }[] }>().items.map((c) => c.name)).toEqual([name]);
    // `%` and `_` are literals in search, not wildcards.
    const pct = await owner.request({ url: `/api/v1/contacts?q=${encodeURIComponent('%')}` });
    expect(pct.json<{ items: unknown[] }>().items).toHaveLength(1);
    const none = await owner.request({ url: `/api/v1/contacts?q=${encodeURIComponent('a%z')}` });
    expect(none.json<{ items: unknown[] }>().items).toHaveLength(0);
  });

  it('rejects a forged cursor and a malformed id with 400, an unknown id with 404', async () => {
    expect((await owner.request({ url: '/api/v1/contacts?cursor=bm9wZQ' })).statusCode).toBe(400);
    expect((await owner.request({ url: '/api/v1/contacts?limit=100000' })).statusCode).toBe(400);
    expect((await owner.request({ url: "/api/v1/contacts/1' OR '1'='1" })).statusCode).toBe(400);
    expect(
      (await owner.request({ url: '/api/v1/contacts/8a1f3f0e-5d0b-4a57-9d1e-3c2b1a0f9e8d' }))
        .statusCode,
    ).toBe(404);
  });

  it('never answers random JSON bodies with a 5xx, and stores only valid contacts', async () => {
    const before = await count();
    let created = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              email: fc.oneof(fc.emailAddress(), fc.string(), fc.integer()),
              name: fc.oneof(fc.string({ maxLength: 300 }), fc.constant(null)),
              language: fc.oneof(fc.constantFrom('nl', 'en', 'NL', 'de', ''), fc.integer()),
              phone: fc.oneof(fc.string({ maxLength: 50 }), fc.constant('+31 6 1234 5678')),
              attributes: fc.oneof(
                fc.dictionary(fc.string({ maxLength: 70 }), fc.string({ maxLength: 20 })),
                fc.string(),
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        async (payload) => {
          const res = await owner.request({
            method: 'POST',
            url: '/api/v1/contacts',
            payload: JSON.stringify(payload),
            headers: { 'content-type': 'application/json' },
          });
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode === 201) {
            created++;
            // What was stored is valid: a real address (the one sent) or none, a known language.
            const row = await t.db.kysely
              .selectFrom('contacts')
              .select(['email', 'language'])
              .where('id', '=', res.json<{ id: string }>().id)
              .executeTakeFirstOrThrow();
            const sent = (payload as { email?: unknown }).email;
            expect(row.email).toBe(typeof sent === 'string' ? sent.trim() : null);
            if (row.email !== null) expect(row.email).toMatch(/^[^\s@]+@[^\s@]+\.[^\s@]+$/);
            expect(['nl', 'en']).toContain(row.language);
          } else {
            expect(res.json<ErrorBody>().error.code).toMatch(
              /^(validation_failed|conflict|invalid_json)$/,
            );
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(await count()).toBe(before + created);
  });

  it('never answers random query strings with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('limit', 'cursor', 'q', 'status', 'segment', 'ownerEmployeeId', 'x'),
          fc.string({ maxLength: 300 }),
        ),
        async (query) => {
          const res = await owner.request({
            url: `/api/v1/contacts?${new URLSearchParams(query).toString()}`,
          });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
