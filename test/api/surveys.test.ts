import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

interface SurveyBody {
  id: string;
  name: string;
  status: string;
  anonymousToken: string;
  settings: { texts: { nl: Record<string, string>; en: Record<string, string> } } & Record<
    string,
    unknown
  >;
  texts: { nl: Record<string, string>; en: Record<string, string> };
}

describeEachDialect('surveys API', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let other: Client;
  let viewer: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
    other = await buildOrganisation(t, 'Installatiebedrijf Jansen');
    viewer = await buildMember(t, owner.organisationId, 'viewer');
  });
  afterAll(async () => t.close());

  const create = (client: Client, payload: Record<string, unknown>) =>
    client.request({ method: 'POST', url: '/api/v1/surveys', payload });

  describe('creating', () => {
    it('creates a draft with Dutch and English defaults and an anonymous token', async () => {
      const res = await create(owner, { name: 'Klanttevredenheid 2027' });
      expect(res.statusCode).toBe(201);
      const body = res.json<SurveyBody>();
      expect(body.status).toBe('draft');
      expect(body.anonymousToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(body.texts.nl.question).toContain('{organisation}');
      expect(body.texts.en.question).toMatch(/^How likely/);
      expect(body.settings).toMatchObject({ askContactOptIn: true, askAmbassadorOptIn: true });
    });

    it('rejects an empty name, an unknown field and a bad colour, naming each field', async () => {
      const res = await create(owner, {
        name: '',
        colour: 'red',
        settings: { brandColor: 'green' },
      });
      expect(res.statusCode).toBe(400);
      const fields = res
        .json<{ error: { code: string; fields: { field: string; problem: string }[] } }>()
        .error.fields.map((f) => `${f.field}:${f.problem}`);
      expect(fields).toEqual(
        expect.arrayContaining([
          'name:required',
          'colour:unknown_field',
          'settings.brandColor:invalid_format',
        ]),
      );
    });

    it('makes one survey when the same form is sent twice (Idempotency-Key)', async () => {
      const key = `form-${Date.now()}-${Math.random()}`;
      const send = () =>
        owner.request({
          method: 'POST',
          url: '/api/v1/surveys',
          headers: { 'idempotency-key': key },
          payload: { name: 'Dubbel geklikt' },
        });
      const [a, b] = await Promise.all([send(), send()]);
      // The second gets the first one's answer again: the same status, the same survey.
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(a.json<SurveyBody>().id).toBe(b.json<SurveyBody>().id);
      const again = await send();
      expect(again.statusCode).toBe(201);
      expect(again.json<SurveyBody>().id).toBe(a.json<SurveyBody>().id);
      const list = await owner.request({ url: '/api/v1/surveys?limit=200' });
      expect(
        list.json<{ items: SurveyBody[] }>().items.filter((s) => s.name === 'Dubbel geklikt'),
      ).toHaveLength(1);
      // The key is the organisation's own: another organisation with the same key gets its own.
      const elsewhere = await buildOrganisation(t, 'Schildersbedrijf Mulder');
      const theirs = await elsewhere.request({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { 'idempotency-key': key },
        payload: { name: 'Dubbel geklikt' },
      });
      expect(theirs.statusCode).toBe(201);
      expect(theirs.json<SurveyBody>().id).not.toBe(a.json<SurveyBody>().id);
      const bad = await owner.request({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { 'idempotency-key': 'kort' },
        payload: { name: 'x' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ error: { fields: { field: string }[] } }>().error.fields[0]?.field).toBe(
        'idempotency-key',
      );
    });

    it('forbids a viewer to create a survey', async () => {
      expect((await create(viewer, { name: 'X' })).statusCode).toBe(403);
    });
  });

  describe('reading and updating', () => {
    let survey: SurveyBody;
    beforeAll(async () => {
      survey = (await create(owner, { name: 'Jaarlijkse NPS', status: 'active' })).json();
    });

    it('lists surveys newest first and filters on status', async () => {
      // An organisation of its own: three active surveys and a draft, a minute apart.
      const org = await buildOrganisation(t, 'Lijst BV');
      const made: SurveyBody[] = [];
      for (const status of ['active', 'draft', 'active', 'active']) {
        t.clock.now += 60_000;
        made.push((await create(org, { name: `NPS ${made.length}`, status })).json<SurveyBody>());
      }
      const list = async (query: string) =>
        (await org.request({ method: 'GET', url: `/api/v1/surveys${query}` }))
          .json<{ items: SurveyBody[] }>()
          .items.map((s) => s.id);
      const newestFirst = made.map((s) => s.id).reverse();
      expect(await list('')).toEqual(newestFirst);
      expect(await list('?status=active')).toEqual(newestFirst.filter((id) => id !== made[1]?.id));
    });

    it('lets a viewer read but not change', async () => {
      const get = await viewer.request({ method: 'GET', url: `/api/v1/surveys/${survey.id}` });
      expect(get.statusCode).toBe(200);
      const patch = await viewer.request({
        method: 'PATCH',
        url: `/api/v1/surveys/${survey.id}`,
        payload: { name: 'Y' },
      });
      expect(patch.statusCode).toBe(403);
    });

    it('overrides one text, keeps the others, and returns to the default on null', async () => {
      const patched = await owner.request({
        method: 'PATCH',
        url: `/api/v1/surveys/${survey.id}`,
        payload: {
          settings: { texts: { nl: { question: 'Zou je ons aanraden?' } }, askEmployee: true },
        },
      });
      expect(patched.statusCode).toBe(200);
      const body = patched.json<SurveyBody>();
      expect(body.texts.nl.question).toBe('Zou je ons aanraden?');
      expect(body.settings.texts.nl).toEqual({ question: 'Zou je ons aanraden?' });
      expect(body.texts.en.question).toMatch(/^How likely/);
      expect(body.settings.askEmployee).toBe(true);

      const reset = await owner.request({
        method: 'PATCH',
        url: `/api/v1/surveys/${survey.id}`,
        payload: { status: 'archived', settings: { texts: { nl: { question: null } } } },
      });
      const after = reset.json<SurveyBody>();
      expect(after.status).toBe('archived');
      expect(after.settings.texts.nl).toEqual({});
      expect(after.settings.askEmployee).toBe(true);
      const again = await owner.request({ method: 'GET', url: `/api/v1/surveys/${survey.id}` });
      expect(again.json<SurveyBody>().texts.nl.question).toContain('aanbeveelt');
    });

    it('rejects an unknown status', async () => {
      const res = await owner.request({
        method: 'PATCH',
        url: `/api/v1/surveys/${survey.id}`,
        payload: { status: 'sent' },
      });
      expect(res.statusCode).toBe(400);
    });

    it('hides a survey from another organisation (404 on read and update)', async () => {
      const get = await other.request({ method: 'GET', url: `/api/v1/surveys/${survey.id}` });
      expect(get.statusCode).toBe(404);
      const patch = await other.request({
        method: 'PATCH',
        url: `/api/v1/surveys/${survey.id}`,
        payload: { name: 'Overgenomen' },
      });
      expect(patch.statusCode).toBe(404);
      const list = await other.request({ method: 'GET', url: '/api/v1/surveys' });
      expect(list.json<{ items: SurveyBody[] }>().items).toEqual([]);
    });
  });
});
