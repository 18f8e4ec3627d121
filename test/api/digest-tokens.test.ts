import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { digestTokensHolder } from '../../src/modules/digest/digest.personal-data.ts';
import { newId, newToken, sha256 } from '../../src/shared/ids.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { describeEachDialect } from '../support/databases.ts';
import { FACTORY_NOW } from '../support/factories.ts';
import { buildMember, buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const DAY = 86_400_000;

/**
 * The digest's unsubscribe tokens, one per sent digest (migration 0056): the upgrade keeps the
 * link of the newest digest sent before it working, and the retention run deletes tokens older
 * than the organisation's retention period and those of members who left.
 */
describeEachDialect('weekly digest tokens', (dialect) => {
  let t: TestApp;
  let organisationId = '';
  let membershipId = '';
  const oldToken = newToken();

  beforeAll(async () => {
    t = await startTestApp(
      dialect,
      {},
      {
        upgrade: {
          before: '0056-digest-tokens',
          async seed(db) {
            organisationId = await seedOrganisation(db.kysely, 'Garage De Vries', FACTORY_NOW);
            const m = await db.kysely
              .selectFrom('memberships')
              .select('id')
              .where('organisation_id', '=', organisationId)
              .executeTakeFirstOrThrow();
            membershipId = m.id;
            // As 0038 kept it: the newest digest's token hash on the membership.
            await sql`update memberships set weekly_digest = 1, digest_token_hash = ${sha256(oldToken)}
              where id = ${membershipId}`.execute(db.kysely);
            await db.kysely
              .insertInto('emails')
              .values({
                id: newId(),
                organisation_id: organisationId,
                kind: 'weekly_digest',
                invitation_id: null,
                to_address: 'eigenaar@example.nl',
                subject: 'Weekoverzicht Garage De Vries, week 44',
                text_body: '',
                html_body: '',
                headers: '{}',
                message_id: `<digest.2026-W44.${membershipId}@nps.garage.test>`,
                status: 'sent',
                transport: 'smtp',
                error: null,
                failure: null,
                next_attempt_at: null,
                sent_at: FACTORY_NOW,
                created_at: FACTORY_NOW,
              })
              .execute();
          },
        },
      },
    );
  }, 120_000);
  afterAll(async () => t.close());

  it('keeps the link of the digest sent before the upgrade working', async () => {
    const rows = await t.db.kysely
      .selectFrom('digest_tokens')
      .select(['membership_id', 'week', 'token_hash', 'created_at'])
      .where('organisation_id', '=', organisationId)
      .execute();
    expect(rows).toEqual([
      {
        membership_id: membershipId,
        week: '2026-W44',
        token_hash: sha256(oldToken),
        created_at: FACTORY_NOW,
      },
    ]);
    const page = await t.app.inject({ url: `/u/digest/${oldToken}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Weekoverzicht uitzetten');
  });

  it('retention deletes tokens older than the retention period and those of members who left', async () => {
    const owner = await buildOrganisation(t, 'Installateur Bewaar');
    const org = owner.organisationId;
    const member = await buildMember(t, org, 'manager');
    const membership = async (userId: string) =>
      (
        await t.db.kysely
          .selectFrom('memberships')
          .select('id')
          .where('organisation_id', '=', org)
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow()
      ).id;
    const ownerMembership = await membership(owner.userId);
    const leaverMembership = await membership(member.userId);
    const now = t.clock.now;
    const token = (id: string, week: string, createdAt: number) => ({
      id: newId(),
      organisation_id: org,
      membership_id: id,
      week,
      token_hash: sha256(newToken()),
      created_at: createdAt,
    });
    const old = token(ownerMembership, '2025-W40', now - 400 * DAY);
    const recent = token(ownerMembership, '2026-W44', now - 7 * DAY);
    const leavers = token(leaverMembership, '2026-W44', now - 7 * DAY);
    await t.db.kysely.insertInto('digest_tokens').values([old, recent, leavers]).execute();
    const removed = await owner.request({
      method: 'DELETE',
      url: `/api/v1/members/${leaverMembership}`,
    });
    expect(removed.statusCode, removed.body).toBe(204);

    const counts = await digestTokensHolder.retain?.(t.db.kysely, org, {
      now,
      cutoff: now - 365 * DAY,
      limit: 100,
    });
    expect(counts).toEqual({ deletedDigestTokens: 2 });
    const left = await t.db.kysely
      .selectFrom('digest_tokens')
      .select('id')
      .where('organisation_id', '=', org)
      .execute();
    expect(left.map((r) => r.id)).toEqual([recent.id]);
    // Another organisation's tokens are untouched.
    const others = await t.db.kysely
      .selectFrom('digest_tokens')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .execute();
    expect(others).toHaveLength(1);
  });
});
