import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { newId } from '../../src/shared/ids.ts';
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
  // An organisation's public page on how it collects reviews: public by design (EU Omnibus).
  /^\/o\/[^/]+\/reviews$/,
  // The review email's one-click unsubscribe: its 256-bit token is the credential.
  /^\/rv\//,
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
  'loyalty_tasks',
  'loyalty_contact_facts',
  'loyalty_revenue_months',
  'locations',
  'review_settings',
  'notifications',
  'digest_tokens',
] as const satisfies readonly (keyof Database)[];

/** A multipart upload of one file, as the browser sends it. */
function upload(filename: string, type: string, content: Buffer | string): Partial<InjectOptions> {
  const boundary = 'x-tenant-walk';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

/**
 * A VALID body for every route that takes one, naming organisation A's records wherever a body
 * names a record: so a route answers on ownership, not on a body its validation refuses first.
 * `ids` holds A's ids by resource; `codes` A's ambassador code and welcome voucher code. A write
 * route added later fails 'knows a valid body for every write route' until it has one here.
 */
type Ids = Record<string, string>;
const BODIES: Record<string, (ids: Ids, codes: Ids) => Partial<InjectOptions>> = {
  'PATCH /api/v1/organisation': () => ({ payload: { name: 'Beta B.V.' } }),
  'POST /api/v1/organisation/logo': () => upload('b.png', 'image/png', png(64, 64)),
  'DELETE /api/v1/organisation/logo': () => ({}),
  'PATCH /api/v1/auth/me': () => ({ payload: { locale: 'nl' } }),
  'PUT /api/v1/me/weekly-digest': () => ({ payload: { weeklyDigest: false } }),
  // B's owner asks to switch into A: A is not theirs, so it does not exist for them.
  'POST /api/v1/auth/organisation': (ids) => ({
    payload: { organisationId: ids.organisations },
  }),
  'PATCH /api/v1/members/:id': () => ({ payload: { role: 'viewer' } }),
  'DELETE /api/v1/members/:id': () => ({}),
  'POST /api/v1/invites': () => ({ payload: { email: 'nieuw@beta.nl', role: 'viewer' } }),
  'POST /api/v1/invites/:id/revoke': () => ({}),
  'POST /api/v1/loyalty/tasks/:id/done': () => ({}),
  'POST /api/v1/notifications/:id/read': () => ({}),
  'POST /api/v1/api-keys': () => ({ payload: { name: 'Beta CRM' } }),
  'POST /api/v1/api-keys/:id/revoke': () => ({}),
  'POST /api/v1/employees': () => ({ payload: { name: 'Piet Beta', email: 'piet@beta.nl' } }),
  'PATCH /api/v1/employees/:id': () => ({ payload: { team: 'Noord' } }),
  'POST /api/v1/locations': () => ({ payload: { name: 'Beta Leeuwarden' } }),
  'PATCH /api/v1/locations/:id': () => ({ payload: { name: 'Beta Sneek', archived: true } }),
  'POST /api/v1/accounts': (ids) => ({
    payload: { name: 'Beta Klant', ownerEmployeeId: ids.employees },
  }),
  'PATCH /api/v1/accounts/:id': (ids) => ({
    payload: { segment: 'B2B', ownerEmployeeId: ids.employees },
  }),
  'POST /api/v1/contacts': (ids) => ({
    payload: {
      name: 'Klant Beta',
      email: 'klant@beta.nl',
      ownerEmployeeId: ids.employees,
      accountId: ids.accounts,
    },
  }),
  'PATCH /api/v1/contacts/:id': (ids) => ({
    payload: { phone: '0612345678', ownerEmployeeId: ids.employees, accountId: ids.accounts },
  }),
  'POST /api/v1/contacts/:id/unsubscribe': () => ({}),
  'POST /api/v1/contacts/:id/resubscribe': () => ({}),
  'POST /api/v1/contacts/:id/erase': () => ({}),
  'POST /api/v1/imports': () =>
    upload('beta.csv', 'text/csv', 'Naam;E-mailadres\nBeta Import;import@beta.nl\n'),
  'POST /api/v1/imports/:id/owners': (ids) => ({
    payload: { resolutions: [{ value: 'Sanne Alfa', action: 'link', employeeId: ids.employees }] },
  }),
  'POST /api/v1/imports/:id/locations': (ids) => ({
    payload: { resolutions: [{ value: 'Alfa Sneek', action: 'link', locationId: ids.locations }] },
  }),
  'POST /api/v1/imports/:id/validate': () => ({
    payload: { mapping: { Naam: 'name', 'E-mailadres': 'email' } },
  }),
  'POST /api/v1/imports/:id/commit': () => ({ payload: { mode: 'valid_only' } }),
  'POST /api/v1/surveys': () => ({ payload: { name: 'Beta NPS', status: 'active' } }),
  'PATCH /api/v1/surveys/:id': () => ({ payload: { name: 'Beta NPS 2027' } }),
  'POST /api/v1/surveys/:id/preview': () => ({ payload: { locale: 'nl', view: 'email' } }),
  'POST /api/v1/surveys/:id/test-mail': () => ({ payload: { locale: 'nl' } }),
  'POST /api/v1/surveys/:id/sends/preview': () => ({ payload: { selection: { kind: 'all' } } }),
  'POST /api/v1/surveys/:id/sends': () => ({
    payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
  }),
  'POST /api/v1/surveys/:id/sends/:sendId/cancel': () => ({}),
  'POST /api/v1/outbox/:id/retry': () => ({}),
  'PUT /api/v1/mail-server': () => ({
    payload: { host: '127.0.0.1', port: 1, security: 'none', fromAddress: 'info@beta.nl' },
  }),
  'DELETE /api/v1/mail-server': () => ({}),
  'POST /api/v1/mail-server/test': () => ({}),
  'POST /api/v1/cases/:id/status': () => ({ payload: { status: 'resolved', note: 'Opgelost' } }),
  'POST /api/v1/cases/:id/notes': () => ({ payload: { note: 'Gebeld' } }),
  'POST /api/v1/cases/:id/contact-moments': () => ({ payload: { channel: 'phone' } }),
  'PUT /api/v1/cases/:id/owner': (ids) => ({ payload: { ownerEmployeeId: ids.employees } }),
  'PUT /api/v1/referral-programme': () => ({ payload: { enabled: false } }),
  'PUT /api/v1/review-settings': () => ({
    payload: {
      sites: [{ kind: 'trustpilot', url: 'https://trustpilot.example/beta' }],
      askOnThanks: false,
    },
  }),
  'POST /api/v1/ambassadors': (ids) => ({
    payload: { contactId: ids.contacts, consentNote: 'Aan de balie gevraagd' },
  }),
  'POST /api/v1/ambassadors/:id/status': () => ({ payload: { action: 'pause' } }),
  'POST /api/v1/ambassadors/:id/invite': () => ({}),
  'POST /api/v1/referrals': (_ids, codes) => ({
    payload: {
      ambassadorCode: codes.ambassador,
      name: 'Vriend Beta',
      email: 'vriend@beta-vrienden.nl',
      consentNote: 'Aan de balie',
    },
  }),
  'POST /api/v1/referrals/:id/status': () => ({ payload: { status: 'contacted' } }),
  'POST /api/v1/referrals/:id/conversion': () => ({ payload: { amountCents: 8900 } }),
  'POST /api/v1/referrals/:id/conversion/cancel': () => ({}),
  'DELETE /api/v1/referrals/:id/personal-data': () => ({}),
  'POST /api/v1/rewards/:id/review': () => ({
    payload: { decision: 'approve', reason: 'Gebeld: echte klant' },
  }),
  'POST /api/v1/vouchers/check': (_ids, codes) => ({ payload: { code: codes.welcome } }),
  'POST /api/v1/vouchers/redeem': (_ids, codes) => ({ payload: { code: codes.welcome } }),
  'POST /api/v1/ambassador-tasks/:id': () => ({ payload: { done: true } }),
  'POST /api/v1/webhook-endpoints': () => ({
    payload: { url: 'https://crm.beta.example/hooks', events: ['case.opened'] },
  }),
  'PATCH /api/v1/webhook-endpoints/:id': () => ({
    payload: { description: 'Beta', enabled: false },
  }),
  'DELETE /api/v1/webhook-endpoints/:id': () => ({}),
  'POST /api/v1/webhook-endpoints/:id/rotate-secret': () => ({}),
  'POST /api/v1/webhook-endpoints/:id/test': () => ({}),
  'POST /api/v1/webhook-endpoints/:id/deliveries/:deliveryId/replay': () => ({}),
  'POST /api/v1/visits': () => ({
    payload: {
      externalId: 'BETA-1',
      customer: { email: 'klant@beta.nl' },
      visitedAt: '2026-10-01',
      kind: 'APK',
    },
  }),
  'POST /api/v1/visits/batch': () => ({
    payload: {
      visits: [
        { externalId: 'BETA-2', customer: { email: 'klant@beta.nl' }, visitedAt: '2026-10-02' },
      ],
    },
  }),
  'PUT /api/v1/visit-trigger': (ids) => ({
    payload: { surveyId: ids.surveys, enabled: true, kinds: ['APK'] },
  }),
};

/**
 * Routes without a record in their path whose valid body above names A's records: B is refused
 * (400 naming the field, or 404), never served.
 */
const NAMES_A_IN_BODY = new Set([
  'POST /api/v1/auth/organisation',
  'POST /api/v1/accounts',
  'POST /api/v1/contacts',
  'POST /api/v1/ambassadors',
  'POST /api/v1/referrals',
  'POST /api/v1/vouchers/check',
  'POST /api/v1/vouchers/redeem',
  'PUT /api/v1/visit-trigger',
]);

describeEachDialect('tenant isolation across every endpoint', (dialect) => {
  let t: TestApp;
  let a: Client;
  let b: Client;
  /** Resource ids of organisation A, by the path segment that precedes `:id` in a route. */
  const ids: Record<string, string> = {};
  /** A's ambassador code and the friend's welcome voucher code. */
  const codes: Record<string, string> = {};
  const SECRET_NAME = 'Geheime Klant Alfa';
  const SECRET_COMMENT = 'Alfa-geheim: de koffie was koud';

  beforeAll(async () => {
    t = await startTestApp(dialect, { SECRET_KEY: 'b'.repeat(64) });
    a = await buildOrganisation(t, 'Alfa BV');
    b = await buildOrganisation(t, 'Beta BV');
    ids.organisations = a.organisationId;
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
    ids.locations = await post('/api/v1/locations', { name: 'Alfa Leeuwarden' });
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
    ids.deliveries = await post(`/api/v1/webhook-endpoints/${ids['webhook-endpoints']}/test`, {});
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
    const reviews = await a.request({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: {
        sites: [{ kind: 'google', url: 'https://g.page/r/alfa/review' }],
        askOnThanks: true,
      },
    });
    if (reviews.statusCode !== 200) throw new Error(`fixture reviews: ${reviews.body}`);
    ids.ambassadors = await post('/api/v1/ambassadors', {
      contactId: ids.contacts,
      consentNote: 'Aan de balie gevraagd',
    });
    const register = await a.request({ url: '/api/v1/ambassadors' });
    codes.ambassador = register.json<{ items: { code: string }[] }>().items[0]?.code ?? '';
    ids.referrals = await post('/api/v1/referrals', {
      ambassadorCode: codes.ambassador,
      name: 'Vriend Alfa',
      email: 'vriend@alfa-vrienden.nl',
      consentNote: 'Aan de balie',
    });
    const rewards = await a.request({ url: '/api/v1/rewards' });
    const rewardItems = rewards.json<{ items: { id: string; recipient: string; code: string }[] }>()
      .items;
    ids.rewards = rewardItems[0]?.id ?? 'missing';
    codes.welcome = rewardItems.find((r) => r.recipient === 'friend')?.code ?? 'missing';
    const tasks = await a.request({ url: '/api/v1/ambassador-tasks' });
    ids['ambassador-tasks'] = tasks.json<{ items: { id: string }[] }>().items[0]?.id ?? 'missing';
    // A lapsed-promoter task of A (the daily sweep writes them; its own test makes them for real).
    ids.tasks = newId();
    await t.db.kysely
      .insertInto('loyalty_tasks')
      .values({
        id: ids.tasks,
        organisation_id: a.organisationId,
        contact_id: ids.contacts,
        kind: 'lapsed_promoter',
        owner_employee_id: ids.employees,
        score: 10,
        last_visit_at: t.clock.now - 200 * 86_400_000,
        interval_days: 120,
        due_at: t.clock.now - 80 * 86_400_000,
        done_at: null,
        done_by: null,
        created_at: t.clock.now,
      })
      .execute();
    // A celebrate note about A's account manager (the monthly evaluation has its own test).
    ids.notifications = newId();
    await t.db.kysely
      .insertInto('notifications')
      .values({
        id: ids.notifications,
        organisation_id: a.organisationId,
        kind: 'celebrate',
        subject_kind: 'employee',
        subject_key: ids.employees,
        period: '2026-09',
        period_from: t.clock.now - 60 * 86_400_000,
        period_to: t.clock.now - 30 * 86_400_000,
        previous_from: t.clock.now - 90 * 86_400_000,
        answers_before: 30,
        answers_after: 31,
        nps_before: 10,
        nps_after: 40,
        probability_of_rise: 0.999,
        created_at: t.clock.now,
      })
      .execute();
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
          table === 'mail_servers' || table === 'referral_programmes' || table === 'review_settings'
            ? 'organisation_id'
            : table === 'case_responses'
              ? 'response_id'
              : table === 'loyalty_contact_facts'
                ? 'contact_id'
                : table === 'loyalty_revenue_months'
                  ? 'month_start'
                  : 'id',
        )
        .execute();
      parts.push(table, rows);
    }
    return JSON.stringify(parts);
  }

  const isPublic = (url: string) => PUBLIC.some((p) => p.test(url));
  const isWrite = (method: string) => method !== 'GET' && method !== 'HEAD';
  /** The path segment before a route's first `:param`: which of A's resources it names. */
  const resourceOf = (url: string) =>
    /\/api\/v1\/(?:[a-z-]+\/)*?([a-z-]+)\/:[a-zA-Z]+/.exec(url)?.[1];
  /** Parameters after the first, by name. */
  const LATER_PARAMS: Record<string, string> = { sendId: 'sends', deliveryId: 'deliveries' };

  /** The route's path with EVERY parameter filled with A's record of that kind. */
  function withIdsOfA(url: string): string {
    const seg = resourceOf(url);
    const filled = url
      .replace(/:[a-zA-Z]+/, seg ? (ids[seg] ?? ':missing') : ':missing')
      .replace(/:([a-zA-Z]+)/g, (_, name: string) => ids[LATER_PARAMS[name] ?? ''] ?? `:${name}`);
    return filled;
  }
  /** The route's path with every parameter filled with an id nobody has. */
  const withUnknownIds = (url: string) => url.replace(/:[a-zA-Z]+/g, () => newId());
  const routes = () => t.app.routeTable.filter((r) => !isPublic(r.url));

  it('knows a fixture for every resource a route names, and fills every parameter', () => {
    const unknown = routes()
      .filter((r) => r.url.includes('/:'))
      .map((r) => r.url)
      .filter((url) => withIdsOfA(url).includes(':'));
    expect(unknown, 'add a fixture for these routes in tenant-isolation.test.ts').toEqual([]);
  });

  it('knows a valid body for every write route', () => {
    const keys = routes()
      .filter((r) => isWrite(r.method))
      .map((r) => `${r.method} ${r.url}`);
    expect(
      keys.filter((key) => !(key in BODIES)),
      'add a valid body for these routes to BODIES in tenant-isolation.test.ts',
    ).toEqual([]);
    expect(Object.keys(BODIES).filter((key) => !keys.includes(key))).toEqual([]);
  });

  it('refuses every non-public route without credentials (401) before looking anything up', async () => {
    const before = await snapshot();
    for (const route of routes()) {
      const key = `${route.method} ${route.url}`;
      const body = isWrite(route.method) ? (BODIES[key]?.(ids, codes) ?? {}) : {};
      // A's real records (a route that forgot authentication would serve or change them) and ids
      // nobody has (a route that looks up before it authenticates would answer 404).
      for (const url of new Set([withIdsOfA(route.url), withUnknownIds(route.url)])) {
        const res = await t.app.inject({ method: route.method as 'GET', url, ...body });
        expect(res.statusCode, `${route.method} ${url} → ${res.statusCode}`).toBe(401);
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it("gives organisation B nothing of organisation A's data and changes none of it, on any route", async () => {
    const before = await snapshot();
    const secrets = [...Object.values(ids), ...Object.values(codes), SECRET_NAME, SECRET_COMMENT];
    expect(
      secrets.filter((v) => v.length < 6 || v === 'missing'),
      'fixtures not found',
    ).toEqual([]);
    expect(routes().length).toBeGreaterThan(30);
    for (const route of routes()) {
      const key = `${route.method} ${route.url}`;
      const url = withIdsOfA(route.url);
      const body = isWrite(route.method) ? (BODIES[key]?.(ids, codes) ?? {}) : {};
      const res = await b.request({ method: route.method, url, ...body });
      const label = `${route.method} ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`;
      expect(res.statusCode, label).toBeLessThan(500);
      if (route.url.includes('/:')) {
        // A's record does not exist for B, whatever the (valid) body: 404, never 400 or 2xx.
        expect(res.statusCode, label).toBe(404);
      } else if (NAMES_A_IN_BODY.has(key)) {
        // A record of A named in the body is refused, never linked to B's data.
        expect([400, 404], label).toContain(res.statusCode);
      }
      for (const secret of secrets) expect(res.body, label).not.toContain(secret);
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
