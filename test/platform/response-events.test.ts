import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { responseSaved, type ResponseSaved } from '../../src/modules/responses/responses.events.ts';
import { defineModule } from '../../src/platform/define-module.ts';
import {
  afterCommit,
  inTransaction,
  subscriberJobType,
  type EventEnvelope,
} from '../../src/platform/events/define-event.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** What each probe saw, in order. */
const seenInTransaction: EventEnvelope<ResponseSaved>[] = [];
const seenAfterCommit: EventEnvelope<ResponseSaved>[] = [];
let failingRuns = 0;

/**
 * A module added only in this test, plugged in the way cases, rollups and webhooks will be: it
 * subscribes to `response.saved` and the responses module knows nothing about it.
 */
const probeModule = defineModule({
  name: 'test-probe',
  subscribers: [
    inTransaction(responseSaved, 'test-probe.in-transaction', async (_trx, events) => {
      seenInTransaction.push(...events);
    }),
    afterCommit(responseSaved, 'test-probe.failing', {
      maxAttempts: 3,
      async run() {
        failingRuns++;
        throw new Error('the receiver is down');
      },
    }),
    afterCommit(responseSaved, 'test-probe.recording', {
      async run(event) {
        seenAfterCommit.push(event);
        return { status: 'success' };
      },
    }),
  ],
});

describeEachDialect('response.saved, the event after an answer', (dialect) => {
  let t: TestApp;
  let orgId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, {}, { extraModules: [probeModule] });
    orgId = (await buildOrganisation(t)).organisationId;
  });
  afterAll(async () => t.close());
  beforeEach(() => {
    seenInTransaction.length = 0;
    seenAfterCommit.length = 0;
    failingRuns = 0;
  });

  const answer = (token: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/r/${token}`, payload });

  it('reaches a subscriber in the same transaction, with the previous category of an edit 9 → 3', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const contact = await buildContact(t.db.kysely, orgId);
    const invitation = await buildInvitation(t.db.kysely, {
      organisationId: orgId,
      surveyId: survey.id,
      contactId: contact.id,
    });

    expect((await answer(invitation.token, { score: 9 })).statusCode).toBe(200);
    t.clock.now += 60_000;
    expect(
      (await answer(invitation.token, { score: 3, comment: 'Toch niet zo best' })).statusCode,
    ).toBe(200);

    expect(seenInTransaction.map((e) => e.data)).toEqual([
      expect.objectContaining({
        kind: 'created',
        score: 9,
        category: 'promoter',
        previousScore: null,
        previousCategory: null,
        previousAmbassadorOptIn: null,
        contactId: contact.id,
        invitationId: invitation.id,
        channel: 'email',
        hasComment: false,
      }),
      expect.objectContaining({
        kind: 'updated',
        score: 3,
        category: 'detractor',
        previousScore: 9,
        previousCategory: 'promoter',
        previousAmbassadorOptIn: false,
        hasComment: true,
      }),
    ]);
    const [created, updated] = seenInTransaction;
    expect(updated?.data.responseId).toBe(created?.data.responseId);
    expect(updated?.organisationId).toBe(orgId);
  });

  it('comes from the anonymous link too: a first answer and the browser’s edit', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const first = await t.app.inject({
      method: 'POST',
      url: `/s/${survey.anonymous_token}`,
      headers: FORM,
      payload: 'score=8',
    });
    expect(first.statusCode).toBe(303);
    const device = first.cookies.find((c) => c.name === 'loyaal_device');
    expect(device).toBeDefined();
    const edit = await t.app.inject({
      method: 'POST',
      url: `/s/${survey.anonymous_token}`,
      headers: { ...FORM, cookie: `loyaal_device=${device?.value ?? ''}` },
      payload: 'score=2',
    });
    expect(edit.statusCode).toBe(303);

    expect(seenInTransaction.map((e) => e.data)).toEqual([
      expect.objectContaining({
        kind: 'created',
        channel: 'anonymous',
        score: 8,
        category: 'passive',
        contactId: null,
      }),
      expect.objectContaining({
        kind: 'updated',
        channel: 'anonymous',
        score: 2,
        category: 'detractor',
        previousScore: 8,
        previousCategory: 'passive',
      }),
    ]);
  });

  it('emits nothing for an answer whose edit window has closed', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const contact = await buildContact(t.db.kysely, orgId);
    const invitation = await buildInvitation(t.db.kysely, {
      organisationId: orgId,
      surveyId: survey.id,
      contactId: contact.id,
    });
    expect((await answer(invitation.token, { score: 6 })).statusCode).toBe(200);
    t.clock.now += 8 * 24 * 60 * 60 * 1000;
    expect((await answer(invitation.token, { score: 10 })).statusCode).toBe(410);
    expect(seenInTransaction.map((e) => e.data.score)).toEqual([6]);
  });

  it('gives each after-commit subscriber its own job, so a failing one delays no other', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const contact = await buildContact(t.db.kysely, orgId);
    const invitation = await buildInvitation(t.db.kysely, {
      organisationId: orgId,
      surveyId: survey.id,
      contactId: contact.id,
    });
    await t.db.kysely.deleteFrom('jobs').execute();
    expect((await answer(invitation.token, { score: 4 })).statusCode).toBe(200);

    const jobs = await t.db.kysely
      .selectFrom('jobs')
      .select(['type', 'organisation_id'])
      .orderBy('type')
      .execute();
    // Modules subscribe too (cases opens one for this detractor); the probes' jobs are their own.
    expect(jobs.filter((job) => job.type.includes('test-probe'))).toEqual([
      { type: subscriberJobType('test-probe.failing'), organisation_id: orgId },
      { type: subscriberJobType('test-probe.recording'), organisation_id: orgId },
    ]);

    const worker = startWorker(t.deps, { concurrency: 1 }, false);
    await worker.drain();
    expect(failingRuns).toBe(1);
    expect(seenAfterCommit.map((e) => e.data)).toEqual([
      expect.objectContaining({ kind: 'created', score: 4, category: 'detractor' }),
    ]);

    // The failing subscriber is retried on its own; the recording one is never run again.
    t.clock.now += 60 * 60 * 1000;
    await worker.drain();
    t.clock.now += 60 * 60 * 1000;
    await worker.drain();
    expect(failingRuns).toBe(3);
    expect(seenAfterCommit).toHaveLength(1);
    const failing = await t.db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts', 'last_error'])
      .where('type', '=', subscriberJobType('test-probe.failing'))
      .executeTakeFirstOrThrow();
    expect(failing).toEqual({ status: 'failed', attempts: 3, last_error: 'the receiver is down' });
  });
});
