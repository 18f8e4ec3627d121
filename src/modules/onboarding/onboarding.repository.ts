import type { Executor } from '../../db/database.ts';

/** Contacts the organisation has (erased ones are no longer customers it can ask). */
export async function countContacts(db: Executor, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('erased_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The first invitation a mail server accepted: the moment a survey really went out. */
export async function firstSentInvitation(
  db: Executor,
  organisationId: string,
): Promise<{ survey_id: string; sent_at: number | null } | undefined> {
  return db
    .selectFrom('invitations')
    .select(['survey_id', 'sent_at'])
    .where('organisation_id', '=', organisationId)
    .where('sent_at', 'is not', null)
    .orderBy('sent_at')
    .limit(1)
    .executeTakeFirst();
}

export async function countResponses(db: Executor, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The newest survey, for the checklist's link ("create and send your first survey"). */
export async function newestSurvey(
  db: Executor,
  organisationId: string,
): Promise<{ id: string; status: string } | undefined> {
  return db
    .selectFrom('surveys')
    .select(['id', 'status'])
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
