import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import {
  enrolPromoter,
  referFriend,
  setUpProgramme,
  withWelcomeOffer,
} from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { answerMayContact, askForReviewsByEmail } from '../support/reviews.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { freePort } from '../support/pg-cluster.ts';

const HOUR = 3_600_000;

type OutboxItem = { kind: string; to: string; status: string; failure: string | null };

/**
 * Customer mail outside the NPS loop — the programme invitation, a friend's welcome offer, the
 * review request — when the mail server stays down for good. Each job retries for hours and then
 * gives up; its email must then say so in the outbox ("Niet verzonden", with why the last attempt
 * failed), not stay "In de wachtrij" for a mail nothing will ever send.
 */
describeEachDialect('customer mail whose job gave up', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    const port = await freePort(); // nothing listens there
    t = await startTestApp(dialect, {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.garage.test',
    });
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
  });

  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();
  /**
   * A day and a half of the worker running every hour: past every customer mail's last attempt.
   * `halfDay` looks at the mail twelve hours in, while its job is still trying.
   */
  const runUntilGivenUp = async (halfDay?: () => Promise<void>) => {
    await drain();
    for (let i = 0; i < 36; i++) {
      t.clock.now += HOUR;
      await drain();
      if (i === 11) await halfDay?.();
    }
  };
  const outboxOf = async (owner: Client, kind: string) =>
    (await owner.request({ url: '/api/v1/outbox' }))
      .json<{ items: OutboxItem[] }>()
      .items.filter((e) => e.kind === kind)
      .map(({ to, status, failure }) => ({ to, status, failure }));
  const jobsOf = async (owner: Client, type: string) =>
    (
      await t.db.kysely
        .selectFrom('jobs')
        .select('status')
        .where('organisation_id', '=', owner.organisationId)
        .where('type', '=', type)
        .execute()
    ).map((j) => j.status);

  it('marks the programme invitation failed once its job gave up', async () => {
    const owner = await buildOrganisation(t, 'Garage Programma');
    await setUpProgramme(owner);
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    await enrolPromoter(
      t,
      { organisationId: owner.organisationId, surveyId: survey.id },
      { email: 'jan@voorbeeld.nl' },
    );
    // A mail server down for a night delays the invitation: still trying after twelve hours, and
    // the outbox says when the next attempt is: when its job runs again.
    await runUntilGivenUp(async () => {
      expect(await jobsOf(owner, 'ambassadors.invite')).toEqual(['queued']);
      const job = await t.db.kysely
        .selectFrom('jobs')
        .select('run_at')
        .where('organisation_id', '=', owner.organisationId)
        .where('type', '=', 'ambassadors.invite')
        .executeTakeFirstOrThrow();
      const waiting = (await owner.request({ url: '/api/v1/outbox' }))
        .json<{ items: (OutboxItem & { nextAttemptAt: string | null })[] }>()
        .items.filter((e) => e.kind === 'ambassador_invite')
        .map(({ status, failure, nextAttemptAt }) => ({ status, failure, nextAttemptAt }));
      expect(job.run_at).toBeGreaterThan(t.clock.now);
      expect(waiting).toEqual([
        {
          status: 'queued',
          failure: 'unreachable',
          nextAttemptAt: new Date(job.run_at).toISOString(),
        },
      ]);
    });
    expect(await jobsOf(owner, 'ambassadors.invite')).toEqual(['failed']);
    expect(await outboxOf(owner, 'ambassador_invite')).toEqual([
      { to: 'jan@voorbeeld.nl', status: 'failed', failure: 'unreachable' },
    ]);
  }, 120_000);

  it('marks a friend’s welcome offer failed once its job gave up', async () => {
    const owner = await buildOrganisation(t, 'Garage Welkom');
    await setUpProgramme(owner, withWelcomeOffer(3));
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const ambassador = await enrolPromoter(
      t,
      { organisationId: owner.organisationId, surveyId: survey.id },
      { email: 'piet@voorbeeld.nl' },
    );
    await referFriend(t, ambassador, { name: 'Karin Bakker', email: 'karin@example.nl' });
    await runUntilGivenUp();
    expect(await jobsOf(owner, 'ambassadors.friend-welcome')).toEqual(['failed']);
    expect(await outboxOf(owner, 'friend_welcome')).toEqual([
      { to: 'karin@example.nl', status: 'failed', failure: 'unreachable' },
    ]);
  }, 120_000);

  it('marks the review request failed once its job gave up', async () => {
    const owner = await buildOrganisation(t, 'Garage Review');
    await askForReviewsByEmail(owner, 'https://g.page/r/garage/review');
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    await answerMayContact(
      t,
      { organisationId: owner.organisationId, surveyId: survey.id },
      { email: 'anna@klant.nl', first_name: 'Anna' },
      9,
    );
    await runUntilGivenUp();
    expect(await jobsOf(owner, 'reviews.email')).toEqual(['failed']);
    expect(await outboxOf(owner, 'review_request')).toEqual([
      { to: 'anna@klant.nl', status: 'failed', failure: 'unreachable' },
    ]);
  }, 120_000);
});
