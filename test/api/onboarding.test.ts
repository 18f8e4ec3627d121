import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildMember, buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

interface Checklist {
  steps: {
    contacts: { done: boolean; count: number };
    mail: { done: boolean; delivers: boolean };
    survey: { done: boolean; surveyId: string | null };
    results: { done: boolean; responses: number };
  };
  complete: boolean;
  hasAnswers: boolean;
}

describeEachDialect("the owner's first-run checklist", (dialect) => {
  let smtp: TestSmtpServer;
  let withMail: TestApp;
  let withoutMail: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    withMail = await startTestApp(dialect, { SMTP_URL: smtp.url });
    withoutMail = await startTestApp(dialect);
  });
  afterAll(async () => {
    closeMailTransports();
    await withMail.close();
    await withoutMail.close();
    await smtp.close();
  });

  /** Walks the first day on one installation and returns the checklist after each step. */
  async function walk(t: TestApp) {
    const owner = await buildOrganisation(t);
    const checklist = async () => {
      const res = await owner.request({ url: '/api/v1/onboarding' });
      expect(res.statusCode).toBe(200);
      return res.json<Checklist>();
    };
    const seen: Record<string, Checklist> = { start: await checklist() };
    await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Ingrid', email: 'ingrid@example.nl' },
    });
    seen.contacts = await checklist();
    await owner.request({ method: 'POST', url: '/api/v1/mail-server/test' });
    seen.tested = await checklist();
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS' },
    });
    const surveyId = survey.json<{ id: string }>().id;
    await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
    });
    await startWorker(t.deps, { concurrency: 2 }, false).drain();
    seen.sent = await checklist();
    const { token } = await t.db.kysely
      .selectFrom('invitations')
      .select('token')
      .where('organisation_id', '=', owner.organisationId)
      .executeTakeFirstOrThrow();
    await t.app.inject({ method: 'POST', url: `/r/${token}`, payload: { score: 9 } });
    seen.answered = await checklist();
    return { owner, surveyId, seen };
  }

  it('ticks each step by what happened: customers, a test mail the server took, a survey sent, answers', async () => {
    const { seen, surveyId } = await walk(withMail);
    expect(seen.start).toEqual({
      steps: {
        contacts: { done: false, count: 0 },
        mail: { done: false, delivers: true, source: 'installation' },
        survey: { done: false, surveyId: null, surveyStatus: null },
        results: { done: false, responses: 0 },
      },
      complete: false,
      hasAnswers: false,
    });
    expect(seen.contacts?.steps.contacts).toEqual({ done: true, count: 1 });
    expect(seen.contacts?.steps.mail.done).toBe(false);
    expect(seen.tested?.steps.mail.done).toBe(true);
    expect(seen.tested?.steps.survey.done).toBe(false);
    expect(seen.sent?.steps.survey).toMatchObject({ done: true, surveyId });
    expect(seen.sent?.hasAnswers).toBe(false);
    expect(seen.answered).toMatchObject({
      complete: true,
      hasAnswers: true,
      steps: { results: { done: true, responses: 1 } },
    });
  });

  it('ticks neither the mail nor the survey when mail only reached the local outbox', async () => {
    const { seen } = await walk(withoutMail);
    expect(seen.tested?.steps.mail).toEqual({ done: false, delivers: false, source: 'none' });
    expect(seen.sent?.steps.survey.done).toBe(false);
    // The customer can still answer the link (staff read it in the outbox): answers are answers.
    expect(seen.answered?.steps.results.done).toBe(true);
    expect(seen.answered?.complete).toBe(false);
  });

  it('unticks the mail step when the server changes after the last test', async () => {
    const t = await startTestApp(dialect, { SECRET_KEY: 'a'.repeat(64) });
    try {
      const owner = await buildOrganisation(t);
      const put = (port: number) =>
        owner.request({
          method: 'PUT',
          url: '/api/v1/mail-server',
          payload: { host: '127.0.0.1', port, security: 'none', fromAddress: 'info@garage.nl' },
        });
      await put(smtp.port);
      await owner.request({ method: 'POST', url: '/api/v1/mail-server/test' });
      const mailDone = async () =>
        (await owner.request({ url: '/api/v1/onboarding' })).json<Checklist>().steps.mail.done;
      expect(await mailDone()).toBe(true);
      t.clock.now += 1000;
      await put(1);
      expect(await mailDone()).toBe(false);
      const viewer = await buildMember(t, owner.organisationId, 'viewer');
      expect((await viewer.request({ url: '/api/v1/onboarding' })).statusCode).toBe(200);
    } finally {
      closeMailTransports();
      await t.close();
    }
  });
});
