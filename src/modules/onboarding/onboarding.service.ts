import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../auth/actor.ts';
import { findMailServer, lastMailTest } from '../mail-server/mail-server.repository.ts';
import { mailStatus } from '../mail-server/mail-server.service.ts';
import * as repo from './onboarding.repository.ts';

const step = { done: z.boolean().describe('Ticked by what really happened, never by a click') };

/** The owner's first-run checklist (GET /onboarding). */
export const onboardingSchema = z.object({
  steps: z.object({
    contacts: z.object({ ...step, count: z.number().int() }),
    mail: z.object({
      ...step,
      delivers: z.boolean(),
      source: z.enum(['organisation', 'installation', 'none', 'demo']),
    }),
    survey: z.object({
      ...step,
      surveyId: z.string().nullable(),
      surveyStatus: z.string().nullable().describe('`draft`, `active` or `archived`'),
    }),
    results: z.object({ ...step, responses: z.number().int() }),
  }),
  complete: z.boolean(),
  hasAnswers: z.boolean().describe("The owner's home is the results screen once true"),
});
export type OnboardingJson = z.output<typeof onboardingSchema>;

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
): Promise<OnboardingJson> {
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
