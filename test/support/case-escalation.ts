import { expect } from 'vitest';
import { caseEscalationHandler } from '../../src/modules/cases/cases.job-handlers.ts';
import { newId } from '../../src/shared/ids.ts';
import { buildContact, buildEmployee, buildInvitation, buildSurvey } from './factories.ts';
import { buildMember, buildOrganisation, type TestApp } from './harness.ts';

const DAY = 86_400_000;

/**
 * A case mail to several people, for the tests of what a mail server does to each recipient: an
 * organisation whose team `Balie` has a manager (a member) per name, and a customer of Kees Smit
 * of that team whose 1 opened a recovery case. The clock is set just past the case's due time.
 * `escalate` runs the case's escalation as one job does, attempt after attempt (one job id).
 * `managers` are the managers' addresses (lower case) sorted, the order in which they are mailed.
 */
export async function caseToEscalate(
  t: TestApp,
  organisationName: string,
  managerNames: readonly string[],
) {
  const owner = await buildOrganisation(t, organisationName);
  const organisationId = owner.organisationId;
  const survey = await buildSurvey(t.db.kysely, organisationId);
  const kees = await buildEmployee(t.db.kysely, organisationId, {
    name: 'Kees Smit',
    team: 'Balie',
  });
  const managers: string[] = [];
  for (const name of managerNames) {
    const employee = await buildEmployee(t.db.kysely, organisationId, { name, team: 'Balie' });
    managers.push(
      (await buildMember(t, organisationId, 'manager', employee.id)).email.toLowerCase(),
    );
  }
  const contact = await buildContact(t.db.kysely, organisationId, {
    name: 'Ingrid Jansen',
    owner_employee_id: kees.id,
  });
  const invitation = await buildInvitation(
    t.db.kysely,
    { organisationId, surveyId: survey.id, contactId: contact.id },
    { planned_at: t.clock.now - DAY, expires_at: t.clock.now + 30 * DAY },
  );
  const answered = await t.app.inject({
    method: 'POST',
    url: `/r/${invitation.token}`,
    payload: { score: 1, comment: 'Nooit meer' },
  });
  expect(answered.statusCode, answered.body).toBe(200);
  const row = await t.db.kysely
    .selectFrom('cases')
    .select(['id', 'due_at'])
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contact.id)
    .executeTakeFirstOrThrow();
  t.clock.now = row.due_at + 60_000;
  const jobId = newId();
  const escalate = () =>
    caseEscalationHandler.run(
      { caseId: row.id },
      { ...t.deps, organisationId, jobId, attempt: 1, maxAttempts: 10 },
    );
  return { organisationId, managers: managers.sort(), escalate };
}
