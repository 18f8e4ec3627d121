import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WEBHOOK_SOURCES } from '../../src/modules/webhooks/webhook-catalogue.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

async function receiver() {
  const received: { type: string; data: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push(JSON.parse(body) as { type: string; data: Record<string, unknown> });
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

describeEachDialect(
  'the webhook catalogue: every event sent, described and readable',
  (dialect) => {
    let t: TestApp;
    let owner: Client;
    const closers: (() => Promise<void>)[] = [];
    const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

    beforeAll(async () => {
      t = await startTestApp(dialect, {
        SECRET_KEY: 'd'.repeat(64),
        WEBHOOK_ALLOW_PRIVATE: 'true',
      });
      owner = await buildOrganisation(t, 'Garage Catalogus');
    });
    afterAll(async () => {
      await t.close();
      for (const c of closers) await c();
    });

    it('sends case.updated (change "note") when staff add a note, as the case events promise', async () => {
      const r = await receiver();
      closers.push(r.close);
      const ep = await owner.request({
        method: 'POST',
        url: '/api/v1/webhook-endpoints',
        payload: { url: r.url, events: ['case.opened', 'case.updated'] },
      });
      expect(ep.statusCode, ep.body).toBe(201);
      const survey = await buildSurvey(t.db.kysely, owner.organisationId);
      const c = await buildContact(t.db.kysely, owner.organisationId);
      const inv = await buildInvitation(
        t.db.kysely,
        { organisationId: owner.organisationId, surveyId: survey.id, contactId: c.id },
        { planned_at: t.clock.now - 1000, expires_at: t.clock.now + 30 * 86_400_000 },
      );
      await t.app.inject({ method: 'POST', url: `/r/${inv.token}`, payload: { score: 2 } });
      await drain();
      const opened = r.received.find((b) => b.type === 'case.opened');
      expect(opened).toBeDefined();
      const caseId = String(opened?.data.caseId);
      const note = await owner.request({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/notes`,
        payload: { note: 'Klant teruggebeld, afspraak gemaakt' },
      });
      expect(note.statusCode, note.body).toBe(200);
      await drain();
      expect(r.received.map((b) => [b.type, b.data.change ?? null])).toEqual([
        ['case.opened', null],
        ['case.updated', 'note'],
      ]);
      // Each body is what the OpenAPI document says it is.
      for (const b of r.received) {
        const declared = WEBHOOK_SOURCES.find((s) => s.types.includes(b.type))?.data;
        expect(declared?.safeParse(b.data).success, b.type).toBe(true);
      }
    });

    it('describes every webhook event of the catalogue in the OpenAPI document', async () => {
      const res = await t.app.inject({ url: '/api/v1/openapi.json' });
      const doc = res.json<{ webhooks?: Record<string, unknown> }>();
      expect(Object.keys(doc.webhooks ?? {}).sort()).toEqual(
        [
          'ambassador.joined',
          'case.opened',
          'case.resolved',
          'case.updated',
          'referral.converted',
          'referral.created',
          'response.created',
          'response.updated',
          'reward.issued',
          'reward.redeemed',
        ].sort(),
      );
    });

    it('a Slack message for a Dutch organisation shows category, status and priority in Dutch', async () => {
      const slack = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          texts.push((JSON.parse(body) as { text: string }).text);
          res.end('ok');
        });
      });
      const texts: string[] = [];
      await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
      closers.push(() => new Promise<void>((r) => slack.close(() => r())));
      const url = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/slack`;
      const org = await buildOrganisation(t, 'Garage Slack');
      const ep = await org.request({
        method: 'POST',
        url: '/api/v1/webhook-endpoints',
        payload: { url, events: ['case.opened'], format: 'slack' },
      });
      expect(ep.statusCode, ep.body).toBe(201);
      const survey = await buildSurvey(t.db.kysely, org.organisationId);
      const c = await buildContact(t.db.kysely, org.organisationId);
      const inv = await buildInvitation(
        t.db.kysely,
        { organisationId: org.organisationId, surveyId: survey.id, contactId: c.id },
        { planned_at: t.clock.now - 1000, expires_at: t.clock.now + 30 * 86_400_000 },
      );
      await t.app.inject({ method: 'POST', url: `/r/${inv.token}`, payload: { score: 2 } });
      await drain();
      expect(texts).toHaveLength(1);
      const text = texts[0] ?? '';
      expect(text).toContain('Nieuwe zaak: score 2');
      // The labels and the values in Dutch, not the API's English enums.
      expect(text).toMatch(/\nStatus: open\n/);
      expect(text).toMatch(/\nPrioriteit: (laag|normaal|hoog|dringend)\n/);
    });
  },
);
