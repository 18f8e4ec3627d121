import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../src/db/schema.ts';
import {
  insertMembership,
  insertUser,
} from '../../src/modules/organisations/organisations.repository.ts';
import { hashPassword } from '../../src/modules/auth/passwords.ts';
import { newId } from '../../src/shared/ids.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildResponse, buildSurvey } from '../support/factories.ts';
import {
  TEST_PASSWORD,
  buildOrganisation,
  login,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

const DAY = 86_400_000;

type Listed = { items: { id: string; name: string; role: Role; active: boolean }[] };
type Overview = {
  period: { from: string; to: string } | null;
  items: {
    organisation: { id: string; name: string };
    active: boolean;
    nps: { nps: number | null; total: number; interval: { low: number; high: number } | null };
  }[];
};

/**
 * Several organisations per person (issue 13): the switcher's list, switching the session's
 * active organisation, API keys bound to one organisation, and the overview of the organisations
 * a person owns. Every organisation here is made by its own test, so the order does not matter.
 */
describeEachDialect('several organisations per person', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  let n = 0;
  /** A fresh organisation with its owner logged in; the name is unique in this file. */
  const organisation = (label: string) =>
    buildOrganisation(t, `${label} ${++n} ${newId().slice(-6)}`);
  const join = (person: Client, organisationId: string, role: Role) =>
    insertMembership(t.db.kysely, {
      id: newId(),
      organisation_id: organisationId,
      user_id: person.userId,
      role,
      employee_id: null,
      now: t.clock.now,
    });
  const nameOf = async (organisationId: string) =>
    (
      await t.db.kysely
        .selectFrom('organisations')
        .select('name')
        .where('id', '=', organisationId)
        .executeTakeFirstOrThrow()
    ).name;
  const sessionOrganisations = async (userId: string) =>
    (
      await t.db.kysely
        .selectFrom('sessions')
        .select('organisation_id')
        .where('user_id', '=', userId)
        .execute()
    ).map((s) => s.organisation_id);

  it('lists both organisations of a member of A and B, and switches between them', async () => {
    const a = await organisation('Alfa');
    const b = await organisation('Beta');
    await join(a, b.organisationId, 'viewer');
    const contactOfB = await b.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Klant van Beta', email: `beta-${newId().slice(-8)}@example.nl` },
    });
    expect(contactOfB.statusCode).toBe(201);

    const listed = await a.request({ url: '/api/v1/auth/organisations' });
    expect(listed.statusCode).toBe(200);
    const items = listed.json<Listed>().items;
    expect(items.map((i) => [i.id, i.role, i.active]).sort()).toEqual(
      [
        [a.organisationId, 'owner', true],
        [b.organisationId, 'viewer', false],
      ].sort(),
    );
    expect(items.find((i) => i.id === b.organisationId)?.name).toBe(await nameOf(b.organisationId));

    const switched = await a.request({
      method: 'POST',
      url: '/api/v1/auth/organisation',
      payload: { organisationId: b.organisationId },
    });
    expect(switched.statusCode).toBe(200);
    const body = switched.json<{ organisation: { id: string }; role: Role; csrfToken: string }>();
    expect(body.organisation.id).toBe(b.organisationId);
    expect(body.role).toBe('viewer');
    expect(body.csrfToken).not.toBe(a.csrf);

    // The same cookie now works in B, with B's role: B's customers, and no writes for a viewer.
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: a.cookie } });
    expect(me.json<{ organisation: { id: string }; role: Role }>()).toMatchObject({
      organisation: { id: b.organisationId },
      role: 'viewer',
    });
    const contacts = await t.app.inject({ url: '/api/v1/contacts', headers: { cookie: a.cookie } });
    expect(contacts.statusCode).toBe(200);
    expect(contacts.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toEqual([
      contactOfB.json<{ id: string }>().id,
    ]);
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { cookie: a.cookie, 'x-csrf-token': body.csrfToken },
      payload: { name: 'Mag niet' },
    });
    expect(write.statusCode).toBe(403);

    // The old CSRF token (a tab still showing A) is refused instead of acting in B.
    const stale = await a.request({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      payload: { locale: 'nl' },
    });
    expect(stale.statusCode).toBe(403);
    expect(stale.json<{ error: { code: string } }>().error.code).toBe('csrf_failed');

    const back = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/organisation',
      headers: { cookie: a.cookie, 'x-csrf-token': body.csrfToken },
      payload: { organisationId: a.organisationId },
    });
    expect(back.statusCode).toBe(200);
    expect(back.json<{ role: Role }>().role).toBe('owner');
    expect(await sessionOrganisations(a.userId)).toEqual([a.organisationId]);
  });

  it("never lets a member of only A switch to B: 404 without B's name or id, session unchanged", async () => {
    const a = await organisation('Alleen-A');
    const b = await organisation('Niet-van-A');
    const listed = await a.request({ url: '/api/v1/auth/organisations' });
    expect(listed.json<Listed>().items.map((i) => i.id)).toEqual([a.organisationId]);

    const attempt = await a.request({
      method: 'POST',
      url: '/api/v1/auth/organisation',
      payload: { organisationId: b.organisationId },
    });
    expect(attempt.statusCode).toBe(404);
    expect(attempt.json<{ error: { code: string } }>().error.code).toBe('not_found');
    expect(attempt.body).not.toContain(b.organisationId);
    expect(attempt.body).not.toContain(await nameOf(b.organisationId));
    // Exactly the answer for an organisation that does not exist at all.
    const nobody = await a.request({
      method: 'POST',
      url: '/api/v1/auth/organisation',
      payload: { organisationId: newId() },
    });
    expect(nobody.statusCode).toBe(404);
    expect(nobody.body).toBe(attempt.body);

    expect(await sessionOrganisations(a.userId)).toEqual([a.organisationId]);
    const me = await a.request({ url: '/api/v1/auth/me' });
    expect(me.json<{ organisation: { id: string } }>().organisation.id).toBe(a.organisationId);
    // The session's CSRF token was not renewed by the refused switch.
    const stillWorks = await a.request({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      payload: { locale: 'nl' },
    });
    expect(stillWorks.statusCode).toBe(200);
  });

  it('refuses the new routes without credentials (401) and a switch without the CSRF token (403)', async () => {
    const a = await organisation('Zonder');
    for (const [method, url] of [
      ['GET', '/api/v1/auth/organisations'],
      ['POST', '/api/v1/auth/organisation'],
      ['GET', '/api/v1/results/organisations'],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        ...(method === 'POST' ? { payload: { organisationId: a.organisationId } } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
    const other = await organisation('Doel');
    await join(a, other.organisationId, 'admin');
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/organisation',
      headers: { cookie: a.cookie },
      payload: { organisationId: other.organisationId },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json<{ error: { code: string } }>().error.code).toBe('csrf_failed');
    expect(await sessionOrganisations(a.userId)).toEqual([a.organisationId]);
  });

  it('keeps an API key bound to the organisation it was made in, whatever its maker switches to', async () => {
    const a = await organisation('Sleutel-A');
    const b = await organisation('Sleutel-B');
    await join(a, b.organisationId, 'owner');
    const created = await a.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'CRM van A' },
    });
    expect(created.statusCode).toBe(201);
    const { secret } = created.json<{ secret: string }>();
    const auth = { authorization: `Bearer ${secret}` };

    const switched = await a.request({
      method: 'POST',
      url: '/api/v1/auth/organisation',
      payload: { organisationId: b.organisationId },
    });
    expect(switched.statusCode).toBe(200);
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: auth });
    expect(me.json<{ organisation: { id: string } }>().organisation.id).toBe(a.organisationId);

    // A key cannot switch, list a person's organisations or read their overview.
    const keySwitch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/organisation',
      headers: auth,
      payload: { organisationId: b.organisationId },
    });
    expect(keySwitch.statusCode).toBe(403);
    expect(keySwitch.body).not.toContain(b.organisationId);
    expect(
      (await t.app.inject({ url: '/api/v1/auth/organisations', headers: auth })).statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ url: '/api/v1/results/organisations', headers: auth })).statusCode,
    ).toBe(403);
    const after = await t.app.inject({ url: '/api/v1/auth/me', headers: auth });
    expect(after.json<{ organisation: { id: string } }>().organisation.id).toBe(a.organisationId);
  });

  it('shows an owner of several organisations each one’s NPS, interval and n, and only where they are owner', async () => {
    const a = await organisation('Overzicht-A');
    const b = await organisation('Overzicht-B');
    const c = await organisation('Overzicht-C');
    await join(a, b.organisationId, 'admin');
    await join(a, c.organisationId, 'owner');
    const now = t.clock.now;
    const answers = async (organisationId: string, scores: number[], at = now - DAY) => {
      const survey = await buildSurvey(t.db.kysely, organisationId);
      for (const score of scores)
        await buildResponse(
          t.db.kysely,
          { organisationId, surveyId: survey.id },
          {
            score,
            answered_at: at,
          },
        );
    };
    // A: 3 promoters, 1 detractor → NPS 50 over n = 4; an answer of 120 days ago does not count.
    await answers(a.organisationId, [10, 9, 9, 3]);
    await answers(a.organisationId, [0, 0], now - 120 * DAY);
    // C: 1 promoter, 1 passive, 2 detractors → NPS −25 over n = 4.
    await answers(c.organisationId, [10, 7, 2, 5]);
    // B (admin there, not owner): never read.
    await answers(b.organisationId, [10, 10, 10]);

    const res = await a.request({ url: '/api/v1/results/organisations' });
    expect(res.statusCode).toBe(200);
    const overview = res.json<Overview>();
    const byId = new Map(overview.items.map((i) => [i.organisation.id, i]));
    expect([...byId.keys()].sort()).toEqual([a.organisationId, c.organisationId].sort());
    expect(byId.get(a.organisationId)?.nps).toMatchObject({ nps: 50, total: 4 });
    expect(byId.get(c.organisationId)?.nps).toMatchObject({ nps: -25, total: 4 });
    for (const item of overview.items) {
      const interval = item.nps.interval;
      expect(interval).not.toBeNull();
      expect(interval!.low).toBeLessThan(item.nps.nps!);
      expect(interval!.high).toBeGreaterThan(item.nps.nps!);
    }
    expect(byId.get(a.organisationId)?.active).toBe(true);
    expect(byId.get(c.organisationId)?.active).toBe(false);
    expect(res.body).not.toContain(b.organisationId);
    expect(res.body).not.toContain(await nameOf(b.organisationId));
    // The period is the last 90 local days up to the end of today.
    const from = Date.parse(overview.period!.from);
    const to = Date.parse(overview.period!.to);
    expect(to).toBeGreaterThan(now);
    expect(to - from).toBeGreaterThanOrEqual(90 * DAY - 3_600_000);
    expect(to - from).toBeLessThanOrEqual(90 * DAY + 3_600_000);

    // B's own owner sees only B; a member who owns nothing sees an empty overview.
    const onlyB = (await b.request({ url: '/api/v1/results/organisations' })).json<Overview>();
    expect(onlyB.items.map((i) => [i.organisation.id, i.nps.total])).toEqual([
      [b.organisationId, 3],
    ]);
    const viewer = await organisation('Overzicht-D');
    const d = await organisation('Overzicht-E');
    await join(viewer, d.organisationId, 'viewer');
    await t.db.kysely
      .updateTable('memberships')
      .set({ role: 'viewer' })
      .where('user_id', '=', viewer.userId)
      .execute();
    const none = await viewer.request({ url: '/api/v1/results/organisations' });
    expect(none.statusCode).toBe(200);
    expect(none.json<Overview>()).toEqual({ period: null, items: [] });
  });

  it('lands a person with two memberships made in the same millisecond in the same organisation every time', async () => {
    const x = await organisation('Gelijk');
    const y = await organisation('Tegelijk');
    const [first, second] = [x.organisationId, y.organisationId].sort();
    const email = `twee-${newId().slice(-10)}@example.nl`;
    const userId = newId();
    await insertUser(t.db.kysely, {
      id: userId,
      email,
      name: 'Twee petten',
      password_hash: await hashPassword(TEST_PASSWORD),
      locale: 'nl',
      now: t.clock.now,
    });
    // The later organisation id is stored first, at the very same instant: without a tie-breaker
    // the database's own row order would decide.
    for (const organisationId of [second, first]) {
      await insertMembership(t.db.kysely, {
        id: newId(),
        organisation_id: organisationId as string,
        user_id: userId,
        role: 'viewer',
        employee_id: null,
        now: t.clock.now,
      });
    }
    for (let i = 0; i < 3; i++) {
      expect((await login(t, email, TEST_PASSWORD)).organisationId).toBe(first);
    }
  });
});
