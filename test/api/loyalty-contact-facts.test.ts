import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContactTable, InvitationTable, ResponseTable } from '../../src/db/schema.ts';
import type { VisitStatus } from '../../src/domain/visits/visit-record.ts';
import { emit } from '../../src/platform/events/emit.ts';
import { invitationSent } from '../../src/modules/invitations/invitations.events.ts';
import {
  findContactFacts,
  listContactFacts,
} from '../../src/modules/loyalty/contact-facts.repository.ts';
import { rebuildLoyaltyFacts } from '../../src/modules/loyalty/contact-facts.service.ts';
import { backfill } from '../../src/db/migrations/0040-loyalty-contact-facts.ts';
import { backfill as backfillRevenueMonths } from '../../src/db/migrations/0054-loyalty-revenue-months.ts';
import { storeAnswers } from '../../src/modules/responses/store-answers.ts';
import { recordVisits } from '../../src/modules/visits/visits.service.ts';
import { runRetention } from '../../src/modules/privacy/retention.service.ts';
import { eraseContact, exportContact } from '../../src/modules/privacy/privacy.service.ts';
import { newId } from '../../src/shared/ids.ts';
import { monthsCovering } from '../../src/domain/loyalty/revenue-months.ts';
import { revenueMonths, visitSpan } from '../../src/modules/loyalty/revenue-months.repository.ts';
import * as reference from '../support/loyalty-reference.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildContact,
  buildInvitation,
  buildSurvey,
  ownerActor,
  responseRow,
} from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/harness.ts';

const DAY = 86_400_000;
const CONTACTS = 4;
const NUMBERS = ['F1', 'F2', 'F3', 'F4', 'F5'];

/**
 * What happens to a few customers, in any order: visits (with or without the workshop system's
 * number; a number that comes again corrects, cancels, refunds or moves that visit to another
 * customer), refunds as credit notes, invitations sent, answers and edits of answers.
 */
type Step =
  | {
      kind: 'visits';
      visits: {
        contact: number;
        number: string | null;
        day: number;
        euros: number;
        status: VisitStatus;
      }[];
    }
  | { kind: 'invite'; contact: number; day: number }
  | { kind: 'answer'; invitation: number; score: number; day: number };

