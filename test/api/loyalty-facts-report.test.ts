import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContactTable, ResponseTable } from '../../src/db/schema.ts';
import { monthsCovering } from '../../src/domain/loyalty/revenue-months.ts';
import { categorise } from '../../src/domain/scoring/nps.ts';
import { seededRandom } from '../../src/domain/statistics/seeded-random.ts';
import type { VisitStatus } from '../../src/domain/visits/visit-record.ts';
import { emit } from '../../src/platform/events/emit.ts';
import { invitationSent } from '../../src/modules/invitations/invitations.events.ts';
import * as current from '../../src/modules/loyalty/loyalty.repository.ts';
import { storeAnswers } from '../../src/modules/responses/store-answers.ts';
import { recordVisits, type NewVisit } from '../../src/modules/visits/visits.service.ts';
import { newId } from '../../src/shared/ids.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildEmployee, buildInvitation, buildSurvey } from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/harness.ts';
import * as reference from '../support/loyalty-reference.ts';

const DAY = 86_400_000;
const ALL = { kind: 'all' } as const;

/** Rows in a fixed order, so two ways of grouping can be compared. */
const sorted = <T>(rows: readonly T[]): T[] =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describeEachDialect('the loyalty report read from the facts per contact', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  /**
   * A garage's history through the real doors, from a seed: customers with and without answers
   * (some edited), invitations never answered, visits before and after, cancellations and refunds
   * by number, credit notes; every customer owned by `owner` when given.
   */
  async function garage(seed: number, owner?: string): Promise<string> {
    const random = seededRandom(seed);
    const organisationId = newId();
    const now = t.clock.now;
    await t.db.kysely
      .insertInto('organisations')
      .values({
        id: organisationId,
        name: 'Garage Vergelijk',
        locale: 'nl',
        settings: '{}',
        created_at: now,
        updated_at: now,
      })
      .execute();
    const survey = await buildSurvey(t.db.kysely, organisationId);
    const employee = owner ? await buildEmployee(t.db.kysely, organisationId) : null;
    const contacts: ContactTable[] = [];
    for (let i = 0; i < 60; i++) {
      contacts.push(
        await buildContact(t.db.kysely, organisationId, {
          external_id: `K${i}`,
          segment: i % 3 === 0 ? null : i % 3 === 1 ? 'particulier' : 'zakelijk',
          owner_employee_id: employee?.id ?? null,
        }),
      );
    }
    const at = (daysAgo: number) => now - daysAgo * DAY + random.int(DAY);
    for (const [i, contact] of contacts.entries()) {
      await t.db.kysely.transaction().execute(async (trx) => {
        const invites = random.int(3);
        for (let k = 0; k < invites; k++) {
          const sentAt = at(30 + random.int(700));
          const invitation = await buildInvitation(
            trx,
            { organisationId, surveyId: survey.id, contactId: contact.id },
            { planned_at: sentAt, sent_at: null, status: 'planned', expires_at: now + 100 * DAY },
          );
          await trx
            .updateTable('invitations')
            .set({ sent_at: sentAt, status: 'sent' })
            .where('id', '=', invitation.id)
            .execute();
          await emit(
            trx,
            t.deps,
            invitationSent,
            [
              {
                organisationId,
                data: {
                  invitationId: invitation.id,
                  surveyId: survey.id,
                  contactId: contact.id,
                  kind: 'invitation',
                  transport: 'smtp',
                  sentAt,
                },
              },
            ],
            sentAt,
          );
          if (random.next() < 0.6) {
            for (let edit = 0; edit < 1 + random.int(2); edit++) {
              const score = random.int(11);
              const answeredAt = sentAt + DAY;
              const row: ResponseTable = {
                id: newId(),
                organisation_id: organisationId,
                survey_id: survey.id,
                invitation_id: invitation.id,
                contact_id: contact.id,
                channel: 'email',
                score,
                category: categorise(score),
                comment: null,
                employee_score: null,
                may_contact: 0,
                ambassador_opt_in: 0,
                locale: 'nl',
                owner_employee_id: null,
                account_id: null,
                segment: contact.segment,
                location_id: null,
                device_key: null,
                answered_at: answeredAt,
                updated_at: answeredAt,
                closes_at: now + 100 * DAY,
                created_at: answeredAt,
                anonymised_at: null,
              };
              await storeAnswers(
                trx,
                t.deps,
                { door: 'invitation', score: [row], full: [] },
                answeredAt,
              );
            }
          }
        }
        const visits: NewVisit[] = [];
        for (let k = 0; k < random.int(9); k++) {
          const status: VisitStatus =
            random.next() < 0.8 ? 'completed' : random.next() < 0.5 ? 'cancelled' : 'refund';
          visits.push({
            externalId: `F${i}-${k}`,
            customer: { externalId: contact.external_id, email: null, phone: null },
            visitedAt: at(random.int(900)),
            amountCents: (status === 'refund' ? -1 : 1) * (1000 + random.int(40_000)),
            kind: 'Onderhoud',
            location: null,
            status,
          });
        }
        if (visits.length === 0) return;
        await recordVisits(trx, t.deps, organisationId, visits, 'api', now);
        // A few come again by number: cancelled after all.
        const again = visits.filter((v) => v.status === 'completed' && random.next() < 0.2);
        if (again.length > 0) {
          await recordVisits(
            trx,
            t.deps,
            organisationId,
            again.map((v) => ({ ...v, status: 'cancelled' as const })),
            'api',
            now,
          );
        }
      });
    }
    return organisationId;
  }

  /** Thirteen spans of thirty days up to now, like the report's months. */
  /** The calendar months of the last thirteen months (as the report asks for them). */
  const months = () => monthsCovering(t.clock.now - 395 * DAY, t.clock.now);

  it('gives the same return, prediction and revenue figures as computing them from the visits', async () => {
    for (const seed of [1, 2, 3]) {
      const organisationId = await garage(seed);
      for (const windowDays of [182, 365]) {
        const old = await reference.followedAggregates(
          t.db.kysely,
          organisationId,
          t.clock.now,
          windowDays,
        );
        const now = await current.followedAggregates(
          t.db.kysely,
          organisationId,
          ALL,
          t.clock.now,
          windowDays,
        );
        expect(old.survival.length).toBeGreaterThan(0);
        expect(sorted(now.survival)).toEqual(sorted(old.survival));
        expect(sorted(now.prediction)).toEqual(sorted(old.prediction));
        expect(sorted(now.revenue).map((r) => ({ ...r, sumOfSquares: 0 }))).toEqual(
          sorted(old.revenue).map((r) => ({ ...r, sumOfSquares: 0 })),
        );
        for (const [i, r] of sorted(now.revenue).entries()) {
          expect(r.sumOfSquares).toBeCloseTo(sorted(old.revenue)[i]?.sumOfSquares ?? NaN, 6);
        }
      }
    }
  });

  it('gives the same revenue per month and returning part as computing them from the visits', async () => {
    for (const seed of [4, 5]) {
      const organisationId = await garage(seed);
      const old = await reference.monthlyRevenue(t.db.kysely, organisationId, months());
      const now = await current.monthlyRevenue(t.db.kysely, organisationId, ALL, months());
      expect(old.some((m) => m.returningCents !== 0)).toBe(true);
      expect(now).toEqual(old);
      // Months with gaps between them and out of order: each month is read on its own.
      const all = months();
      const odd = [12, 3, 7, 0, 8].flatMap((i) => (all[i] ? [all[i]] : []));
      const byStart = (rows: readonly { start: number }[]) =>
        [...rows].sort((a, b) => a.start - b.start);
      expect(byStart(await current.monthlyRevenue(t.db.kysely, organisationId, ALL, odd))).toEqual(
        byStart(await reference.monthlyRevenue(t.db.kysely, organisationId, odd)),
      );
    }
  });

  it("within an account manager's scope: the same figures when every customer is theirs", async () => {
    const organisationId = await garage(6, 'theirs');
    const employee = await t.db.kysely
      .selectFrom('employees')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .executeTakeFirstOrThrow();
    const scope = { kind: 'employee', employeeId: employee.id } as const;
    expect(await current.monthlyRevenue(t.db.kysely, organisationId, scope, months())).toEqual(
      await reference.monthlyRevenue(t.db.kysely, organisationId, months()),
    );
    const mine = await current.followedAggregates(
      t.db.kysely,
      organisationId,
      scope,
      t.clock.now,
      365,
    );
    const old = await reference.followedAggregates(t.db.kysely, organisationId, t.clock.now, 365);
    expect(sorted(mine.survival)).toEqual(sorted(old.survival));
    expect(sorted(mine.prediction)).toEqual(sorted(old.prediction));
    expect(sorted(mine.revenue).map((r) => ({ ...r, sumOfSquares: 0 }))).toEqual(
      sorted(old.revenue).map((r) => ({ ...r, sumOfSquares: 0 })),
    );
    const nobody = await current.followedAggregates(
      t.db.kysely,
      organisationId,
      { kind: 'employee', employeeId: newId() },
      t.clock.now,
      365,
    );
    expect(nobody).toEqual({ survival: [], prediction: [], revenue: [] });
    const none = await current.monthlyRevenue(
      t.db.kysely,
      organisationId,
      { kind: 'none' },
      months(),
    );
    expect(none.every((m) => m.revenueCents === 0 && m.returningCents === 0)).toBe(true);
  });
});
