import { scopeCondition, type RecordScope } from '../auth/record-scope.ts';
import type { Executor } from '../../db/database.ts';
import { keysetList } from '../../db/keyset.ts';
import type { AccountTable } from '../../db/schema.ts';
import { searchConditions } from '../../db/search.ts';
import type { ListPage, Listed } from '../../shared/cursor.ts';

export const ACCOUNT_COLUMNS = [
  'id',
  'external_id',
  'name',
  'segment',
  'owner_employee_id',
  'created_at',
  'updated_at',
] as const;
export type AccountRow = Pick<AccountTable, (typeof ACCOUNT_COLUMNS)[number]>;

export async function listAccounts(
  db: Executor,
  organisationId: string,
  opts: ListPage & {
    q?: string | undefined;
    /** Whose accounts: the actor's record scope. */
    scope: RecordScope;
  },
): Promise<Listed<AccountRow>> {
  let q = db
    .selectFrom('accounts')
    .select(ACCOUNT_COLUMNS)
    .where('organisation_id', '=', organisationId);
  q = q.where(scopeCondition('owner_employee_id', opts.scope));
  for (const c of searchConditions(opts.q)) q = q.where(c);
  return keysetList(q, opts);
}

export async function findAccount(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('accounts')
    .select(ACCOUNT_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findAccountByExternalId(
  db: Executor,
  organisationId: string,
  externalId: string,
) {
  return db
    .selectFrom('accounts')
    .select(['id'])
    .where('organisation_id', '=', organisationId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/** Finds an account by its exact folded name (how CSV files name client companies). */
export async function findAccountByFoldedName(
  db: Executor,
  organisationId: string,
  folded: string,
) {
  return db
    .selectFrom('accounts')
    .select(['id'])
    .where('organisation_id', '=', organisationId)
    .where('search_text', '=', folded)
    .executeTakeFirst();
}

export async function insertAccount(db: Executor, row: AccountTable): Promise<void> {
  await db.insertInto('accounts').values(row).execute();
}

export async function updateAccount(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Omit<AccountTable, 'id' | 'organisation_id' | 'created_at'>>,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}
