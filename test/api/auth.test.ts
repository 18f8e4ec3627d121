import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  TEST_PASSWORD,
  type Client,
  type TestApp,
} from '../support/harness.ts';

describeEachDialect('setup and login', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { LOGIN_RATE_LIMIT: '5' });
  });
  afterAll(async () => t.close());

  it('offers first-visit setup only while there is no organisation', async () => {
    // A new installation of its own: the other tests here add organisations in any order.
    const t = await startTestApp(dialect);
    onTestFinished(() => t.close());
    expect((await t.app.inject({ url: '/api/v1/setup' })).json()).toEqual({ needsSetup: true });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: {
        organisationName: 'Garage De Vries',
        name: 'Piet de Vries',
        email: 'Piet@GarageDeVries.nl',
        password: 'lange-wachtwoord-1',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.cookies.find((c) => c.name === 'loyaal_session')?.httpOnly).toBe(true);
    expect((await t.app.inject({ url: '/api/v1/setup' })).json()).toEqual({ needsSetup: false });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: {
        organisationName: 'Kaper',
        name: 'Kaper',
        email: 'kaper@example.nl',
        password: 'lange-wachtwoord-2',
      },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('already_set_up');
  });

  it('explains a weak password in Dutch, field by field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { organisationName: '', name: 'X', email: 'geen-email', password: 'kort' },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json<{
      error: { fields: { field: string; problem: string; message: string }[] };
    }>().error.fields;
    expect(fields.map((f) => [f.field, f.problem])).toEqual(
      expect.arrayContaining([
        ['organisationName', 'required'],
        ['email', 'invalid_email'],
        ['password', 'weak_password'],
      ]),
    );
    expect(fields.find((f) => f.field === 'email')?.message).toContain('geen geldig e-mailadres');
  });

  it('logs in with the right password and gives the same answer for a wrong password and an unknown email', async () => {
    // Its own owner: the test does not lean on the setup test having run first.
    const { email } = await buildOrganisation(t);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: email.toUpperCase(), password: TEST_PASSWORD },
    });
    expect(ok.statusCode).toBe(200);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'fout-wachtwoord' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'niemand@garagedevries.nl', password: 'fout-wachtwoord' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toBe(wrong.body);
  });

  it('keeps the session cookie for SESSION_DAYS by the browser’s own clock', async () => {
    // Max-Age, not only Expires: a browser whose clock differs from the server's (or a test
    // browser beside the harness's fixed clock of 1 November 2026) keeps the session as long.
    const { email } = await buildOrganisation(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: TEST_PASSWORD },
    });
    const cookie = res.cookies.find((c) => c.name === 'loyaal_session');
    expect(cookie?.maxAge).toBe(t.deps.config.SESSION_DAYS * 86_400);
    expect(cookie?.expires?.getTime()).toBe(t.clock.now + t.deps.config.SESSION_DAYS * 86_400_000);
  });

  it('rate-limits repeated login attempts for one account', async () => {
    const attempt = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'doelwit@garagedevries.nl', password: 'raden' },
      });
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await attempt()).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // The limit is the account's: another account, from the same address, still logs in.
    const { email } = await buildOrganisation(t);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: TEST_PASSWORD },
    });
    expect(other.statusCode).toBe(200);
  });
});

/**
 * Finding 5 of the probe (issue 7): with `TRUST_PROXY=true` every hop of X-Forwarded-For was
 * believed, so a client that sent its own header got a fresh address, and a fresh login budget, on
 * every attempt. Behind one proxy the proxy appends the address it saw; only that one counts.
 */
describeEachDialect('login behind a reverse proxy', (dialect) => {
  for (const trust of ['1', '127.0.0.1']) {
    describe(`TRUST_PROXY=${trust}`, () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await startTestApp(dialect, { LOGIN_RATE_LIMIT: '5', TRUST_PROXY: trust });
      });
      afterAll(async () => t.close());

      // The client writes any X-Forwarded-For it likes; the proxy appends the address it saw.
      const attempt = (spoofed: string, seenByProxy: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'x-forwarded-for': `${spoofed}, ${seenByProxy}` },
          payload: { email: 'doelwit@garagedevries.nl', password: 'raden' },
        });

      it('counts the address the proxy saw, whatever the client put in front of it', async () => {
        const codes: number[] = [];
        for (let i = 0; i < 7; i++) {
          codes.push((await attempt(`198.51.100.${i + 1}`, '203.0.113.7')).statusCode);
        }
        expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
        // Another real client keeps its own budget.
        expect((await attempt('198.51.100.99', '203.0.113.8')).statusCode).toBe(401);
      });
    });
  }
});

