import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const DAY = 86_400_000;

interface ContactJson {
  id: string;
  locationId: string | null;
}
interface ErrorJson {
  error: { code: string; fields: { field: string; problem: string; message: string }[] };
}

/**
 * A contact's location (vestiging, issue 10) over the contacts API: set, changed and cleared;
 * only one of the organisation's own locations that is not archived; and the location an
 * invitation's answer keeps.
 */
describeEachDialect('contacts: a customer of one location', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let other: Client;
  let leeuwarden: string;
  let sneek: string;
  let archived: string;
  let othersLocation: string;

  const addLocation = async (org: Client, name: string) => {
    const res = await org.request({ method: 'POST', url: '/api/v1/locations', payload: { name } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage Twee Vestigingen');
    other = await buildOrganisation(t, 'Garage Anders');
    leeuwarden = await addLocation(owner, 'Leeuwarden');
    sneek = await addLocation(owner, 'Sneek');
    archived = await addLocation(owner, 'Bolsward');
    await owner.request({
      method: 'PATCH',
      url: `/api/v1/locations/${archived}`,
      payload: { archived: true },
    });
    othersLocation = await addLocation(other, 'Leeuwarden');
  });
  afterAll(async () => t.close());

  it('creates a contact with a location, shows it, moves it and clears it', async () => {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Ingrid Jansen', email: 'ingrid@example.nl', locationId: leeuwarden },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<ContactJson>().id;
    expect(created.json<ContactJson>().locationId).toBe(leeuwarden);
    const read = await owner.request({ url: `/api/v1/contacts/${id}` });
    expect(read.json<ContactJson>().locationId).toBe(leeuwarden);

    const moved = await owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${id}`,
      payload: { locationId: sneek },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<ContactJson>().locationId).toBe(sneek);
    // A patch that says nothing about the location keeps it.
    const renamed = await owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${id}`,
      payload: { name: 'Ingrid de Jong' },
    });
    expect(renamed.json<ContactJson>().locationId).toBe(sneek);
    const cleared = await owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${id}`,
      payload: { locationId: null },
    });
    expect(cleared.json<ContactJson>().locationId).toBeNull();
  });

  it("refuses another organisation's location with an error naming the field", async () => {
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'piet@example.nl', locationId: othersLocation },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorJson>().error.fields).toEqual([
      {
        field: 'locationId',
        problem: 'unknown_location',
        message: 'Vestiging is niet bekend bij deze organisatie',
      },
    ]);
    const contact = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'zoe@example.nl' },
    });
    const patch = await owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${contact.json<ContactJson>().id}`,
      headers: { 'accept-language': 'en' },
      payload: { locationId: othersLocation },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json<ErrorJson>().error.fields).toMatchObject([
      { field: 'locationId', problem: 'unknown_location' },
    ]);
    const stored = await t.db.kysely
      .selectFrom('contacts')
      .select('location_id')
      .where('id', '=', contact.json<ContactJson>().id)
      .executeTakeFirstOrThrow();
    expect(stored.location_id).toBeNull();
  });

  it('refuses to give a contact an archived location, and a malformed id', async () => {
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'kees@example.nl', locationId: archived },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorJson>().error.fields).toMatchObject([
      { field: 'locationId', problem: 'archived_location' },
    ]);
    const bad = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { email: 'kees@example.nl', locationId: 'Leeuwarden' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorJson>().error.fields[0]?.field).toBe('locationId');
  });

  it("keeps the contact's location on the answer to an invitation", async () => {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Anna Bos', email: 'anna@example.nl', locationId: sneek },
    });
    const contactId = created.json<ContactJson>().id;
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: owner.organisationId, surveyId: survey.id, contactId },
      { planned_at: t.clock.now - DAY, expires_at: t.clock.now + 30 * DAY },
    );
    const answer = await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      payload: { score: 4 },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const stored = await t.db.kysely
      .selectFrom('responses')
      .select(['location_id', 'score'])
      .where('organisation_id', '=', owner.organisationId)
      .where('contact_id', '=', contactId)
      .execute();
    expect(stored).toEqual([{ location_id: sneek, score: 4 }]);
  });
});
