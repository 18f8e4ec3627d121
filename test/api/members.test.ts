import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateMember } from '../../src/modules/users/users.service.ts';
import type { Role } from '../../src/db/schema.ts';
import { newId } from '../../src/shared/ids.ts';
import { describeEachDialect } from '../support/databases.ts';
import { heldOpen, untilWaitingOnLock } from '../support/lock-waits.ts';
import { buildEmployee } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  TEST_PASSWORD,
  type Client,
  type TestApp,
} from '../support/harness.ts';

/**
 * The team routes: a member's role changed or removed (PATCH/DELETE /api/v1/members/:id) and an
 * open invitation revoked. Authorisation edges first: nobody grants more than they have, only an
 * owner touches an owner, and the last owner stays. Each test works in an organisation of its own.
 */
describeEachDialect('members and invitations of colleagues', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  async function membershipOf(client: Client) {
    return t.db.kysely
      .selectFrom('memberships')
      .select(['id', 'role', 'employee_id'])
      .where('organisation_id', '=', client.organisationId)
      .where('user_id', '=', client.userId)
      .executeTakeFirst();
  }
  async function memberId(client: Client): Promise<string> {
    const row = await membershipOf(client);
    if (!row) throw new Error('no membership');
    return row.id;
  }
  const patch = (by: Client, id: string, payload: Record<string, unknown>) =>
    by.request({ method: 'PATCH', url: `/api/v1/members/${id}`, payload });
  const remove = (by: Client, id: string) =>
    by.request({ method: 'DELETE', url: `/api/v1/members/${id}` });

  it('lets no manager, account manager or viewer change or remove anyone', async () => {
    const owner = await buildOrganisation(t, 'Garage Rollen');
    const target = await buildMember(t, owner.organisationId, 'viewer');
    const id = await memberId(target);
    for (const role of ['manager', 'account_manager', 'viewer'] as const) {
      const member = await buildMember(t, owner.organisationId, role);
      expect((await patch(member, id, { role: 'admin' })).statusCode, role).toBe(403);
      expect((await patch(member, await memberId(member), { role: 'admin' })).statusCode).toBe(403);
      expect((await remove(member, id)).statusCode, role).toBe(403);
      expect((await member.request({ url: '/api/v1/members' })).statusCode, role).toBe(403);
    }
    expect(await membershipOf(target)).toMatchObject({ role: 'viewer' });
  });

  it('lets an admin make nobody an owner, not even themselves, and touch no owner', async () => {
    const owner = await buildOrganisation(t, 'Garage Admin');
    const admin = await buildMember(t, owner.organisationId, 'admin');
    const viewer = await buildMember(t, owner.organisationId, 'viewer');
    for (const target of [viewer, admin]) {
      const res = await patch(admin, await memberId(target), { role: 'owner' });
      expect(res.statusCode, res.body).toBe(403);
    }
    const ownerId = await memberId(owner);
    expect((await patch(admin, ownerId, { role: 'viewer' })).statusCode).toBe(403);
    expect((await patch(admin, ownerId, { employeeId: null })).statusCode).toBe(403);
    expect((await remove(admin, ownerId)).statusCode).toBe(403);
    expect(await membershipOf(viewer)).toMatchObject({ role: 'viewer' });
    expect(await membershipOf(admin)).toMatchObject({ role: 'admin' });
    expect(await membershipOf(owner)).toMatchObject({ role: 'owner' });
    // What an admin may do: any role below owner, and back.
    const promoted = await patch(admin, await memberId(viewer), { role: 'manager' });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json<{ role: Role }>().role).toBe('manager');
    expect(await membershipOf(viewer)).toMatchObject({ role: 'manager' });
  });

  it('keeps the last owner: not demoted, not removed; a second owner may then step down', async () => {
    const owner = await buildOrganisation(t, 'Garage Eigenaar');
    const ownerId = await memberId(owner);
    const demoted = await patch(owner, ownerId, { role: 'admin' });
    expect(demoted.statusCode).toBe(400);
    expect(
      demoted.json<{ error: { fields: { field: string }[] } }>().error.fields.map((f) => f.field),
    ).toEqual(['role']);
    expect((await remove(owner, ownerId)).statusCode).toBe(403);
    expect(await membershipOf(owner)).toMatchObject({ role: 'owner' });

    const partner = await buildMember(t, owner.organisationId, 'admin');
    const made = await patch(owner, await memberId(partner), { role: 'owner' });
    expect(made.statusCode, made.body).toBe(200);
    expect((await patch(owner, ownerId, { role: 'admin' })).statusCode).toBe(200);
    expect(await membershipOf(owner)).toMatchObject({ role: 'admin' });
    // Now the partner is the last owner.
    expect((await remove(partner, await memberId(partner))).statusCode).toBe(403);
  });

  it('ends the sessions of a removed member and logs who removed whom', async () => {
    const owner = await buildOrganisation(t, 'Garage Weg');
    const leaver = await buildMember(t, owner.organisationId, 'manager');
    const id = await memberId(leaver);
    expect((await leaver.request({ url: '/api/v1/contacts' })).statusCode).toBe(200);
    const res = await remove(owner, id);
    expect(res.statusCode, res.body).toBe(204);
    expect(await membershipOf(leaver)).toBeUndefined();
    expect((await leaver.request({ url: '/api/v1/contacts' })).statusCode).toBe(401);
    expect((await remove(owner, id)).statusCode).toBe(404);
    const audit = await owner.request({ url: '/api/v1/audit' });
    expect(audit.statusCode).toBe(200);
    expect(
      audit
        .json<{ items: { action: string; entityId: string; actorId: string }[] }>()
        .items.filter((e) => e.action === 'member.removed'),
    ).toEqual([expect.objectContaining({ entityId: id, actorId: owner.userId })]);
  });

  it('links a member only to an employee of the same organisation', async () => {
    const owner = await buildOrganisation(t, 'Garage Koppel');
    const other = await buildOrganisation(t, 'Garage Ander');
    const mine = await buildEmployee(t.db.kysely, owner.organisationId, { name: 'Sanne' });
    const theirs = await buildEmployee(t.db.kysely, other.organisationId, { name: 'Piet' });
    const am = await buildMember(t, owner.organisationId, 'account_manager');
    const id = await memberId(am);
    const foreign = await patch(owner, id, { employeeId: theirs.id });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<{ error: { fields: unknown[] } }>().error.fields).toEqual([
      expect.objectContaining({ field: 'employeeId', problem: 'unknown_employee' }),
    ]);
    expect(await membershipOf(am)).toMatchObject({ employee_id: null });
    const linked = await patch(owner, id, { employeeId: mine.id });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(await membershipOf(am)).toMatchObject({ employee_id: mine.id });
    // Another organisation's owner cannot reach this member at all.
    expect((await patch(other, id, { role: 'viewer' })).statusCode).toBe(404);
    expect((await remove(other, id)).statusCode).toBe(404);
    expect(await membershipOf(am)).toMatchObject({ role: 'account_manager' });
  });

  it('revokes an open invitation: the link stops working; only admins and owners revoke', async () => {
    const owner = await buildOrganisation(t, 'Garage Uitnodiging');
    const other = await buildOrganisation(t, 'Garage Elders');
    const manager = await buildMember(t, owner.organisationId, 'manager');
    const invited = await owner.request({
      method: 'POST',
      url: '/api/v1/invites',
      payload: { email: 'collega@garage.example', role: 'viewer' },
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const { id, acceptUrl } = invited.json<{ id: string; acceptUrl: string }>();
    const token = acceptUrl.split('/').pop() ?? '';
    const revoke = (by: Client) =>
      by.request({ method: 'POST', url: `/api/v1/invites/${id}/revoke` });

    expect((await revoke(manager)).statusCode).toBe(403);
    expect((await revoke(other)).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/v1/public/invites/${token}` })).statusCode).toBe(200);

    expect((await revoke(owner)).statusCode).toBe(204);
    const open = await owner.request({ url: '/api/v1/invites' });
    expect(open.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(id);
    const gone = await t.app.inject({ url: `/api/v1/public/invites/${token}` });
    expect(gone.statusCode).toBe(410);
    expect(gone.json<{ error: { code: string } }>().error.code).toBe('invite_invalid');
    const accept = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/invites/${token}/accept`,
      payload: { name: 'Collega', password: 'another horse battery' },
    });
    expect(accept.statusCode).toBe(410);
    const joined = await t.db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'collega@garage.example')
      .execute();
    expect(joined).toEqual([]);
    // Revoking again changes nothing: still revoked, and a wrong id is not found.
    expect((await revoke(owner)).statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/v1/public/invites/${token}` })).statusCode).toBe(410);
    const unknown = await owner.request({
      method: 'POST',
      url: `/api/v1/invites/${newId()}/revoke`,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('lets nobody in through an invitation whose maker was removed or demoted since', async () => {
    const owner = await buildOrganisation(t, 'Garage Oud Beheer');
    const invite = async (by: Client, email: string) => {
      const res = await by.request({
        method: 'POST',
        url: '/api/v1/invites',
        payload: { email, role: 'admin' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ acceptUrl: string }>().acceptUrl.split('/').pop() ?? '';
    };
    const accept = (token: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/public/invites/${token}/accept`,
        payload: { name: 'Terug', password: 'another horse battery' },
      });
    // An admin invites a second address of their own, and is removed: the link is dead.
    const leaving = await buildMember(t, owner.organisationId, 'admin');
    const removedToken = await invite(leaving, `weer-binnen-${dialect}@example.nl`);
    expect((await remove(owner, await memberId(leaving))).statusCode).toBe(204);
    const described = await t.app.inject({ url: `/api/v1/public/invites/${removedToken}` });
    expect(described.statusCode).toBe(410);
    expect((await accept(removedToken)).statusCode).toBe(410);
    // An admin made viewer can no longer grant admin: neither can their invitation.
    const demoted = await buildMember(t, owner.organisationId, 'admin');
    const demotedToken = await invite(demoted, `ook-weer-${dialect}@example.nl`);
    expect((await patch(owner, await memberId(demoted), { role: 'viewer' })).statusCode).toBe(200);
    expect((await accept(demotedToken)).statusCode).toBe(410);
    // Nor does the team screen list them as open.
    const open = await owner.request({ url: '/api/v1/invites' });
    expect(open.json<{ items: { email: string }[] }>().items.map((i) => i.email)).toEqual([]);
    // The owner's own invitation still works.
    const ownToken = await invite(owner, `welkom-${dialect}@example.nl`);
    expect((await accept(ownToken)).statusCode).toBe(201);
  });
});

