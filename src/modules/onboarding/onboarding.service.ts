import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../auth/actor.ts';
import { findMailServer, lastMailTest } from '../mail-server/mail-server.repository.ts';
import { mailStatus } from '../mail-server/mail-server.service.ts';
import * as repo from './onboarding.repository.ts';

/**
 * The owner's first-run checklist, each step ticked by what really happened in the database,
 * never by a click: customers exist; mail leaves and a test mail was accepted by the server in use
 * (after its last change); a survey's invitation was accepted by a mail server (mail kept in the
 * local outbox does not count); answers arrived. Once there are answers, the home is the results.
 */
export async function onboardingChecklist(
  db: Executor,
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'secretKey'>,
  actor: Actor,
) {
  const organisationId = actor.organisationId;
  const contacts = await repo.countContacts(db, organisationId);
  const mail = await mailStatus(db, config, organisationId);
  const server = await findMailServer(db, organisationId);
  const tested = await lastMailTest(db, organisationId, { okOnly: true });
  const mailDone =
    mail.delivers &&
    tested !== undefined &&
    tested.source === mail.source &&
    (server === undefined || tested.created_at >= server.updated_at);
  const sent = await repo.firstSentInvitation(db, organisationId);
  const survey = await repo.newestSurvey(db, organisationId);
  const responses = await repo.countResponses(db, organisationId);
  const steps = {
    contacts: { done: contacts > 0, count: contacts },
    mail: { done: mailDone, delivers: mail.delivers, source: mail.source },
    survey: {
      done: sent !== undefined,
      surveyId: sent?.survey_id ?? survey?.id ?? null,
      surveyStatus: survey?.status ?? null,
    },
    results: { done: responses > 0, responses },
  };
  return {
    steps,
    complete: Object.values(steps).every((s) => s.done),
    hasAnswers: responses > 0,
  };
}
