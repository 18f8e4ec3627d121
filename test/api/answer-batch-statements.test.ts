import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  writeSubmissions,
  type InvitationSubmission,
} from '../../src/modules/responses/response-writer.ts';
import type { ContactTable } from '../../src/db/schema.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildContact,
  buildEmployee,
  buildInvitation,
  buildSurvey,
  buildWebhookEndpoint,
  scoreAnswer,
} from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

/**
 * Counts the statements sent through the Kysely instance it is plugged into: one result each. (Not
 * `transformQuery`, which also sees every query embedded in another, e.g. the data-modifying WITH
 * queries of the rollups' one statement on PostgreSQL.)
 */
function statementCounter() {
  const seen: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      return args.node;
    },
    transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      seen.push(args.queryId.queryId);
      return Promise.resolve(args.result);
    },
  };
  return { plugin, seen };
}

/**
 * What the closed loop costs an answer batch (the group-commit writer's transaction), in
 * statements: its cases, webhook deliveries and jobs are written per batch, not per answer. A
 * batch of answers that join open cases costs the same number of statements however many answers
 * it holds, and so does a batch that opens cases: one insert for all the cases it opens (the
 * one-active-case index still decides per row) and one for their alerts (each alert schedules its case's escalation when it runs). The webhook fan-out of the answers, the cases opened and the cases changed is one: one
 * insert of deliveries and one of jobs for the whole batch. Counting statements, not time: the
 * figure holds on a busy machine.
 */
describeEachDialect('the closed loop in statements per answer batch', (dialect) => {
  let t: TestApp;
  /** A batch of answers that join open cases or open nothing. */
  // + 2: the batch's loyalty facts per contact (issue 11; PostgreSQL first locks the contacts'
  // rows, + 1) and its location rollup (issue 10). + 2: the account managers' daily and weekly
  // rollups (one upsert each for the whole batch; the customers have account managers).
  // The invitations read is four lookups by key (invitations, their answers, contacts, surveys);
  // on PostgreSQL the answers are locked as they are read, not read again to be locked.
  // PostgreSQL reads the contacts again, locked, last (+ 1: an erasure meanwhile undoes the batch).
  // − 1: cases read the organisation's settings with the follow-up invitations, in one statement.
  // PostgreSQL − 2: the daily and the account managers' daily and weekly rollups are one statement
  // (data-modifying WITH queries; SQLite has none). PostgreSQL − 2: so are the cases' links, the
  // joined cases' priorities and the log lines.
  const pg = dialect === 'postgres';
  const JOINS_ONLY = (pg ? 7 : 6) + 1 + 3 + 3 + 3 + (pg ? 3 : 2) + 2 - 1 - (pg ? 4 : 0);

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  /** An organisation with cases on, one webhook endpoint for every event, and `n` customers. */
  async function organisation(n: number) {
    const owner = await buildOrganisation(t);
    const org = owner.organisationId;
    await buildWebhookEndpoint(t.db.kysely, org, {
      events: ['response.created', 'response.updated', 'case.opened', 'case.updated'],
    });
    const survey = await buildSurvey(t.db.kysely, org);
    const contacts: ContactTable[] = [];
    // Two account managers own the customers in turn: the batch keeps their rollups too.
    const managers = [
      await buildEmployee(t.db.kysely, org, { name: 'Anna Visser', team: 'Oost' }),
      await buildEmployee(t.db.kysely, org, { name: 'Bram Smit', team: 'West' }),
    ];
    for (let i = 0; i < n; i++) {
      contacts.push(
        await buildContact(t.db.kysely, org, { owner_employee_id: managers[i % 2]?.id ?? null }),
      );
    }
    /** One invitation per customer; their answers (scores in turn) as one batch. */
    const batch = async (scores: readonly number[]) => {
      const submissions: InvitationSubmission[] = [];
      for (const [i, contact] of contacts.entries()) {
        const invitation = await buildInvitation(t.db.kysely, {
          organisationId: org,
          surveyId: survey.id,
          contactId: contact.id,
        });
        submissions.push({
          token: invitation.token,
          mode: 'score',
          answer: scoreAnswer(scores[i % scores.length] ?? 0),
          now: t.clock.now,
        });
      }
      const counter = statementCounter();
      const outcomes = await t.db.kysely
        .withPlugin(counter.plugin)
        .transaction()
        .execute((trx) => writeSubmissions(trx, t.deps, submissions));
      expect(outcomes.every((o) => o.status === 'saved')).toBe(true);
      return counter.seen.length;
    };
    const count = async (table: 'cases' | 'case_responses' | 'webhook_deliveries') =>
      Number(
        (
          await t.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('organisation_id', '=', org)
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { batch, count };
  }

  it('answers that join open cases cost the same statements in a batch of 4 as in a batch of 16', async () => {
    const statements = [];
    for (const n of [4, 16]) {
      const { batch, count } = await organisation(n);
      // Every customer complains once (a case each), then answers again: detractors join their
      // case, a promoter and a passive open nothing.
      await batch([2]);
      expect(await count('cases')).toBe(n);
      statements.push(await batch([3, 9, 0, 7]));
      expect(await count('cases')).toBe(n);
      expect(await count('case_responses')).toBe(n + n / 2);
      // Every answer and every case change is announced: n answers twice, n cases opened, n/2
      // joins.
      expect(await count('webhook_deliveries')).toBe(n * 2 + n + n / 2);
    }
    const [small, large] = statements;
    expect(large).toBe(small);
    // The answers (the invitations read, on PostgreSQL with the answers being replaced locked, the
    // answers upserted, the invitations marked), the rollup, the cases (settings with follow-ups,
    // and the contacts with their active cases read; links, one priority update per priority, log
    // lines written) and the webhook fan-out of the answers and the case changes together (endpoints
    // read, deliveries and jobs written once).
    expect(large).toBe(JOINS_ONLY);
  });

  it('a batch that opens 8 cases costs the same statements as one that opens 2, also among answers that join cases', async () => {
    const opened = [];
    for (const n of [4, 16]) {
      const { batch, count } = await organisation(n);
      // Every other customer complains first; then everyone does: half of them join their case,
      // the other half open one, in turn (so case openings and updates alternate in the batch).
      await batch([1, 10]);
      const before = await count('cases');
      const statements = await batch([2]);
      opened.push({ statements, cases: (await count('cases')) - before });
    }
    const [small, large] = opened;
    if (!small || !large) throw new Error('two batches');
    expect([small.cases, large.cases]).toEqual([2, 8]);
    expect(large.statements).toBe(small.statements);
    // As a batch of joins, plus the employees read, one insert of every case opened, and one
    // insert of their alert jobs.
    expect(small.statements).toBe(JOINS_ONLY + 1 + 1 + 1);
  });
});