const PG_URL = process.env.TEST_DATABASE_URL;

/**
 * Two owners demoting each other at the same moment (PostgreSQL runs the two side by side; SQLite
 * one after the other): each would count two owners and leave none. The second waits for the
 * first's lock on the owners and then finds itself the last owner's opposite — refused.
 */
describe.skipIf(!PG_URL)('two owners demoting each other at once [postgres]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('postgres');
  });
  afterAll(async () => t.close());

  it('leaves the organisation one owner', async () => {
    const a = await buildOrganisation(t, 'Garage Twee Eigenaren');
    const b = await buildMember(t, a.organisationId, 'owner');
    const memberOf = async (c: Client) =>
      (
        await t.db.kysely
          .selectFrom('memberships')
          .select('id')
          .where('organisation_id', '=', c.organisationId)
          .where('user_id', '=', c.userId)
          .executeTakeFirstOrThrow()
      ).id;
    const [memberA, memberB] = [await memberOf(a), await memberOf(b)];
    const actorA = {
      kind: 'user' as const,
      id: a.userId,
      organisationId: a.organisationId,
      role: 'owner' as const,
      employeeId: null,
      locale: 'nl' as const,
    };
    // A makes B viewer; the transaction is held open ...
    const first = await heldOpen(t.db.kysely, async (trx) => {
      await updateMember(trx, actorA, memberB, { role: 'viewer' }, t.clock.now);
    });
    try {
      // ... while B makes A viewer.
      const second = b.request({
        method: 'PATCH',
        url: `/api/v1/members/${memberA}`,
        payload: { role: 'viewer' },
      });
      await untilWaitingOnLock(t.db.kysely, '%from "memberships"%', 'the second demotion');
      first.commit();
      await first.done;
      const res = await second;
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    } finally {
      first.commit();
    }
    const owners = await t.db.kysely
      .selectFrom('memberships')
      .select('id')
      .where('organisation_id', '=', a.organisationId)
      .where('role', '=', 'owner')
      .execute();
    expect(owners.map((o) => o.id)).toEqual([memberA]);
  });
});

