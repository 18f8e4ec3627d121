import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { png } from '../support/images.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

/**
 * Walks EVERY registered route and proves that organisation B can neither read nor change anything
 * of organisation A. A route added later is covered automatically; if its `:param` names a resource
 * this suite does not know, the suite fails and asks for a fixture below.
 */

/** Routes that need no login by design; each checks its own credential (a token or a secret). */
const PUBLIC = [
  /^\/health$/,
  /^\/api\/v1\/setup$/,
  /^\/api\/v1\/auth\/(login|logout)$/,
  /^\/api\/v1\/public\//,
  /^\/api\/v1\/openapi\.json$/,
  /^\/api\/v1\/webhooks\//,
  /^\/(r|s|u)\//,
  // The referral programme's pages: share page, friend's page, voucher, counter (token each).
  /^\/(a|f|v|k)\//,
  // Uploaded logos appear in customers' emails: public by design, addressed by an unguessable id.
  /^\/logos\//,
  /^\/admin/,
  /^\/$/,
  /^\*$/,
];

/** Tables whose rows of organisation A must be identical after B's attempts. */
const SNAPSHOT_TABLES = [
  'organisations',
  'memberships',
  'user_invites',
  'api_keys',
  'employees',
  'accounts',
  'contacts',
  'consent_events',
  'imports',
  'surveys',
  'survey_sends',
  'invitations',
  'responses',
  'emails',
  'mail_servers',
  'mail_tests',
  'logos',
  'cases',
  'case_events',
  'case_responses',
  'referral_programmes',
  'ambassadors',
  'referrals',
  'rewards',
  'ambassador_tasks',
  'webhook_endpoints',
  'visits',
] as const satisfies readonly (keyof Database)[];

