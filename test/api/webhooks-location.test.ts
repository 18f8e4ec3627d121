import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const DAY = 86_400_000;

interface Body {
  type: string;
  data: { responseId: string; contactId: string | null; locationId: string | null };
}

/**
 * `response.saved` carries the answer's location (issue 10), and so do the `response.created` and
 * `response.updated` webhooks; the OpenAPI document describes their bodies under `webhooks`.
 */
describeEachDialect('webhooks: the location of an answer', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let server: Server;
  let url = '';
  const received: Body[] = [];
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(JSON.parse(body) as Body);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    t = await startTestApp(dialect, { SECRET_KEY: 'c'.repeat(64), WEBHOOK_ALLOW_PRIVATE: 'true' });
    owner = await buildOrganisation(t, 'Garage Drie Vestigingen');
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url, events: ['response.created', 'response.updated'] },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const addLocation = async (name: string) =>
    (await owner.request({ method: 'POST', url: '/api/v1/locations', payload: { name } })).json<{
      id: string;
    }>().id;

  it("sends the location an answer keeps: the contact's, or the one the anonymous link names", async () => {
    const sneek = await addLocation('Sneek');
    const leeuwarden = await addLocation('Leeuwarden');
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const contact = await buildContact(t.db.kysely, owner.organisationId, { location_id: sneek });
    const plain = await buildContact(t.db.kysely, owner.organisationId);
    for (const c of [contact, plain]) {
      const inv = await buildInvitation(
        t.db.kysely,
        { organisationId: owner.organisationId, surveyId: survey.id, contactId: c.id },
        { planned_at: t.clock.now - DAY, expires_at: t.clock.now + 30 * DAY },
      );
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${inv.token}`,
        payload: { score: 9 },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const walkIn = await t.app.inject({
      method: 'POST',
      url: `/s/${survey.anonymous_token}?v=${leeuwarden}`,
      headers: FORM,
      payload: 'score=7',
    });
    expect(walkIn.statusCode, walkIn.body).toBe(303);
    await drain();

    const byContact = new Map(received.map((b) => [b.data.contactId, b]));
    expect(byContact.get(contact.id)).toMatchObject({
      type: 'response.created',
      data: { locationId: sneek },
    });
    expect(byContact.get(plain.id)?.data.locationId).toBeNull();
    expect(byContact.get(null)?.data.locationId).toBe(leeuwarden);
  });

  it('describes the response webhooks, location included, in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json<{
      webhooks: Record<
        string,
        {
          post: {
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    properties: {
                      data: { properties: Record<string, unknown>; required: string[] };
                    };
                  };
                };
              };
            };
          };
        }
      >;
    }>();
    for (const type of ['response.created', 'response.updated']) {
      const data =
        doc.webhooks[type]?.post.requestBody.content['application/json'].schema.properties.data;
      expect(data?.required).toContain('locationId');
      expect(data?.properties.locationId).toEqual({ type: ['string', 'null'] });
    }
  });
});
