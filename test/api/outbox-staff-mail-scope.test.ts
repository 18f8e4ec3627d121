import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { newId } from '../../src/shared/ids.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildEmployee } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  digestByRoleDefault,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

const at = (local: string) => Date.parse(local);

/**
 * A manager whose employee record is in team Zuid sees only Zuid's celebrate and attention notes
 * (per-employee NPS, works-council sensitive). The owner's weekly digest lists every note of the
 * organisation; the outbox (`surveys:send`, which managers have) must not hand it to the manager.
 */
describeEachDialect('staff mail in the outbox: for its recipient, owners and admins', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let zuidManager: Client;
  let org: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, { PUBLIC_URL: 'https://nps.garage.test' });
    t.clock.now = at('2026-11-29T12:00+01:00');
    owner = await buildOrganisation(t, 'Installateur Noord en Zuid');
    org = owner.organisationId;
    const sanne = await buildEmployee(t.db.kysely, org, { name: 'Sanne de Boer', team: 'Noord' });
    const ank = await buildEmployee(t.db.kysely, org, { name: 'Ank de Wit', team: 'Zuid' });
    zuidManager = await buildMember(t, org, 'manager', ank.id);
    await digestByRoleDefault(t, org);
    await t.db.kysely
      .insertInto('notifications')
      .values({
        id: newId(),
        organisation_id: org,
        kind: 'attention',
        subject_kind: 'employee',
        subject_key: sanne.id,
        period: '2026-10',
        period_from: Date.UTC(2026, 8, 30, 22),
        period_to: Date.UTC(2026, 9, 31, 23),
        previous_from: Date.UTC(2026, 7, 31, 22),
        answers_before: 30,
        answers_after: 30,
        nps_before: 50,
        nps_after: 5,
        probability_of_rise: 0.01,
        created_at: Date.UTC(2026, 10, 25, 10),
      })
      .execute();
    t.clock.now = at('2026-11-30T07:05+01:00');
    await startWorker(t.deps, { concurrency: 2 }, false).drain();
  });
  afterAll(async () => t.close());

  it('does not show a team manager a note about another team through the outbox', async () => {
    // The team manager's own feed: nothing about Noord.
    const feed = await zuidManager.request({ url: '/api/v1/notifications' });
    expect(feed.statusCode, feed.body).toBe(200);
    expect(feed.body).not.toContain('Sanne de Boer');

    // The owner reads every email, their digest with Noord's note included.
    const all = await owner.request({ url: '/api/v1/outbox' });
    expect(all.statusCode, all.body).toBe(200);
    const items = all.json<{ items: { id: string; to: string; kind: string }[] }>().items;
    const ownersDigest = items.find((e) => e.kind === 'weekly_digest' && e.to === owner.email);
    expect(ownersDigest, 'the owner’s digest is in the outbox').toBeDefined();
    const read = await owner.request({ url: `/api/v1/outbox/${ownersDigest?.id ?? ''}` });
    expect(read.json<{ text: string }>().text).toContain('Sanne de Boer');

    // The team manager: neither in the list nor by its id.
    const list = await zuidManager.request({ url: '/api/v1/outbox' });
    expect(list.statusCode, list.body).toBe(200);
    const theirs = list.json<{ items: { id: string; to: string; kind: string }[] }>().items;
    expect(theirs.map((e) => e.id)).not.toContain(ownersDigest?.id);
    expect(theirs.every((e) => e.to === zuidManager.email || e.kind === 'invitation')).toBe(true);
    const shown = await zuidManager.request({ url: `/api/v1/outbox/${ownersDigest?.id ?? ''}` });
    expect(shown.statusCode).toBe(404);
    // Nor does "try again" tell it apart from an email that does not exist.
    const retried = await zuidManager.request({
      method: 'POST',
      url: `/api/v1/outbox/${ownersDigest?.id ?? ''}/retry`,
    });
    expect(retried.statusCode, retried.body).toBe(404);
  });
});