const visit = fc.record({
  contact: fc.nat(CONTACTS - 1),
  number: fc.option(fc.constantFrom(...NUMBERS), { nil: null }),
  day: fc.integer({ min: 0, max: 900 }),
  euros: fc.integer({ min: 0, max: 400 }),
  status: fc.constantFrom<VisitStatus>(
    'completed',
    'completed',
    'completed',
    'cancelled',
    'refund',
  ),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('visits' as const),
      visits: fc.array(visit, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('invite' as const),
      contact: fc.nat(CONTACTS - 1),
      day: fc.integer({ min: 0, max: 900 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      invitation: fc.nat(7),
      score: fc.integer({ min: 0, max: 10 }),
      day: fc.integer({ min: 0, max: 900 }),
    }),
  },
);

/** An answer to an invitation, given at `answeredAt`, stored at `at`. */
function answerRow(
  invitation: InvitationTable,
  score: number,
  answeredAt: number,
  at: number,
  id: string = newId(),
): ResponseTable {
  return responseRow(
    { organisationId: invitation.organisation_id, surveyId: invitation.survey_id },
    {
      id,
      invitation_id: invitation.id,
      contact_id: invitation.contact_id,
      score,
      answered_at: answeredAt,
      updated_at: at,
      closes_at: at + 5000 * DAY,
      created_at: at,
    },
  );
}

describeEachDialect('the loyalty facts per contact', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  /** A bare organisation with a survey and a few customers (no owner: nobody logs in). */
  async function world(): Promise<{
    organisationId: string;
    surveyId: string;
    contacts: ContactTable[];
  }> {
    const organisationId = newId();
    await t.db.kysely
      .insertInto('organisations')
      .values({
        id: organisationId,
        name: 'Garage Feiten',
        locale: 'nl',
        settings: '{}',
        created_at: t.clock.now,
        updated_at: t.clock.now,
      })
      .execute();
    const survey = await buildSurvey(t.db.kysely, organisationId);
    const contacts = [];
    for (let i = 0; i < CONTACTS; i++) {
      contacts.push(await buildContact(t.db.kysely, organisationId, { external_id: `K${i}` }));
    }
    return { organisationId, surveyId: survey.id, contacts };
  }

  /** Plays the steps through the real doors: recordVisits, storeAnswers, invitation.sent. */
  async function play(
    w: Awaited<ReturnType<typeof world>>,
    steps: readonly Step[],
    daysBack = 1000,
  ): Promise<void> {
    const start = t.clock.now - daysBack * DAY;
    const invitations: InvitationTable[] = [];
    let now = start;
    for (const s of steps) {
      now += DAY;
      const at = now;
      await t.db.kysely.transaction().execute(async (trx) => {
        if (s.kind === 'visits') {
          const seen = new Set<string>();
          const visits = s.visits.filter((v) => {
            if (v.number === null) return true;
            if (seen.has(v.number)) return false;
            seen.add(v.number);
            return true;
          });
          await recordVisits(
            trx,
            t.deps,
            w.organisationId,
            visits.map((v) => ({
              externalId: v.number,
              customer: { externalId: `K${v.contact}`, email: null, phone: null },
              visitedAt: start + v.day * DAY + 3_600_000,
              amountCents: (v.status === 'refund' ? -v.euros - 1 : v.euros) * 100,
              kind: 'Onderhoud',
              location: null,
              status: v.status,
            })),
            'api',
            at,
          );
        } else if (s.kind === 'invite') {
          const contact = w.contacts[s.contact];
          if (!contact) return;
          const sentAt = start + s.day * DAY;
          const invitation = await buildInvitation(
            trx,
            { organisationId: w.organisationId, surveyId: w.surveyId, contactId: contact.id },
            {
              planned_at: sentAt,
              sent_at: null,
              status: 'planned',
              expires_at: sentAt + 2000 * DAY,
            },
          );
          // What the delivery does once a mail server took the mail: sent_at, then the event.
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
                organisationId: w.organisationId,
                data: {
                  invitationId: invitation.id,
                  surveyId: w.surveyId,
                  contactId: contact.id,
                  kind: 'invitation',
                  transport: 'smtp',
                  sentAt,
                },
              },
            ],
            at,
          );
          invitations.push(invitation);
        } else {
          const invitation = invitations[s.invitation % Math.max(1, invitations.length)];
          if (!invitation) return;
          const row = answerRow(invitation, s.score, start + s.day * DAY, at);
          await storeAnswers(trx, t.deps, { door: 'invitation', score: [row], full: [] }, at);
        }
      });
    }
  }

  it('kept in step with every visit, cancellation, refund, invitation, answer and edit, equal to a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const w = await world();
        await play(w, steps);
        const kept = await listContactFacts(t.db.kysely, w.organisationId);
        await rebuildLoyaltyFacts(t.db, t.clock.now, w.organisationId);
        const rebuilt = await listContactFacts(t.db.kysely, w.organisationId);
        expect(kept).toEqual(rebuilt);
      }),
      { numRuns: 30 },
    );
  });

  it('answers of one contact at one moment: the kept origin is the one a rebuild names (the largest id), in one batch and after it', async () => {
    const w = await world();
    const contact = w.contacts[0];
    if (!contact) throw new Error('a contact');
    const invitations = [];
    for (let i = 0; i < 3; i++) {
      invitations.push(
        await buildInvitation(t.db.kysely, {
          organisationId: w.organisationId,
          surveyId: w.surveyId,
          contactId: contact.id,
        }),
      );
    }
    const [first, second, third] = invitations;
    if (!first || !second || !third) throw new Error('three invitations');
    // Ids in order, so the tie-break is known: the origin is the answer with the largest id.
    const [low, middle, high] = [newId(), newId(), newId()].sort();
    const answeredAt = t.clock.now - 10 * DAY;
    const store = (rows: ResponseTable[]) =>
      t.db.kysely
        .transaction()
        .execute((trx) =>
          storeAnswers(trx, t.deps, { door: 'invitation', score: rows, full: [] }, t.clock.now),
        );
    // One batch: a promoter (smallest id) first, a detractor (largest id) after.
    await store([
      answerRow(first, 10, answeredAt, t.clock.now, low),
      answerRow(second, 2, answeredAt, t.clock.now, high),
    ]);
    expect(await findContactFacts(t.db.kysely, w.organisationId, contact.id)).toMatchObject({
      origin_at: answeredAt,
      score: 2,
      category: 'detractor',
    });
    // A third answer at that same moment, with an id between the two: not the origin either.
    await store([answerRow(third, 9, answeredAt, t.clock.now, middle)]);
    const kept = await listContactFacts(t.db.kysely, w.organisationId);
    expect(kept.find((f) => f.contact_id === contact.id)).toMatchObject({ score: 2 });
    await rebuildLoyaltyFacts(t.db, t.clock.now, w.organisationId);
    expect(kept).toEqual(await listContactFacts(t.db.kysely, w.organisationId));
  });

  /** Earned growth's sums as kept, and as the visits say they are (the reads before migration 0054). */
  async function revenueMonthsKeptAndFromVisits(organisationId: string) {
    const kept = await revenueMonths(t.db.kysely, organisationId, 0, Number.MAX_SAFE_INTEGER);
    const span = await visitSpan(t.db.kysely, organisationId);
    const fromVisits = span
      ? (
          await reference.monthlyRevenue(
            t.db.kysely,
            organisationId,
            monthsCovering(span.first, span.last),
          )
        )
          .map((m) => ({
            monthStart: m.start,
            revenueCents: m.revenueCents,
            newRevenueCents: m.revenueCents - m.returningCents,
          }))
          .filter((m) => m.revenueCents !== 0 || m.newRevenueCents !== 0)
      : [];
    return { kept, fromVisits };
  }

  it("earned growth's sums per month: kept in step with every visit, correction, move, cancellation and refund — equal to the visits and to a rebuild", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const w = await world();
        await play(w, steps);
        const { kept, fromVisits } = await revenueMonthsKeptAndFromVisits(w.organisationId);
        expect(kept).toEqual(fromVisits);
        await rebuildLoyaltyFacts(t.db, t.clock.now, w.organisationId);
        expect(
          await revenueMonths(t.db.kysely, w.organisationId, 0, Number.MAX_SAFE_INTEGER),
        ).toEqual(kept);
      }),
      { numRuns: 30 },
    );
  });

  it("earned growth's sums: an earlier visit, a correction of its date and amount, a cancellation and a refund", async () => {
    const w = await world();
    const steps: Step[] = [
      // March: the first visit (new); May: a second (returning).
      {
        kind: 'visits',
        visits: [
          { contact: 0, number: 'F1', day: 400, euros: 100, status: 'completed' },
          { contact: 0, number: 'F2', day: 460, euros: 60, status: 'completed' },
        ],
      },
      // A visit months earlier arrives late: the March visit becomes returning revenue.
      {
        kind: 'visits',
        visits: [{ contact: 0, number: 'F3', day: 300, euros: 40, status: 'completed' }],
      },
      // Corrected: F3 was later and dearer; then cancelled; then a refund on F2.
      {
        kind: 'visits',
        visits: [{ contact: 0, number: 'F3', day: 330, euros: 45, status: 'completed' }],
      },
      {
        kind: 'visits',
        visits: [{ contact: 0, number: 'F3', day: 330, euros: 45, status: 'cancelled' }],
      },
      {
        kind: 'visits',
        visits: [{ contact: 0, number: 'F2', day: 460, euros: 20, status: 'refund' }],
      },
      // F1 moves to another customer, for whom it is the first visit.
      {
        kind: 'visits',
        visits: [{ contact: 1, number: 'F1', day: 400, euros: 100, status: 'completed' }],
      },
    ];
    for (const [i, s] of steps.entries()) {
      await play(w, [s]);
      const { kept, fromVisits } = await revenueMonthsKeptAndFromVisits(w.organisationId);
      expect({ step: i, kept }).toEqual({ step: i, kept: fromVisits });
    }
    const { kept } = await revenueMonthsKeptAndFromVisits(w.organisationId);
    // The refund's month is new revenue (the customer has no completed visit left) and F1 is new.
    expect(kept.reduce((sum, m) => sum + m.revenueCents, 0)).toBe(10_000 - 2_100);
    expect(kept.every((m) => m.newRevenueCents === m.revenueCents)).toBe(true);
  });

  it.skipIf(dialect !== 'postgres')(
    "earned growth's sums: two concurrent corrections of one visit — the second waits and subtracts what the first wrote",
    async () => {
      const w = await world();
      const day = t.clock.now - 40 * DAY;
      const correct = (
        trx: Parameters<typeof recordVisits>[0],
        euros: number,
        status: VisitStatus,
      ) =>
        recordVisits(
          trx,
          t.deps,
          w.organisationId,
          [
            {
              externalId: 'F1',
              customer: { externalId: 'K0', email: null, phone: null },
              visitedAt: day,
              amountCents: euros * 100,
              kind: 'Onderhoud',
              location: null,
              status,
            },
          ],
          'api',
          t.clock.now,
        );
      await t.db.kysely.transaction().execute((trx) => correct(trx, 100, 'completed'));

      // A corrects the invoice to €150 and stays open; B cancels the visit meanwhile.
      let commitA = () => {};
      const aMayCommit = new Promise<void>((resolve) => {
        commitA = resolve;
      });
      let aCorrected = () => {};
      const aHasCorrected = new Promise<void>((resolve) => {
        aCorrected = resolve;
      });
      const a = t.db.kysely.transaction().execute(async (trx) => {
        await correct(trx, 150, 'completed');
        aCorrected();
        await aMayCommit;
      });
      await aHasCorrected;
      let bPid = 0;
      let bPidKnown = () => {};
      const bPidTaken = new Promise<void>((resolve) => {
        bPidKnown = resolve;
      });
      const b = t.db.kysely.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        bPid = rows[0]?.pid ?? 0;
        bPidKnown();
        await correct(trx, 150, 'cancelled');
      });
      await bPidTaken;
      try {
        await expect
          .poll(
            async () =>
              (
                await sql<{ wait: string | null }>`select wait_event_type as wait
                  from pg_stat_activity where pid = ${bPid}`.execute(t.db.kysely)
              ).rows[0]?.wait ?? null,
            { timeout: 60_000, interval: 50 },
          )
          .toBe('Lock');
      } finally {
        commitA();
        await a;
      }
      await b;

      const { kept, fromVisits } = await revenueMonthsKeptAndFromVisits(w.organisationId);
      expect(fromVisits).toEqual([]);
      expect(kept).toEqual(fromVisits);
    },
  );

  it('follows a visit moved to another customer: both customers are recomputed', async () => {
    const w = await world();
    const [a, b] = w.contacts;
    if (!a || !b) throw new Error('contacts');
    await play(w, [
      {
        kind: 'visits',
        visits: [{ contact: 0, number: 'F1', day: 10, euros: 120, status: 'completed' }],
      },
      {
        kind: 'visits',
        visits: [{ contact: 1, number: 'F1', day: 10, euros: 120, status: 'completed' }],
      },
    ]);
    expect(await findContactFacts(t.db.kysely, w.organisationId, a.id)).toBeUndefined();
    expect(await findContactFacts(t.db.kysely, w.organisationId, b.id)).toMatchObject({
      visits: 1,
      revenue_cents: 12_000,
    });
  });

  it('a cancelled visit stops counting and a refund subtracts, after the answer', async () => {
    const w = await world();
    const [a] = w.contacts;
    if (!a) throw new Error('contacts');
    await play(w, [
      { kind: 'invite', contact: 0, day: 100 },
      { kind: 'answer', invitation: 0, score: 9, day: 101 },
      {
        kind: 'visits',
        visits: [
          { contact: 0, number: 'F1', day: 150, euros: 200, status: 'completed' },
          { contact: 0, number: 'F2', day: 200, euros: 100, status: 'completed' },
        ],
      },
      {
        kind: 'visits',
        visits: [
          { contact: 0, number: 'F1', day: 150, euros: 200, status: 'cancelled' },
          { contact: 0, number: null, day: 210, euros: 29, status: 'refund' },
        ],
      },
      { kind: 'answer', invitation: 0, score: 3, day: 101 },
    ]);
    const facts = await findContactFacts(t.db.kysely, w.organisationId, a.id);
    expect(facts).toMatchObject({
      category: 'detractor',
      score: 3,
      visits: 1,
      revenue_after_cents: 10_000 - 3_000,
      revenue_cents: 7_000,
    });
    expect(facts?.next_visit_at).toBe(facts?.first_visit_at);
  });

  it("the migration's backfill writes what the rebuild writes", async () => {
    const w = await world();
    await play(
      w,
      fc.sample(fc.array(step, { minLength: 10, maxLength: 20 }), { numRuns: 1, seed: 11 })[0] ??
        [],
    );
    const kept = await listContactFacts(t.db.kysely, w.organisationId);
    await t.db.kysely
      .deleteFrom('loyalty_contact_facts')
      .where('organisation_id', '=', w.organisationId)
      .execute();
    await t.db.kysely.transaction().execute(async (trx) => {
      // The backfill fills every organisation: other tests' rows are moved aside and put back.
      const others = await trx.selectFrom('loyalty_contact_facts').selectAll().execute();
      await trx.deleteFrom('loyalty_contact_facts').execute();
      await backfill(trx as never, t.clock.now);
      await trx
        .deleteFrom('loyalty_contact_facts')
        .where('organisation_id', '<>', w.organisationId)
        .execute();
      if (others.length) await trx.insertInto('loyalty_contact_facts').values(others).execute();
    });
    expect(await listContactFacts(t.db.kysely, w.organisationId)).toEqual(kept);
    expect(kept.length).toBeGreaterThan(0);
  });

  it("migration 0054's backfill writes earned growth's sums as the rebuild does", async () => {
    const w = await world();
    await play(
      w,
      fc.sample(fc.array(step, { minLength: 10, maxLength: 20 }), { numRuns: 1, seed: 12 })[0] ??
        [],
    );
    const kept = await revenueMonths(t.db.kysely, w.organisationId, 0, Number.MAX_SAFE_INTEGER);
    expect(kept.length).toBeGreaterThan(0);
    await t.db.kysely.transaction().execute(async (trx) => {
      // The backfill fills every organisation: other tests' rows are moved aside and put back.
      const others = await trx
        .selectFrom('loyalty_revenue_months')
        .selectAll()
        .where('organisation_id', '<>', w.organisationId)
        .execute();
      await trx.deleteFrom('loyalty_revenue_months').execute();
      await backfillRevenueMonths(trx as never, t.clock.now);
      await trx
        .deleteFrom('loyalty_revenue_months')
        .where('organisation_id', '<>', w.organisationId)
        .execute();
      if (others.length) await trx.insertInto('loyalty_revenue_months').values(others).execute();
    });
    expect(await revenueMonths(t.db.kysely, w.organisationId, 0, Number.MAX_SAFE_INTEGER)).toEqual(
      kept,
    );
  });

  it('exports the facts with the contact; erasure keeps the anonymous figures (as visits and answers do)', async () => {
    const w = await world();
    const [a] = w.contacts;
    if (!a) throw new Error('contacts');
    await play(w, [
      { kind: 'invite', contact: 0, day: 800 },
      { kind: 'answer', invitation: 0, score: 10, day: 801 },
      {
        kind: 'visits',
        visits: [{ contact: 0, number: 'F1', day: 850, euros: 80, status: 'completed' }],
      },
    ]);
    const actor = ownerActor(w.organisationId);
    const exported: Record<string, unknown> = await exportContact(t.db.kysely, t.deps, actor, a.id);
    expect(exported.loyaltyFacts).toMatchObject({
      category: 'promoter',
      score: 10,
      visits: 1,
      revenue: 80,
    });
    const before = await findContactFacts(t.db.kysely, w.organisationId, a.id);
    await t.db.kysely.transaction().execute((trx) => eraseContact(trx, t.deps, actor, a.id));
    expect(await findContactFacts(t.db.kysely, w.organisationId, a.id)).toEqual(before);
  });

  it('retention: a contact whose answers lost their name has no origin (no non-respondent), as a rebuild says', async () => {
    const w = await world();
    const [a] = w.contacts;
    if (!a) throw new Error('contacts');
    // Answered about four years ago, past the retention period (36 months); the invitation stays.
    // A passive: no case, which would keep the answer while it is open.
    await play(
      w,
      [
        { kind: 'invite', contact: 0, day: 0 },
        { kind: 'answer', invitation: 0, score: 7, day: 1 },
        {
          kind: 'visits',
          visits: [{ contact: 0, number: null, day: 300, euros: 50, status: 'completed' }],
        },
      ],
      1500,
    );
    expect(await findContactFacts(t.db.kysely, w.organisationId, a.id)).toMatchObject({
      category: 'passive',
    });
    await runRetention(t.deps, w.organisationId);
    const kept = await listContactFacts(t.db.kysely, w.organisationId);
    // They answered (their invitation says so): not counted among those who never did.
    expect(kept.find((f) => f.contact_id === a.id)).toMatchObject({
      category: null,
      score: null,
    });
    await rebuildLoyaltyFacts(t.db, t.clock.now, w.organisationId);
    expect(await listContactFacts(t.db.kysely, w.organisationId)).toEqual(kept);
  });
});
