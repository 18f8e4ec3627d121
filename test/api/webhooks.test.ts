import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postWebhook } from '../../src/modules/webhooks/webhook-sender.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const SECRET_KEY = 'a'.repeat(64);

/** A real HTTP receiver that answers from a script of status codes (then 200). */
type Received = { headers: IncomingHttpHeaders; body: string };
async function receiver(script: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = script.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
const headersOf = (r: Received) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});
const typeOf = (r: Received) => (JSON.parse(r.body) as { type: string }).type;

describeEachDialect('outgoing webhooks', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let other: Client;
  let surveyId: string;
  const receivers: Awaited<ReturnType<typeof receiver>>[] = [];
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      SECRET_KEY,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      PUBLIC_URL: 'https://nps.garage.test',
    });
    // The signature's timestamp follows the app's clock; the verifying library compares it with
    // the real clock (5 minutes' tolerance), so start a little in the past of real time.
    t.clock.now = Date.now() - 200_000;
    owner = await buildOrganisation(t, 'Garage De Vries');
    other = await buildOrganisation(t, 'Garage Anders');
    surveyId = (await buildSurvey(t.db.kysely, owner.organisationId)).id;
  });
  afterAll(async () => {
    await t.close();
    for (const r of receivers) await r.close();
  });

  async function endpoint(client: Client, url: string, events: string[], format = 'standard') {
    const res = await client.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url, events, format },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; secret: string }>();
  }
  async function detractorAnswers(score = 3) {
    const c = await buildContact(t.db.kysely, owner.organisationId);
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: owner.organisationId, surveyId, contactId: c.id },
      { planned_at: t.clock.now - 1000, expires_at: t.clock.now + 30 * 86_400_000 },
    );
    const res = await t.app.inject({ method: 'POST', url: `/r/${inv.token}`, payload: { score } });
    expect(res.statusCode).toBe(200);
  }

  it('delivers once to a receiver that fails twice, on the third attempt, signed; a healthy receiver at once', async () => {
    const flaky = await receiver([500, 503]);
    const healthy = await receiver();
    const otherOrg = await receiver();
    receivers.push(flaky, healthy, otherOrg);
    const a = await endpoint(owner, flaky.url, ['case.opened']);
    const b = await endpoint(owner, healthy.url, ['case.opened', 'response.created']);
    await endpoint(other, otherOrg.url, ['case.opened', 'response.created']);
    expect(a.secret).toMatch(/^whsec_/);

    await detractorAnswers();
    await drain();
    expect(healthy.received.map(typeOf).sort()).toEqual(['case.opened', 'response.created']);
    expect(flaky.received).toHaveLength(1);

    t.clock.now += 5_000; // first retry after 5 s
    await drain();
    expect(flaky.received).toHaveLength(2);
    t.clock.now += 300_000; // second retry after 5 min
    await drain();
    expect(flaky.received).toHaveLength(3);
    t.clock.now += 3_600_000;
    await drain();
    expect(flaky.received).toHaveLength(3); // delivered: never again

    // The same message id on every attempt; the receiver handles it once.
    expect(new Set(flaky.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const third = flaky.received[2] as Received;
    const verified = new Webhook(a.secret).verify(third.body, headersOf(third)) as {
      type: string;
      data: { score: number };
    };
    expect(verified).toMatchObject({ type: 'case.opened', data: { score: 3 } });
    // The healthy receiver was called once per event, before the flaky one's retries.
    expect(healthy.received).toHaveLength(2);
    for (const r of healthy.received)
      expect(() => new Webhook(b.secret).verify(r.body, headersOf(r))).not.toThrow();
    expect(() => new Webhook(b.secret).verify(third.body, headersOf(third))).toThrow();
    // Another organisation's endpoint receives nothing of this organisation's events.
    expect(otherOrg.received).toEqual([]);

    const log = await owner.request({ url: `/api/v1/webhook-endpoints/${a.id}/deliveries` });
    const [delivery] = log.json<{
      items: { status: string; attempts: number; log: { statusCode: number }[] }[];
    }>().items;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(delivery?.log.map((l) => l.statusCode)).toEqual([500, 503, 200]);
  });

  it('disables an endpoint that answers 410 Gone', async () => {
    const gone = await receiver([410]);
    receivers.push(gone);
    const ep = await endpoint(owner, gone.url, ['response.created']);
    await detractorAnswers(8);
    await drain();
    const res = await owner.request({ url: `/api/v1/webhook-endpoints/${ep.id}` });
    expect(res.json()).toMatchObject({
      enabled: false,
      disabledReason: 'gone',
      disabledReasonCode: 'gone',
    });
    await detractorAnswers(8);
    await drain();
    expect(gone.received).toHaveLength(1);
  });

  it('signs with both secrets during a rotation, sends a test event and replays a delivery', async () => {
    t.clock.now = Date.now() - 60_000;
    const r = await receiver();
    receivers.push(r);
    const ep = await endpoint(owner, r.url, ['response.created']);
    const rotated = await owner.request({
      method: 'POST',
      url: `/api/v1/webhook-endpoints/${ep.id}/rotate-secret`,
    });
    const newSecret = rotated.json<{ secret: string }>().secret;
    expect(newSecret).not.toBe(ep.secret);
    const test = await owner.request({
      method: 'POST',
      url: `/api/v1/webhook-endpoints/${ep.id}/test`,
    });
    expect(test.statusCode).toBe(202);
    await drain();
    const [first] = r.received;
    expect(typeOf(first as Received)).toBe('webhook.test');
    expect(String(first?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() =>
      new Webhook(newSecret).verify(first?.body ?? '', headersOf(first as Received)),
    ).not.toThrow();
    expect(() =>
      new Webhook(ep.secret).verify(first?.body ?? '', headersOf(first as Received)),
    ).not.toThrow();

    const deliveries = await owner.request({
      url: `/api/v1/webhook-endpoints/${ep.id}/deliveries`,
    });
    const id = deliveries.json<{ items: { id: string }[] }>().items[0]?.id;
    const replay = await owner.request({
      method: 'POST',
      url: `/api/v1/webhook-endpoints/${ep.id}/deliveries/${id}/replay`,
    });
    expect(replay.statusCode).toBe(202);
    await drain();
    expect(r.received).toHaveLength(2);
    expect(r.received[1]?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    // No secret in any listing.
    const list = await owner.request({ url: '/api/v1/webhook-endpoints' });
    expect(list.body).not.toContain('whsec_');
  });

  it('posts a Slack message and a Teams Adaptive Card for chat endpoints', async () => {
    const slack = await receiver();
    const teams = await receiver();
    receivers.push(slack, teams);
    await endpoint(owner, slack.url, ['case.opened'], 'slack');
    await endpoint(owner, teams.url, ['case.opened'], 'teams');
    await detractorAnswers(2);
    await drain();
    const s = JSON.parse(slack.received[0]?.body ?? '{}') as { text: string };
    expect(s.text).toContain('*Nieuwe zaak: score 2*');
    expect(s.text).toContain('|Zaak openen>');
    const card = JSON.parse(teams.received[0]?.body ?? '{}') as {
      type: string;
      attachments: { contentType: string; content: { type: string } }[];
    };
    expect(card.type).toBe('message');
    expect(card.attachments[0]).toMatchObject({
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: { type: 'AdaptiveCard' },
    });
  });

  it('lets only owners and admins manage endpoints, and refuses bad input clearly', async () => {
    const { buildMember } = await import('../support/harness.ts');
    const manager = await buildMember(t, owner.organisationId, 'manager');
    expect((await manager.request({ url: '/api/v1/webhook-endpoints' })).statusCode).toBe(403);
    const bad = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url: 'ftp://x.nl/', events: ['case.opened'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad.json<{ error: { fields: { field: string; message: string }[] } }>().error.fields[0],
    ).toMatchObject({
      field: 'url',
      message: 'Adres van de webhook moet met https:// of http:// beginnen',
    });
    const unknown = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url: 'https://example.nl/', events: ['case.exploded'] },
    });
    expect(unknown.statusCode).toBe(400);
    // WEBHOOK_ALLOW_PRIVATE is on here; a cloud's metadata service is refused all the same.
    const metadata = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url: 'http://[fd00:ec2::254]/latest/meta-data/', events: ['case.opened'] },
    });
    expect(metadata.statusCode).toBe(400);
    expect(
      metadata.json<{ error: { fields: { field: string; message: string }[] } }>().error.fields[0],
    ).toMatchObject({
      field: 'url',
      message:
        'Adres van de webhook wijst naar de metadatadienst van een cloudplatform; dat is nooit toegestaan',
    });
  });
  it('sends the referral programme’s events: joined, referral created and converted, reward issued and redeemed', async () => {
    const org = await buildOrganisation(t, 'Garage Ambassadeur');
    const hook = await receiver();
    receivers.push(hook);
    const types = [
      'ambassador.joined',
      'referral.created',
      'referral.converted',
      'reward.issued',
      'reward.redeemed',
    ];
    await endpoint(org, hook.url, types);
    const put = await org.request({
      method: 'PUT',
      url: '/api/v1/referral-programme',
      payload: { enabled: true, settings: { holdDays: 0 } },
    });
    expect(put.statusCode, put.body).toBe(200);
    const survey = await buildSurvey(t.db.kysely, org.organisationId);
    const jan = await buildContact(t.db.kysely, org.organisationId, {
      name: 'Jan Geheim',
      email: 'jan.geheim@example.nl',
    });
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: org.organisationId, surveyId: survey.id, contactId: jan.id },
      { planned_at: t.clock.now - 1000, expires_at: t.clock.now + 30 * 86_400_000 },
    );
    await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      payload: { score: 10, ambassadorOptIn: true },
    });
    const [ambassador] = (await org.request({ url: '/api/v1/ambassadors' })).json<{
      items: { id: string; code: string }[];
    }>().items;
    expect(ambassador).toBeDefined();
    const lead = await org.request({
      method: 'POST',
      url: '/api/v1/referrals',
      payload: {
        ambassadorCode: ambassador?.code,
        name: 'Karin Vertrouwelijk',
        email: 'karin.vertrouwelijk@example.nl',
        consentNote: 'Aan de balie gevraagd',
      },
    });
    expect(lead.statusCode, lead.body).toBe(201);
    const referralId = lead.json<{ id: string }>().id;
    const conv = await org.request({
      method: 'POST',
      url: `/api/v1/referrals/${referralId}/conversion`,
      payload: { amountCents: 8900 },
    });
    expect(conv.statusCode, conv.body).toBe(200);
    await drain();
    const reward = (await org.request({ url: '/api/v1/rewards' })).json<{
      items: { code: string; status: string }[];
    }>().items[0];
    expect(reward?.status).toBe('issued');
    const redeemed = await org.request({
      method: 'POST',
      url: '/api/v1/vouchers/redeem',
      payload: { code: reward?.code },
    });
    expect(redeemed.statusCode, redeemed.body).toBe(200);
    await drain();

    const bodies = hook.received.map(
      (r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> },
    );
    expect(bodies.map((b) => b.type).sort()).toEqual([...types].sort());
    const byType = new Map(bodies.map((b) => [b.type, b.data]));
    expect(byType.get('ambassador.joined')).toMatchObject({
      ambassadorId: ambassador?.id,
      contactId: jan.id,
      source: 'survey',
    });
    expect(byType.get('referral.created')).toMatchObject({ referralId, source: 'staff' });
    expect(byType.get('referral.converted')).toMatchObject({ referralId, amountCents: 8900 });
    expect(byType.get('reward.issued')).toMatchObject({ recipient: 'ambassador', kind: 'voucher' });
    expect(byType.get('reward.redeemed')).toMatchObject({ via: 'api' });
    // Facts and ids only: no names or addresses of the ambassador or the friend.
    for (const r of hook.received) {
      expect(r.body).not.toMatch(/Geheim|Vertrouwelijk|@example\.nl/);
    }
  });
});

