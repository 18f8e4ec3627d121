import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildEmployee } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

interface LocationJson {
  id: string;
  name: string;
  archived: boolean;
}

/**
 * Locations (vestigingen, issue 10) over the API: a name unique per organisation (case and accents
 * ignored), renamed and archived rather than deleted, written by owners, admins and managers and
 * read by every role.
 */
describeEachDialect('locations: list, add, rename, archive', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  const add = (c: Client, name: string) =>
    c.request({ method: 'POST', url: '/api/v1/locations', payload: { name } });
  const names = async (c: Client, archived = false) =>
    (await c.request({ url: `/api/v1/locations${archived ? '?archived=true' : ''}` }))
      .json<{ items: LocationJson[] }>()
      .items.map((l) => `${l.name}${l.archived ? ' (archief)' : ''}`);

  it('adds locations in name order and refuses a second one with the same name', async () => {
    const owner = await buildOrganisation(t, 'Garage Vestigingen');
    const sneek = await add(owner, 'Sneek');
    expect(sneek.statusCode, sneek.body).toBe(201);
    expect(sneek.json<LocationJson>()).toMatchObject({ name: 'Sneek', archived: false });
    expect((await add(owner, '  Leeuwarden ')).statusCode).toBe(201);
    expect(await names(owner)).toEqual(['Leeuwarden', 'Sneek']);

    // "SNEEK" and "Snéek" are the same location: a 409 naming the field and the problem.
    const twice = await add(owner, 'SNÉEK');
    expect(twice.statusCode).toBe(409);
    const error = twice.json<{ error: { fields: Array<{ field: string; problem: string }> } }>()
      .error;
    expect(error.fields).toEqual([expect.objectContaining({ field: 'name', problem: 'taken' })]);
    const empty = await add(owner, '   ');
    expect(empty.statusCode).toBe(400);
  });

  it('renames and archives a location, keeps it, and restores it', async () => {
    const owner = await buildOrganisation(t, 'Installateur Vestigingen');
    const id = (await add(owner, 'Drachten')).json<LocationJson>().id;
    await add(owner, 'Heerenveen');
    const renamed = await owner.request({
      method: 'PATCH',
      url: `/api/v1/locations/${id}`,
      payload: { name: 'Drachten-Zuid' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json<LocationJson>().name).toBe('Drachten-Zuid');
    const clash = await owner.request({
      method: 'PATCH',
      url: `/api/v1/locations/${id}`,
      payload: { name: 'heerenveen' },
    });
    expect(clash.statusCode).toBe(409);

    const archived = await owner.request({
      method: 'PATCH',
      url: `/api/v1/locations/${id}`,
      payload: { archived: true },
    });
    expect(archived.json<LocationJson>().archived).toBe(true);
    expect(await names(owner)).toEqual(['Heerenveen']);
    expect(await names(owner, true)).toEqual(['Drachten-Zuid (archief)', 'Heerenveen']);
    // An archived location still holds its name: a new one cannot take it.
    expect((await add(owner, 'Drachten-Zuid')).statusCode).toBe(409);
    const restored = await owner.request({
      method: 'PATCH',
      url: `/api/v1/locations/${id}`,
      payload: { archived: false },
    });
    expect(restored.json<LocationJson>().archived).toBe(false);
    expect(await names(owner)).toEqual(['Drachten-Zuid', 'Heerenveen']);
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('organisation_id', '=', owner.organisationId)
      .where('entity_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'location.archived',
      'location.created',
      'location.restored',
      'location.updated',
    ]);
  });

  it('lets a manager write, and every other role only read', async () => {
    const owner = await buildOrganisation(t, 'Accountants Vestigingen');
    const org = owner.organisationId;
    await add(owner, 'Groningen');
    const manager = await buildMember(t, org, 'manager');
    expect((await add(manager, 'Assen')).statusCode).toBe(201);
    const sanne = await buildEmployee(t.db.kysely, org, { name: 'Sanne' });
    for (const role of ['viewer', 'account_manager'] as const) {
      const member = await buildMember(t, org, role, role === 'account_manager' ? sanne.id : null);
      expect(await names(member)).toEqual(['Assen', 'Groningen']);
      expect((await add(member, `Zwolle ${role}`)).statusCode).toBe(403);
    }
    const anonymous = await t.app.inject({ url: '/api/v1/locations' });
    expect(anonymous.statusCode).toBe(401);
  });
});
