import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildAccount, buildContact, buildEmployee } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  actorId: string;
  at: string;
}

/**
 * Routes that change one record after it exists: PATCH employees/:id, PATCH accounts/:id,
 * POST contacts/:id/resubscribe, and the audit log they write to (GET /api/v1/audit).
 * Authorisation edges first. Each test works in an organisation of its own.
 */
describeEachDialect('changing employees, accounts and consent, and the audit log', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  async function auditOf(client: Client): Promise<AuditEntry[]> {
    const res = await client.request({ url: '/api/v1/audit?limit=200' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Page<AuditEntry>>().items;
  }

  it('PATCH employees/:id: managers and up; another organisation’s employee is not found', async () => {
    const owner = await buildOrganisation(t, 'Garage Personeel');
    const other = await buildOrganisation(t, 'Garage Ander Personeel');
    const sanne = await buildEmployee(t.db.kysely, owner.organisationId, {
      name: 'Sanne Visser',
      email: 'sanne@garage.example',
      team: 'Werkplaats',
    });
    const url = `/api/v1/employees/${sanne.id}`;
    for (const role of ['viewer', 'account_manager'] as const) {
      const member = await buildMember(t, owner.organisationId, role);
      const res = await member.request({ method: 'PATCH', url, payload: { team: 'Verkoop' } });
      expect(res.statusCode, role).toBe(403);
    }
    expect(
      (await other.request({ method: 'PATCH', url, payload: { team: 'Verkoop' } })).statusCode,
    ).toBe(404);
    const bad = await owner.request({ method: 'PATCH', url, payload: { email: 'geen-adres' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { fields: { field: string }[] } }>().error.fields[0]?.field).toBe(
      'email',
    );
    const unchanged = await t.db.kysely
      .selectFrom('employees')
      .select(['name', 'email', 'team'])
      .where('id', '=', sanne.id)
      .executeTakeFirstOrThrow();
    expect(unchanged).toEqual({
      name: 'Sanne Visser',
      email: 'sanne@garage.example',
      team: 'Werkplaats',
    });

    const manager = await buildMember(t, owner.organisationId, 'manager');
    const res = await manager.request({
      method: 'PATCH',
      url,
      payload: { name: 'Sanne Bakker', team: null },
    });
    expect(res.statusCode, res.body).toBe(200);
    // Only what was sent changes; the email stays.
    expect(res.json()).toMatchObject({
      id: sanne.id,
      name: 'Sanne Bakker',
      email: 'sanne@garage.example',
      team: null,
    });
    // The new name is searchable, the old one no longer.
    const found = async (q: string) =>
      (await owner.request({ url: `/api/v1/employees?q=${encodeURIComponent(q)}` }))
        .json<Page<{ id: string }>>()
        .items.map((e) => e.id);
    expect(await found('bakker')).toEqual([sanne.id]);
    expect(await found('visser')).toEqual([]);
    expect((await auditOf(owner)).filter((e) => e.action === 'employee.updated')).toEqual([
      expect.objectContaining({ entityId: sanne.id, actorId: manager.userId }),
    ]);
  });

  it('PATCH accounts/:id: managers and up; an owner of another organisation is refused; a taken customer number is a conflict', async () => {
    const owner = await buildOrganisation(t, 'Garage Bedrijven');
    const other = await buildOrganisation(t, 'Garage Ander Bedrijf');
    const db = t.db.kysely;
    const piet = await buildEmployee(db, owner.organisationId, { name: 'Piet' });
    const theirs = await buildEmployee(db, other.organisationId, { name: 'Vreemd' });
    const account = await buildAccount(db, owner.organisationId, {
      name: 'Bakkerij Bakker',
      external_id: 'K-1',
    });
    await buildAccount(db, owner.organisationId, { name: 'Slagerij', external_id: 'K-2' });
    const url = `/api/v1/accounts/${account.id}`;
    const row = () =>
      db
        .selectFrom('accounts')
        .select(['name', 'external_id', 'segment', 'owner_employee_id'])
        .where('id', '=', account.id)
        .executeTakeFirstOrThrow();
    const before = await row();

    for (const role of ['viewer', 'account_manager'] as const) {
      const member = await buildMember(t, owner.organisationId, role, piet.id);
      const res = await member.request({ method: 'PATCH', url, payload: { segment: 'B2B' } });
      expect(res.statusCode, role).toBe(403);
    }
    expect(
      (await other.request({ method: 'PATCH', url, payload: { segment: 'B2B' } })).statusCode,
    ).toBe(404);
    const foreign = await owner.request({
      method: 'PATCH',
      url,
      payload: { ownerEmployeeId: theirs.id },
    });
    expect(foreign.statusCode).toBe(400);
    expect(
      foreign.json<{ error: { fields: { field: string }[] } }>().error.fields.map((f) => f.field),
    ).toEqual(['ownerEmployeeId']);
    const taken = await owner.request({ method: 'PATCH', url, payload: { externalId: 'K-2' } });
    expect(taken.statusCode, taken.body).toBe(409);
    expect(await row()).toEqual(before);

    const manager = await buildMember(t, owner.organisationId, 'manager');
    const res = await manager.request({
      method: 'PATCH',
      url,
      payload: { segment: 'B2B', ownerEmployeeId: piet.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await row()).toEqual({
      name: 'Bakkerij Bakker',
      external_id: 'K-1',
      segment: 'B2B',
      owner_employee_id: piet.id,
    });
    expect((await auditOf(owner)).filter((e) => e.action === 'account.updated')).toEqual([
      expect.objectContaining({ entityId: account.id, actorId: manager.userId }),
    ]);
  });

  it('resubscribes an unsubscribed contact once, recorded as a consent event; nobody else’s contact', async () => {
    const owner = await buildOrganisation(t, 'Garage Toestemming');
    const other = await buildOrganisation(t, 'Garage Ander Toestemming');
    const db = t.db.kysely;
    const sanne = await buildEmployee(db, owner.organisationId, { name: 'Sanne' });
    const piet = await buildEmployee(db, owner.organisationId, { name: 'Piet' });
    const contact = await buildContact(db, owner.organisationId, {
      email: 'klant@example.nl',
      owner_employee_id: sanne.id,
    });
    const unsubscribed = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${contact.id}/unsubscribe`,
    });
    expect(unsubscribed.statusCode, unsubscribed.body).toBeLessThan(300);
    const url = `/api/v1/contacts/${contact.id}/resubscribe`;
    const statusOf = async () =>
      (await owner.request({ url: `/api/v1/contacts/${contact.id}` })).json<{ status: string }>()
        .status;
    expect(await statusOf()).toBe('unsubscribed');

    const viewer = await buildMember(t, owner.organisationId, 'viewer');
    expect((await viewer.request({ method: 'POST', url })).statusCode).toBe(403);
    // An account manager reaches only their own employee's customers.
    const pietsAm = await buildMember(t, owner.organisationId, 'account_manager', piet.id);
    expect((await pietsAm.request({ method: 'POST', url })).statusCode).toBe(404);
    expect((await other.request({ method: 'POST', url })).statusCode).toBe(404);
    expect(await statusOf()).toBe('unsubscribed');

    const sannesAm = await buildMember(t, owner.organisationId, 'account_manager', sanne.id);
    const res = await sannesAm.request({ method: 'POST', url });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'active', unsubscribedAt: null });
    // Again: nothing more to undo, and nothing more recorded.
    expect((await owner.request({ method: 'POST', url })).statusCode).toBe(200);
    const history = await owner.request({ url: `/api/v1/contacts/${contact.id}/consent` });
    expect(history.json<{ items: { kind: string }[] }>().items.map((e) => e.kind)).toEqual([
      'unsubscribed',
      'resubscribed',
    ]);
    expect((await auditOf(owner)).filter((e) => e.action === 'contact.resubscribed')).toEqual([
      expect.objectContaining({ entityId: contact.id, actorId: sannesAm.userId }),
    ]);

    // An erased contact cannot be brought back.
    const erased = await buildContact(db, owner.organisationId, { email: 'weg@example.nl' });
    await owner.request({ method: 'POST', url: `/api/v1/contacts/${erased.id}/unsubscribe` });
    expect(
      (await owner.request({ method: 'POST', url: `/api/v1/contacts/${erased.id}/erase` }))
        .statusCode,
    ).toBeLessThan(300);
    const back = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${erased.id}/resubscribe`,
    });
    expect(back.statusCode).toBe(404);
  });

  it('GET /audit: owners and admins only, their own organisation’s entries, newest first, in pages', async () => {
    const owner = await buildOrganisation(t, 'Garage Logboek');
    const other = await buildOrganisation(t, 'Garage Ander Logboek');
    for (const role of ['manager', 'account_manager', 'viewer'] as const) {
      const member = await buildMember(t, owner.organisationId, role);
      expect((await member.request({ url: '/api/v1/audit' })).statusCode, role).toBe(403);
    }
    const admin = await buildMember(t, owner.organisationId, 'admin');
    const employees: string[] = [];
    const saved = t.clock.now;
    try {
      for (const name of ['Eerste', 'Tweede', 'Derde']) {
        t.clock.now += 60_000;
        const res = await owner.request({
          method: 'POST',
          url: '/api/v1/employees',
          payload: { name },
        });
        employees.push(res.json<{ id: string }>().id);
      }
      t.clock.now += 60_000;
      await other.request({
        method: 'POST',
        url: '/api/v1/employees',
        payload: { name: 'Elders' },
      });
    } finally {
      t.clock.now = saved;
    }
    const created = (await auditOf(admin)).filter((e) => e.action === 'employee.created');
    expect(created.map((e) => e.entityId)).toEqual([...employees].reverse());
    expect(created.every((e) => e.actorId === owner.userId)).toBe(true);
    expect((await auditOf(other)).map((e) => e.entityId)).not.toEqual(
      expect.arrayContaining([employees[0]]),
    );

    // Pages of one entry walk the same list without gaps or repeats.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: Page<AuditEntry> = (
        await admin.request({ url: `/api/v1/audit?limit=1${query}` })
      ).json<Page<AuditEntry>>();
      expect(page.items.length).toBeLessThanOrEqual(1);
      walked.push(
        ...page.items.filter((e) => e.action === 'employee.created').map((e) => e.entityId),
      );
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual([...employees].reverse());
  });
});
