import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

type Received = { headers: IncomingHttpHeaders; body: string };
async function receiver() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
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

/** Verification written from README + standardwebhooks.com only, with node:crypto. */
function verify(secret: string, r: Received, nowSeconds: number): boolean {
  const id = String(r.headers['webhook-id']);
  const ts = Number(r.headers['webhook-timestamp']);
  if (Math.abs(nowSeconds - ts) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${r.body}`).digest();
  return String(r.headers['webhook-signature'])
    .split(' ')
    .some((part) => {
      const [v, sig] = part.split(',');
      if (v !== 'v1' || !sig) return false;
      const got = Buffer.from(sig, 'base64');
      return got.length === expected.length && timingSafeEqual(got, expected);
    });
}

describeEachDialect('webhook secret rotation, as the receiver sees it', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let surveyId: string;
  const closers: (() => Promise<void>)[] = [];
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    t = await startTestApp(dialect, { SECRET_KEY: 'c'.repeat(64), WEBHOOK_ALLOW_PRIVATE: 'true' });
    t.clock.now = Date.now();
    owner = await buildOrganisation(t, 'Garage Ontvanger');
    surveyId = (await buildSurvey(t.db.kysely, owner.organisationId)).id;
  });
  afterAll(async () => {
    await t.close();
    for (const c of closers) await c();
  });

  async function endpoint(url: string, events: string[]) {
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url, events },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; secret: string }>();
  }
  async function answer(score: number) {
    const c = await buildContact(t.db.kysely, owner.organisationId);
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: owner.organisationId, surveyId, contactId: c.id },
      { planned_at: t.clock.now - 1000, expires_at: t.clock.now + 30 * 86_400_000 },
    );
    const res = await t.app.inject({ method: 'POST', url: `/r/${inv.token}`, payload: { score } });
    expect(res.statusCode).toBe(200);
  }
  const rotate = async (id: string) => {
    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/webhook-endpoints/${id}/rotate-secret`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ secret: string; rotating: boolean }>();
  };

  it('rotating twice within the grace period keeps the secret the receiver still uses valid', async () => {
    const r = await receiver();
    closers.push(r.close);
    const ep = await endpoint(r.url, ['response.created']);
    // The admin rotates, loses the new secret before deploying it, and rotates again.
    await rotate(ep.id);
    const second = await rotate(ep.id);
    await answer(9);
    await drain();
    const got = r.received[0] as Received;
    expect(verify(second.secret, got, Math.floor(t.clock.now / 1000))).toBe(true);
    // README: "rotation keeps the old secret signing for 24 hours" — the receiver still has the
    // original secret, rotated away minutes ago.
    expect(verify(ep.secret, got, Math.floor(t.clock.now / 1000))).toBe(true);
  });

  it('after the 24-hour grace the endpoint no longer says it is rotating', async () => {
    const r = await receiver();
    closers.push(r.close);
    const ep = await endpoint(r.url, ['response.created']);
    const rotated = await rotate(ep.id);
    expect(rotated.rotating).toBe(true);
    t.clock.now += 25 * 3_600_000;
    await answer(9);
    await drain();
    const got = r.received[0] as Received;
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(1); // old one gone
    const res = await owner.request({ url: `/api/v1/webhook-endpoints/${ep.id}` });
    expect(res.json<{ rotating: boolean }>().rotating).toBe(false);
  });

  it('signs with the current secret and the four newest of the last 24 hours at most', async () => {
    const r = await receiver();
    closers.push(r.close);
    const ep = await endpoint(r.url, ['response.created']);
    const secrets = [ep.secret];
    for (let i = 0; i < 6; i++) secrets.push((await rotate(ep.id)).secret);
    await answer(9);
    await drain();
    const got = r.received[0] as Received;
    const now = Math.floor(t.clock.now / 1000);
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(5);
    // The newest five verify; the two oldest, rotated away from first, no longer do.
    expect(secrets.map((s) => verify(s, got, now))).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});
