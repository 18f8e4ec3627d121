import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSubmissions } from '../../src/modules/responses/response-writer.ts';
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
 * One answer batch (the group-commit writer's transaction) reaches the cases and the webhooks as
 * one answer at a time would: each detractor's case with its log line, jobs and webhook delivery,
 * a second answer of the same customer joining the case the first one opened in that same batch —
 * and nothing at all when the batch's transaction rolls back, although the case log lines, jobs
 * and case events are written at the end of the batch rather than per answer.
 */
describeEachDialect('cases from one answer batch', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  async function organisationWithEndpoint() {
    const owner = await buildOrganisation(t);
    const org = owner.organisationId;
    await buildWebhookEndpoint(t.db.kysely, org, { events: ['case.opened', 'case.updated'] });
    const survey = await buildSurvey(t.db.kysely, org);
    const invite = async (contactId: string) =>
      buildInvitation(t.db.kysely, { organisationId: org, surveyId: survey.id, contactId });
    const anna = await buildContact(t.db.kysely, org, { name: 'Anna Jansen' });
    const bram = await buildContact(t.db.kysely, org, { name: 'Bram de Wit' });
    const cor = await buildContact(t.db.kysely, org, { name: 'Cor Smit' });
    return {
      org,
      anna,
      bram,
      cor,
      invitations: {
        anna1: await invite(anna.id),
        anna2: await invite(anna.id),
        bram: await invite(bram.id),
        cor: await invite(cor.id),
      },
    };
  }

  const rowsOf = async (org: string) => ({
    cases: await t.db.kysely
      .selectFrom('cases')
      .select(['id', 'contact_id', 'priority'])
      .where('organisation_id', '=', org)
      .execute(),
    links: await t.db.kysely
      .selectFrom('case_responses')
      .select(['case_id', 'response_id'])
      .where('organisation_id', '=', org)
      .execute(),
    log: await t.db.kysely
      .selectFrom('case_events')
      .select(['case_id', 'type'])
      .where('organisation_id', '=', org)
      .execute(),
    jobs: await t.db.kysely
      .selectFrom('jobs')
      .select(['type', 'payload'])
      .where('organisation_id', '=', org)
      .where('type', 'in', ['case.alert', 'case.escalate'])
      .execute(),
    deliveries: await t.db.kysely
      .selectFrom('webhook_deliveries')
      .select(['event_type', 'payload'])
      .where('organisation_id', '=', org)
      .execute(),
  });

  it('opens, joins, logs, schedules and announces every case of the batch', async () => {
    const { org, anna, bram, invitations } = await organisationWithEndpoint();
    const now = t.clock.now;
    const outcomes = await t.db.kysely.transaction().execute((trx) =>
      writeSubmissions(trx, t.deps, [
        { token: invitations.anna1.token, mode: 'score', answer: scoreAnswer(3), now },
        { token: invitations.bram.token, mode: 'score', answer: scoreAnswer(2), now },
        { token: invitations.anna2.token, mode: 'score', answer: scoreAnswer(5), now },
        { token: invitations.cor.token, mode: 'score', answer: scoreAnswer(9), now },
      ]),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['saved', 'saved', 'saved', 'saved']);

    const rows = await rowsOf(org);
    // One case each for Anna (her second answer joins the first's) and Bram; Cor is a promoter.
    expect(rows.cases.map((c) => c.contact_id).sort()).toEqual([anna.id, bram.id].sort());
    const annaCase = rows.cases.find((c) => c.contact_id === anna.id);
    const bramCase = rows.cases.find((c) => c.contact_id === bram.id);
    if (!annaCase || !bramCase) throw new Error('missing case');
    expect(rows.links.filter((l) => l.case_id === annaCase.id)).toHaveLength(2);
    expect(rows.links.filter((l) => l.case_id === bramCase.id)).toHaveLength(1);
    expect(rows.log.filter((l) => l.case_id === annaCase.id).map((l) => l.type)).toEqual(
      expect.arrayContaining(['opened', 'answer-joined']),
    );
    expect(rows.log.filter((l) => l.case_id === annaCase.id)).toHaveLength(2);
    expect(rows.log.filter((l) => l.case_id === bramCase.id).map((l) => l.type)).toEqual([
      'opened',
    ]);
    const jobsOf = (caseId: string) =>
      rows.jobs
        .filter((j) => (JSON.parse(j.payload) as { caseId: string }).caseId === caseId)
        .map((j) => j.type)
        .sort();
    // One job per case: its alert, which schedules the escalation when it runs.
    expect(jobsOf(annaCase.id)).toEqual(['case.alert']);
    expect(jobsOf(bramCase.id)).toEqual(['case.alert']);
    const announced = rows.deliveries
      .map((d) => {
        const body = JSON.parse(d.payload) as { data: { caseId: string; change?: string } };
        return `${d.event_type} ${body.data.caseId} ${body.data.change ?? ''}`.trim();
      })
      .sort();
    expect(announced).toEqual(
      [
        `case.opened ${annaCase.id}`,
        `case.opened ${bramCase.id}`,
        `case.updated ${annaCase.id} answer-joined`,
      ].sort(),
    );
  });

  it('leaves no case, log line, job or delivery when the batch rolls back', async () => {
    const { org, invitations } = await organisationWithEndpoint();
    const now = t.clock.now;
    await expect(
      t.db.kysely.transaction().execute(async (trx) => {
        await writeSubmissions(trx, t.deps, [
          { token: invitations.anna1.token, mode: 'score', answer: scoreAnswer(1), now },
          { token: invitations.bram.token, mode: 'score', answer: scoreAnswer(0), now },
        ]);
        throw new Error('the batch fails after its answers');
      }),
    ).rejects.toThrow('the batch fails');
    const rows = await rowsOf(org);
    expect(rows).toEqual({ cases: [], links: [], log: [], jobs: [], deliveries: [] });
    const answers = await t.db.kysely
      .selectFrom('responses')
      .select('id')
      .where('organisation_id', '=', org)
      .execute();
    expect(answers).toEqual([]);
  });

  it('joins the case a concurrent transaction opened when its own insert of the case loses', async () => {
    const { org, anna, bram, invitations } = await organisationWithEndpoint();
    const now = t.clock.now;
    // Anna's first complaint opens her case, as any transaction would.
    await t.db.kysely
      .transaction()
      .execute((trx) =>
        writeSubmissions(trx, t.deps, [
          { token: invitations.anna1.token, mode: 'score', answer: scoreAnswer(5), now },
        ]),
      );
    const [existing] = (await rowsOf(org)).cases;
    if (!existing) throw new Error('no case');
    // The next batch reads the active cases before that case is visible to it (as when another
    // transaction commits it a moment later): the one read that returns Anna with her open case
    // returns her without it, so the batch plans a case of its own for her, which the unique
    // index refuses.
    let hidden = false;
    const plugin: KyselyPlugin = {
      transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => args.node,
      transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        const rows = args.result.rows;
        const withCase = (r: UnknownRow) => r.id === anna.id && r.case_status === 'open';
        if (!hidden && rows.some(withCase)) {
          hidden = true;
          const withoutCase = (r: UnknownRow) =>
            Object.fromEntries(
              Object.entries(r).map(([key, value]) => [
                key,
                key.startsWith('case_') ? null : value,
              ]),
            );
          return Promise.resolve({
            ...args.result,
            rows: rows.map((r) => (withCase(r) ? withoutCase(r) : r)),
          });
        }
        return Promise.resolve(args.result);
      },
    };
    const later = now + 1000;
    await t.db.kysely
      .withPlugin(plugin)
      .transaction()
      .execute((trx) =>
        writeSubmissions(trx, t.deps, [
          { token: invitations.anna2.token, mode: 'score', answer: scoreAnswer(1), now: later },
          { token: invitations.bram.token, mode: 'score', answer: scoreAnswer(2), now: later },
        ]),
      );
    expect(hidden).toBe(true);

    const rows = await rowsOf(org);
    // Anna's second answer joined her case: no second case or alert for her; Bram's
    // case opened beside it as usual.
    expect(rows.cases.filter((c) => c.contact_id === anna.id).map((c) => c.id)).toEqual([
      existing.id,
    ]);
    const bramCase = rows.cases.find((c) => c.contact_id === bram.id);
    if (!bramCase) throw new Error('no case for Bram');
    expect(rows.links.filter((l) => l.case_id === existing.id)).toHaveLength(2);
    expect(
      rows.log
        .filter((l) => l.case_id === existing.id)
        .map((l) => l.type)
        .sort(),
    ).toEqual(['answer-joined', 'opened']);
    const jobCases = rows.jobs.map((j) => (JSON.parse(j.payload) as { caseId: string }).caseId);
    expect(jobCases.filter((id) => id === existing.id)).toHaveLength(1);
    expect(jobCases.filter((id) => id === bramCase.id)).toHaveLength(1);
    expect(jobCases).toHaveLength(2);
    const announced = rows.deliveries
      .map((d) => {
        const body = JSON.parse(d.payload) as {
          data: { caseId: string; change?: string; score: number };
        };
        return `${d.event_type} ${body.data.caseId} ${body.data.change ?? ''}`.trim();
      })
      .sort();
    expect(announced).toEqual(
      [
        `case.opened ${existing.id}`,
        `case.opened ${bramCase.id}`,
        `case.updated ${existing.id} answer-joined`,
      ].sort(),
    );
    // A score of 1 raises the case's priority, as a join found in time would.
    const after = rows.cases.find((c) => c.id === existing.id);
    expect(after?.priority).not.toBe(existing.priority);
  });

  it('passes the round-robin turn from case to case within one batch and across batches', async () => {
    const { org, invitations } = await organisationWithEndpoint();
    await t.db.kysely
      .updateTable('organisations')
      .set({
        settings: JSON.stringify({ cases: { assignment: { roundRobinTeam: 'Werkplaats' } } }),
      })
      .where('id', '=', org)
      .execute();
    const team = [];
    for (const name of ['Ahmed Bakker', 'Bo Visser', 'Chantal Mulder']) {
      team.push(await buildEmployee(t.db.kysely, org, { name, team: 'Werkplaats' }));
    }
    const now = t.clock.now;
    await t.db.kysely
      .transaction()
      .execute((trx) =>
        writeSubmissions(trx, t.deps, [
          { token: invitations.anna1.token, mode: 'score', answer: scoreAnswer(4), now },
        ]),
      );
    await t.db.kysely.transaction().execute((trx) =>
      writeSubmissions(trx, t.deps, [
        { token: invitations.bram.token, mode: 'score', answer: scoreAnswer(3), now: now + 1000 },
        { token: invitations.cor.token, mode: 'score', answer: scoreAnswer(6), now: now + 1000 },
      ]),
    );
    const owners = await t.db.kysely
      .selectFrom('cases')
      .select(['owner_employee_id', 'owner_rule', 'team'])
      .where('organisation_id', '=', org)
      .execute();
    expect(owners.map((o) => o.owner_rule)).toEqual(['round-robin', 'round-robin', 'round-robin']);
    expect(owners.map((o) => o.owner_employee_id).sort()).toEqual(team.map((e) => e.id).sort());
  });
});