/**
 * Finding 11 of the probe (issue 7): the login limit counted per address and account only, so one
 * address could try one password on any number of accounts.
 */
describeEachDialect('one address spraying one password over many accounts', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { LOGIN_RATE_LIMIT: '5', LOGIN_ADDRESS_RATE_LIMIT: '8' });
  });
  afterAll(async () => t.close());

  it('is stopped by the per-address limit, though no account reached its own', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `medewerker${i}@garagedevries.nl`, password: 'Zomer2026!' },
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
    const another = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '192.0.2.44',
      payload: { email: 'medewerker0@garagedevries.nl', password: 'Zomer2026!' },
    });
    expect(another.statusCode).toBe(401);
  });
});

/**
 * Finding 6 of the probe (issue 7): login CSRF. A page on another site posted an url-encoded form to
 * the login (or invitation) route and so logged the visitor into the attacker's organisation. The
 * routes that create a session without one take JSON only and refuse another site's Origin.
 */
describeEachDialect('login CSRF', (dialect) => {
  let t: TestApp;
  let owner: Client;
  const PUBLIC = 'https://nps.garagedevries.nl';
  beforeAll(async () => {
    t = await startTestApp(dialect, { PUBLIC_URL: PUBLIC });
    owner = await buildOrganisation(t);
  });
  afterAll(async () => t.close());

  const form = (url: string, body: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://aanvaller.example',
        'sec-fetch-site': 'cross-site',
        ...headers,
      },
      payload: body,
    });

  it('refuses a cross-site form that would log the visitor in, and sets no cookie', async () => {
    const email = (await owner.request({ url: '/api/v1/auth/me' })).json<{
      user: { email: string };
    }>().user.email;
    const res = await form(
      '/api/v1/auth/login',
      `email=${encodeURIComponent(email)}&password=correct+horse+battery`,
    );
    expect(res.statusCode).toBe(415);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('unsupported_media_type');
    expect(res.cookies).toEqual([]);
  });

  it('refuses a form on setup and on accepting an invitation too', async () => {
    expect((await form('/api/v1/setup', 'organisationName=X')).statusCode).toBe(415);
    const inv = await owner.request({
      method: 'POST',
      url: '/api/v1/invites',
      payload: { email: 'kaper@example.nl', role: 'manager' },
    });
    const token = inv.json<{ acceptUrl: string }>().acceptUrl.split('/').pop() ?? '';
    const accept = await form(`/api/v1/public/invites/${token}/accept`, 'name=K&password=x');
    expect(accept.statusCode).toBe(415);
    expect(accept.cookies).toEqual([]);
  });

  it("refuses JSON from another site's page, by Origin or by Sec-Fetch-Site", async () => {
    const login = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers,
        payload: { email: 'iemand@example.nl', password: 'wat-dan-ook' },
      });
    const cross = await login({ origin: 'https://aanvaller.example' });
    expect(cross.statusCode).toBe(403);
    expect(cross.json<{ error: { code: string } }>().error.code).toBe('csrf_failed');
    expect((await login({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await login({ origin: 'null' })).statusCode).toBe(403);
    // The admin app itself, on PUBLIC_URL or on the host it was reached at, gets an answer.
    expect((await login({ origin: PUBLIC, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(401);
    expect((await login({ origin: 'http://localhost:80', host: 'localhost:80' })).statusCode).toBe(
      401,
    );
  });
});

describeEachDialect('sessions, CSRF and API keys', (dialect) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
  });
  afterAll(async () => t.close());

  it('rejects a cookie-authenticated change without the CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { cookie: owner.cookie },
      payload: { email: 'csrf-proef@example.nl' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('csrf_failed');
    const found = async () =>
      (await owner.request({ url: '/api/v1/contacts?q=csrf-proef' })).json<{ items: unknown[] }>()
        .items;
    expect(await found()).toHaveLength(0);
    // The same request with the token creates the contact, so the search above would have seen it.
    const allowed = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'csrf-proef@example.nl' },
    });
    expect(allowed.statusCode).toBe(201);
    expect(await found()).toHaveLength(1);
  });

  it('ends the session on logout', async () => {
    const other = await buildMember(t, owner.organisationId, 'viewer');
    expect((await other.request({ url: '/api/v1/auth/me' })).statusCode).toBe(200);
    expect((await other.request({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(
      204,
    );
    expect((await other.request({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });

  it('creates an API key shown once, stores only its hash, and revokes it', async () => {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'CRM-koppeling' },
    });
    expect(created.statusCode).toBe(201);
    const { id, secret } = created.json<{ id: string; secret: string }>();
    // The documented format is lyl_<12-character prefix>_<random part>; the random part is
    // base64url and may itself contain '_', so it is everything after the second separator.
    const parts = /^lyl_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,})$/.exec(secret);
    expect(parts).not.toBeNull();
    const randomPart = parts?.[2] ?? '';
    const stored = await t.db.kysely
      .selectFrom('api_keys')
      .select(['key_hash', 'prefix'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.key_hash).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(randomPart);
    const listed = await owner.request({ url: '/api/v1/api-keys' });
    expect(listed.body).not.toContain(secret);

    const withKey = await t.app.inject({
      url: '/api/v1/contacts',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(withKey.statusCode).toBe(200);
    // API keys are not sent by browsers on their own, so they need no CSRF token.
    const post = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { authorization: `Bearer ${secret}` },
      payload: { email: 'via-api@example.nl' },
    });
    expect(post.statusCode).toBe(201);

    await owner.request({ method: 'POST', url: `/api/v1/api-keys/${id}/revoke` });
    const after = await t.app.inject({
      url: '/api/v1/contacts',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(after.statusCode).toBe(401);
    const english = await t.app.inject({
      url: '/api/v1/contacts',
      headers: { authorization: `Bearer ${secret}`, 'accept-language': 'en' },
    });
    // An integration has no login: a revoked key says what is wrong, in the caller's language.
    expect(after.json<{ error: { code: string } }>().error.code).toBe('api_key_invalid');
    expect(english.json<{ error: { code: string; message: string } }>().error).toEqual({
      code: 'api_key_invalid',
      message: 'API key invalid or revoked.',
    });
    const dutch = await t.app.inject({
      url: '/api/v1/contacts',
      headers: { authorization: `Bearer ${secret}`, 'accept-language': 'nl' },
    });
    expect(dutch.json<{ error: { message: string } }>().error.message).toBe(
      'API-sleutel ongeldig of ingetrokken.',
    );
  });

  it('rejects forged and malformed API keys', async () => {
    for (const key of [
      'lyl_AAAAAAAAAAAA_bbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      'nonsense',
      `lyl_${'x'.repeat(500)}`,
    ]) {
      const res = await t.app.inject({
        url: '/api/v1/contacts',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('api_key_invalid');
    }
    // Without any credential it is still "please log in".
    const none = await t.app.inject({ url: '/api/v1/contacts' });
    expect(none.json<{ error: { code: string } }>().error.code).toBe('unauthenticated');
  });
});

describeEachDialect('roles', (dialect) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
  });
  afterAll(async () => t.close());

  it('lets a viewer read but not change contacts', async () => {
    const viewer = await buildMember(t, owner.organisationId, 'viewer');
    expect((await viewer.request({ url: '/api/v1/contacts' })).statusCode).toBe(200);
    const res = await viewer.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'x@example.nl' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('shows an account manager only the customers of their own employee record', async () => {
    const emp = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/employees',
        payload: { name: 'Sanne Bakker' },
      })
    ).json<{ id: string }>();
    const other = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/employees',
        payload: { name: 'Ahmed Yilmaz' },
      })
    ).json<{ id: string }>();
    const mine = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { email: 'mijn@klant.nl', ownerEmployeeId: emp.id },
      })
    ).json<{ id: string }>();
    const theirs = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { email: 'hun@klant.nl', ownerEmployeeId: other.id },
      })
    ).json<{ id: string }>();
    const am = await buildMember(t, owner.organisationId, 'account_manager', emp.id);
    const list = (await am.request({ url: '/api/v1/contacts' })).json<{
      items: { id: string }[];
    }>();
    expect(list.items.map((c) => c.id)).toEqual([mine.id]);
    expect((await am.request({ url: `/api/v1/contacts/${theirs.id}` })).statusCode).toBe(404);
    expect(
      (
        await am.request({
          method: 'PATCH',
          url: `/api/v1/contacts/${theirs.id}`,
          payload: { name: 'x' },
        })
      ).statusCode,
    ).toBe(404);
    // …and cannot hand a customer to a colleague.
    const move = await am.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${mine.id}`,
      payload: { ownerEmployeeId: other.id },
    });
    expect(move.statusCode).toBe(403);
    // An account manager without an employee record sees nobody.
    const loose = await buildMember(t, owner.organisationId, 'account_manager');
    expect(
      (await loose.request({ url: '/api/v1/contacts' })).json<{ items: unknown[] }>().items,
    ).toHaveLength(0);
  });

  it('does not let an admin make an owner or invite above their role', async () => {
    const admin = await buildMember(t, owner.organisationId, 'admin');
    const res = await admin.request({
      method: 'POST',
      url: '/api/v1/invites',
      payload: { email: 'baas@example.nl', role: 'owner' },
    });
    expect(res.statusCode).toBe(403);
    const ok = await admin.request({
      method: 'POST',
      url: '/api/v1/invites',
      payload: { email: 'collega@example.nl', role: 'manager' },
    });
    expect(ok.statusCode).toBe(201);
  });
});

describe('invitations of colleagues', () => {
  describeEachDialect('invite flow', (dialect) => {
    let t: TestApp;
    let owner: Client;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      owner = await buildOrganisation(t);
    });
    afterAll(async () => t.close());

    it('lets an invited colleague set a password once and join with the given role', async () => {
      const inv = await owner.request({
        method: 'POST',
        url: '/api/v1/invites',
        payload: { email: 'Sanne@GarageDeVries.nl', role: 'manager' },
      });
      const { acceptUrl } = inv.json<{ acceptUrl: string }>();
      const token = acceptUrl.split('/').pop() ?? '';
      const info = await t.app.inject({ url: `/api/v1/public/invites/${token}` });
      expect(info.json()).toMatchObject({
        email: 'sanne@garagedevries.nl',
        role: 'manager',
        organisationName: 'Garage De Vries',
      });
      const accept = await t.app.inject({
        method: 'POST',
        url: `/api/v1/public/invites/${token}/accept`,
        payload: { name: 'Sanne', password: 'sanne-haar-wachtwoord' },
      });
      expect(accept.statusCode).toBe(201);
      const again = await t.app.inject({
        method: 'POST',
        url: `/api/v1/public/invites/${token}/accept`,
        payload: { name: 'Kaper', password: 'kaper-wachtwoord-1' },
      });
      expect(again.statusCode).toBe(410);
      const members = (await owner.request({ url: '/api/v1/members' })).json<{
        items: { email: string; role: string }[];
      }>();
      expect(members.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ email: 'sanne@garagedevries.nl', role: 'manager' }),
        ]),
      );
    });

    it('refuses an expired invitation', async () => {
      const inv = await owner.request({
        method: 'POST',
        url: '/api/v1/invites',
        payload: { email: 'laat@example.nl', role: 'viewer' },
      });
      const token = inv.json<{ acceptUrl: string }>().acceptUrl.split('/').pop() ?? '';
      t.clock.now += 8 * 86_400_000;
      const res = await t.app.inject({ url: `/api/v1/public/invites/${token}` });
      expect(res.statusCode).toBe(410);
      t.clock.now -= 8 * 86_400_000;
    });
  });
});

describeEachDialect('a staff session in the same browser', (dialect) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
  });
  afterAll(async () => t.close());

  it('does not block public forms or a fresh login with the CSRF check', async () => {
    // A stale or live session cookie without its CSRF token: login still works…
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { cookie: owner.cookie },
      payload: { email: 'nobody@example.nl', password: 'wrong-password' },
    });
    expect(login.statusCode).toBe(401);
    // …and a public page's form POST is judged on its own token, not on the staff session.
    const form = await t.app.inject({
      method: 'POST',
      url: '/r/this-token-does-not-exist-at-all',
      headers: { cookie: owner.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'score=9',
    });
    expect(form.statusCode).toBe(404);
  });
});

describeEachDialect('login with a field left empty', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('names the empty field by its label, not "wrong email address or password"', async () => {
    const login = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
    const fieldsOf = (res: Awaited<ReturnType<typeof login>>) =>
      (
        res.json<{ error: { fields?: { field: string; message: string }[] } }>().error.fields ?? []
      ).map((f) => [f.field, f.message]);
    const both = await login({ email: '  ', password: '' });
    const password = await login({ email: 'piet@garagedevries.nl', password: '' });
    expect({
      both: [both.statusCode, fieldsOf(both)],
      password: [password.statusCode, fieldsOf(password)],
    }).toEqual({
      both: [
        400,
        [
          ['email', 'E-mailadres is verplicht'],
          ['password', 'Wachtwoord is verplicht'],
        ],
      ],
      password: [400, [['password', 'Wachtwoord is verplicht']]],
    });
  });
});