describeEachDialect('webhooks refuse internal targets by default (SSRF)', (dialect) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect, { SECRET_KEY });
    owner = await buildOrganisation(t);
  });
  afterAll(async () => t.close());

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://10.0.0.5/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
  ])('refuses %s', async (url) => {
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url, events: ['case.opened'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { fields: { problem: string }[] } }>().error.fields[0]?.problem).toBe(
      'webhook_private_address',
    );
  });

  it('refuses a cloud metadata address as such', async () => {
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url: 'http://169.254.169.254/latest/meta-data/', events: ['case.opened'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { fields: { problem: string }[] } }>().error.fields[0]?.problem).toBe(
      'webhook_metadata_address',
    );
  });

  it('refuses at delivery time a name that resolves to a loopback address (DNS is checked too)', async () => {
    const r = await receiver();
    const port = new URL(r.url).port;
    const result = await postWebhook(`http://localhost:${port}/hook`, {}, '{}', {
      allowPrivate: false,
    });
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/^refused address (127\.0\.0\.1|::1)$/);
    expect(r.received).toEqual([]);
    const allowed = await postWebhook(`http://localhost:${port}/hook`, {}, '{}', {
      allowPrivate: true,
    });
    expect(allowed.status).toBe(200);
    expect(r.received).toHaveLength(1);
    await r.close();
  });

  it('gives up on a receiver that does not answer within the time limit, and never follows a redirect', async () => {
    const silent = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res));
    const port = (silent.address() as AddressInfo).port;
    const slow = await postWebhook(`http://127.0.0.1:${port}/`, {}, '{}', {
      allowPrivate: true,
      timeoutMs: 300,
    });
    expect(slow.status).toBeNull();
    expect(slow.error).toContain('no answer within');
    silent.closeAllConnections();
    await new Promise<void>((res) => silent.close(() => res()));
    const target = await receiver();
    const redirect = createServer((_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', target.url);
      res.end();
    });
    await new Promise<void>((res) => redirect.listen(0, '127.0.0.1', res));
    const rport = (redirect.address() as AddressInfo).port;
    const moved = await postWebhook(`http://127.0.0.1:${rport}/`, {}, '{}', { allowPrivate: true });
    expect(moved.status).toBe(302);
    expect(target.received).toEqual([]);
    await new Promise<void>((res) => redirect.close(() => res()));
    await target.close();
  });
});
