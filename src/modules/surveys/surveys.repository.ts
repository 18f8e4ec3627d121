import type { Executor } from '../../db/database.ts';
import { keysetList } from '../../db/keyset.ts';
import type { SurveyStatus, SurveyTable } from '../../db/schema.ts';
import type { ListPage, Listed } from '../../shared/cursor.ts';

export const SURVEY_COLUMNS = [
  'id',
  'name',
  'status',
  'settings',
  'anonymous_token',
  'created_at',
  'updated_at',
] as const;
export type SurveyRow = Pick<SurveyTable, (typeof SURVEY_COLUMNS)[number]>;

export async function findSurvey(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('surveys')
    .select(SURVEY_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The anonymous link's survey, with its organisation's name and locale (public pages). */
/** Every survey's settings with its organisation (the notifications' settle time reads them). */
export async function allSurveySettings(db: Executor) {
  return db.selectFrom('surveys').select(['organisation_id', 'settings']).execute();
}

export async function findSurveyByAnonymousToken(db: Executor, token: string) {
  return db
    .selectFrom('surveys as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .select([
      's.id',
      's.organisation_id',
      's.status',
      's.settings',
      'o.name as organisation_name',
      'o.locale as organisation_locale',
    ])
    .where('s.anonymous_token', '=', token)
    .executeTakeFirst();
}

/** The survey a request with this idempotency key created, if any. */
export async function findSurveyByCreationKey(db: Executor, organisationId: string, key: string) {
  return db
    .selectFrom('surveys')
    .select(SURVEY_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('creation_key', '=', key)
    .executeTakeFirst();
}

export async function insertSurvey(db: Executor, row: SurveyTable): Promise<void> {
  await db.insertInto('surveys').values(row).execute();
}

/** Newest first, keyset-paginated on `(created_at, id)`. */
export async function listSurveys(
  db: Executor,
  organisationId: string,
  filter: { status?: SurveyStatus | undefined },
  page: ListPage,
): Promise<Listed<SurveyRow>> {
  let q = db
    .selectFrom('surveys')
    .select(SURVEY_COLUMNS)
    .where('organisation_id', '=', organisationId);
  if (filter.status) q = q.where('status', '=', filter.status);
  return keysetList(q, page);
}

export async function updateSurvey(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Pick<SurveyTable, 'name' | 'status' | 'settings' | 'updated_at'>>,
): Promise<void> {
  await db
    .updateTable('surveys')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}