/**
 * The login limit per account (and address) is not to be sidestepped: accepting an invitation as
 * an existing user checks their password, and those checks count with the account's logins.
 */
describeEachDialect('guessing a password through an invitation', (dialect) => {
  let t: TestApp;
  // The guesser's address: its own, so other tests' logins do not count with it.
  const GUESSER = '203.0.113.7';
  beforeAll(async () => {
    t = await startTestApp(dialect, { LOGIN_RATE_LIMIT: '5' });
  });
  afterAll(async () => t.close());

  it('counts a password tried on an invitation with the logins of that account', async () => {
    const victim = await buildOrganisation(t, 'Slachtoffer BV');
    const attacker = await buildOrganisation(t, 'Aanvaller BV');
    const attempt = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: GUESSER,
        payload: { email: victim.email, password },
      });
    // Login stops the guessing at the account's limit (here 5 in five minutes) ...
    let logins = 0;
    while (logins < 200 && (await attempt(`fout-${logins}-wachtwoord`)).statusCode !== 429)
      logins++;
    expect(logins).toBe(5);
    // ... and an invitation of the victim's address elsewhere is no way around it.
    const invited = await attacker.request({
      method: 'POST',
      url: '/api/v1/invites',
      payload: { email: victim.email, role: 'viewer' },
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const token = invited.json<{ acceptUrl: string }>().acceptUrl.split('/').pop() ?? '';
    const accept = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/invites/${token}/accept`,
      remoteAddress: GUESSER,
      payload: { name: 'x', password: TEST_PASSWORD },
    });
    expect(accept.statusCode, accept.body).toBe(429);
  });
});