describeEachDialect('tenant isolation across every endpoint', (dialect) => {
  let t: TestApp;
  let a: Client;
  let b: Client;
  /** Resource ids of organisation A, by the path segment that precedes `:id` in a route. */
  const ids: Record<string, string> = {};
  const SECRET_NAME = 'Geheime Klant Alfa';
  const SECRET_COMMENT = 'Alfa-geheim: de koffie was koud';

  beforeAll(async () => {
    t = await startTestApp(dialect, { SECRET_KEY: 'b'.repeat(64) });
    a = await buildOrganisation(t, 'Alfa BV');
    b = await buildOrganisation(t, 'Beta BV');
    const post = async (url: string, payload: unknown) => {
      const res = await a.request({
        method: 'POST',
        url,
        payload: payload as Record<string, unknown>,
      });
      if (res.statusCode >= 300) throw new Error(`fixture ${url}: ${res.statusCode} ${res.body}`);
      return res.json<{ id: string }>().id;
    };
    ids.employees = await post('/api/v1/employees', { name: 'Sanne Alfa', email: 'sanne@alfa.nl' });
    ids.accounts = await post('/api/v1/accounts', { name: 'Alfa Klantbedrijf' });
    ids.contacts = await post('/api/v1/contacts', {
      name: SECRET_NAME,
      email: 'geheim@alfa.nl',
      ownerEmployeeId: ids.employees,
      accountId: ids.accounts,
    });
    ids.visits = await post('/api/v1/visits', {
      externalId: 'ALFA-WERKORDER-1',
      customer: { email: 'geheim@alfa.nl' },
      visitedAt: '2026-10-01',
      amount: 89.5,
      kind: 'APK',
    });
    ids['api-keys'] = await post('/api/v1/api-keys', { name: 'Alfa CRM' });
    ids.invites = await post('/api/v1/invites', { email: 'nieuw@alfa.nl', role: 'viewer' });
    const members = await a.request({ url: '/api/v1/members' });
    ids.members = members.json<{ items: { id: string }[] }>().items[0]?.id ?? '';
    ids.surveys = await post('/api/v1/surveys', { name: 'Alfa NPS', status: 'active' });
    const trigger = await a.request({
      method: 'PUT',
      url: '/api/v1/visit-trigger',
      payload: { surveyId: ids.surveys, enabled: true, kinds: ['APK'] },
    });
    if (trigger.statusCode !== 200) throw new Error(`fixture visit trigger: ${trigger.body}`);
    ids.sends = await post(`/api/v1/surveys/${ids.surveys}/sends`, {
      selection: { kind: 'all' },
      schedule: { kind: 'now' },
    });
    // The worker composes and "sends" the invitation into the outbox (no SMTP configured).
    await startWorker(t.deps, { concurrency: 2 }, false).drain();
    const outbox = await a.request({ url: '/api/v1/outbox' });
    ids.outbox = outbox.json<{ items: { id: string }[] }>().items[0]?.id ?? 'missing';
    const invitation = await t.db.kysely
      .selectFrom('invitations')
      .select('token')
      .where('organisation_id', '=', a.organisationId)
      .executeTakeFirstOrThrow();
    const answer = await t.app.inject({
      method: 'POST',
      url: `/r/${invitation.token}`,
      payload: { score: 3, comment: SECRET_COMMENT },
    });
    if (answer.statusCode !== 200)
      throw new Error(`fixture answer: ${answer.statusCode} ${answer.body}`);
    ids['webhook-endpoints'] = await post('/api/v1/webhook-endpoints', {
      url: 'https://crm.alfa.example/hooks/loyaal',
      events: ['case.opened'],
    });
    // The detractor's answer opened a case (cases module).
    const cases = await a.request({ url: '/api/v1/cases' });
    ids.cases = cases.json<{ items: { id: string }[] }>().items[0]?.id ?? 'missing';
    // A's own mail server (a port where nothing listens) and the failed test mail it recorded.
    const mail = await a.request({
      method: 'PUT',
      url: '/api/v1/mail-server',
      payload: { host: '127.0.0.1', port: 1, security: 'none', fromAddress: 'info@alfa.nl' },
    });
    if (mail.statusCode !== 200) throw new Error(`fixture mail server: ${mail.body}`);
    await a.request({ method: 'POST', url: '/api/v1/mail-server/test' });
    const logo = await a.request({
      method: 'POST',
      url: '/api/v1/organisation/logo',
      headers: { 'content-type': 'multipart/form-data; boundary=x-logo' },
      payload: Buffer.concat([
        Buffer.from(
          '--x-logo\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n',
        ),
        png(64, 64),
        Buffer.from('\r\n--x-logo--\r\n'),
      ]),
    });
    if (logo.statusCode !== 200) throw new Error(`fixture logo: ${logo.body}`);
    // The referral programme: a fan added by hand, a friend at the counter with their code (a
    // double-sided programme gives the friend a welcome voucher), and the thank-you task.
    const programme = await a.request({
      method: 'PUT',
      url: '/api/v1/referral-programme',
      payload: {
        enabled: true,
        settings: {
          friendReward: { kind: 'voucher', description: 'Welkom', costCents: 500, validMonths: 3 },
        },
      },
    });
    if (programme.statusCode !== 200) throw new Error(`fixture programme: ${programme.body}`);
    ids.ambassadors = await post('/api/v1/ambassadors', {
      contactId: ids.contacts,
      consentNote: 'Aan de balie gevraagd',
    });
    const register = await a.request({ url: '/api/v1/ambassadors' });
    const code = register.json<{ items: { code: string }[] }>().items[0]?.code ?? '';
    ids.referrals = await post('/api/v1/referrals', {
      ambassadorCode: code,
      name: 'Vriend Alfa',
      email: 'vriend@alfa-vrienden.nl',
      consentNote: 'Aan de balie',
    });
    const rewards = await a.request({ url: '/api/v1/rewards' });
    ids.rewards = rewards.json<{ items: { id: string }[] }>().items[0]?.id ?? 'missing';
    const tasks = await a.request({ url: '/api/v1/ambassador-tasks' });
    ids['ambassador-tasks'] = tasks.json<{ items: { id: string }[] }>().items[0]?.id ?? 'missing';
    const boundary = 'x-loyaal-test';
    const csv = 'Naam;E-mailadres\nAlfa Import;import@alfa.nl\n';
    const upload = await a.request({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="alfa.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
    });
    if (upload.statusCode === 201 || upload.statusCode === 200)
      ids.imports = upload.json<{ id: string }>().id;
  });
  afterAll(async () => t.close());

  async function snapshot(): Promise<string> {
    const parts: unknown[] = [];
    for (const table of SNAPSHOT_TABLES) {
      const column = table === 'organisations' ? 'id' : 'organisation_id';
      const rows = await t.db.kysely
        .selectFrom(table)
        .selectAll()
        .where(column, '=', a.organisationId)
        .orderBy(
          table === 'mail_servers' || table === 'referral_programmes'
            ? 'organisation_id'
            : table === 'case_responses'
              ? 'response_id'
              : 'id',
        )
        .execute();
      parts.push(table, rows);
    }
    return JSON.stringify(parts);
  }

  const isPublic = (url: string) => PUBLIC.some((p) => p.test(url));

  it('knows a fixture for every resource a route names', () => {
    const unknown = t.app.routeTable
      .filter((r) => !isPublic(r.url) && r.url.includes('/:'))
      .map((r) => r.url)
      .filter((url) => {
        const seg = /\/api\/v1\/(?:[a-z-]+\/)*?([a-z-]+)\/:[a-zA-Z]+/.exec(url)?.[1];
        return !seg || !(seg in ids);
      });
    expect(unknown, 'add a fixture for these routes in tenant-isolation.test.ts').toEqual([]);
  });

  it('refuses every non-public route without credentials', async () => {
    for (const route of t.app.routeTable.filter((r) => !isPublic(r.url))) {
      const url = route.url.replace(/:[a-zA-Z]+/g, ids.contacts ?? 'x');
      const res = await t.app.inject({
        method: route.method as 'GET',
        url,
        payload: route.method === 'GET' ? undefined : {},
      });
      expect([401, 404], `${route.method} ${route.url} → ${res.statusCode}`).toContain(
        res.statusCode,
      );
    }
  });

  it("gives organisation B nothing of organisation A's data and changes none of it, on any route", async () => {
    const before = await snapshot();
    const aIds = Object.values(ids);
    const routes = t.app.routeTable.filter((r) => !isPublic(r.url));
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const seg = /\/api\/v1\/(?:[a-z-]+\/)*?([a-z-]+)\/:[a-zA-Z]+/.exec(route.url)?.[1];
      const url = route.url
        .replace(/:[a-zA-Z]+/, seg ? (ids[seg] ?? '') : '')
        .replace(/:sendId/g, ids.sends ?? '')
        .replace(/:[a-zA-Z]+/g, 'x');
      const payload = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      const res = await b.request({
        method: route.method,
        url,
        ...(payload ? { payload } : {}),
      });
      const label = `${route.method} ${url} → ${res.statusCode}`;
      expect(res.statusCode, label).toBeLessThan(500);
      if (route.url.includes('/:')) {
        // A's resource does not exist for B: 404 (or 400 when the body is checked first), never 2xx.
        expect([400, 404], label).toContain(res.statusCode);
      }
      for (const id of aIds) expect(res.body, label).not.toContain(id);
      expect(res.body, label).not.toContain(SECRET_NAME);
      expect(res.body, label).not.toContain(SECRET_COMMENT);
    }
    expect(await snapshot()).toBe(before);
  });

  it('lets A still see its own data (the fixtures are real)', async () => {
    const res = await a.request({ url: `/api/v1/contacts/${ids.contacts}` });
    expect(res.json<{ name: string }>().name).toBe(SECRET_NAME);
    expect((await a.request({ url: `/api/v1/outbox/${ids.outbox}` })).statusCode).toBe(200);
    const answers = await a.request({ url: '/api/v1/results/responses' });
    expect(answers.body).toContain(SECRET_COMMENT);
    const detail = await a.request({ url: `/api/v1/cases/${ids.cases}` });
    expect(detail.json<{ comment: string }>().comment).toBe(SECRET_COMMENT);
  });
});
