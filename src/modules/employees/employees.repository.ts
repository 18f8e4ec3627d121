import type { Executor } from '../../db/database.ts';
import { keysetList } from '../../db/keyset.ts';
import type { EmployeeTable } from '../../db/schema.ts';
import { searchConditions } from '../../db/search.ts';
import type { ListPage, Listed } from '../../shared/cursor.ts';

export const EMPLOYEE_COLUMNS = [
  'id',
  'name',
  'email',
  'team',
  'created_at',
  'updated_at',
] as const;
export type EmployeeRow = Pick<EmployeeTable, (typeof EMPLOYEE_COLUMNS)[number]>;

export async function listEmployees(
  db: Executor,
  organisationId: string,
  opts: ListPage & { q?: string | undefined },
): Promise<Listed<EmployeeRow>> {
  let q = db
    .selectFrom('employees')
    .select(EMPLOYEE_COLUMNS)
    .where('organisation_id', '=', organisationId);
  for (const c of searchConditions(opts.q)) q = q.where(c);
  return keysetList(q, opts);
}

export async function findEmployee(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('employees')
    .select(EMPLOYEE_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findEmployeeByEmail(db: Executor, organisationId: string, email: string) {
  return db
    .selectFrom('employees')
    .select(['id'])
    .where('organisation_id', '=', organisationId)
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
}

/** Matches an employee by email or by name (case and accents ignored): how CSV files name them. */
export async function findEmployeeByNameOrEmail(
  db: Executor,
  organisationId: string,
  value: string,
  folded: string,
) {
  return db
    .selectFrom('employees')
    .select(['id'])
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('email', '=', value.toLowerCase()), eb('search_text', '=', folded)]))
    .executeTakeFirst();
}

export async function allEmployeesForMatching(db: Executor, organisationId: string) {
  return db
    .selectFrom('employees')
    .select(['id', 'name', 'email'])
    .where('organisation_id', '=', organisationId)
    .execute();
}

export async function insertEmployee(db: Executor, row: EmployeeTable): Promise<void> {
  await db.insertInto('employees').values(row).execute();
}

export async function updateEmployee(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Pick<EmployeeTable, 'name' | 'email' | 'team' | 'search_text' | 'updated_at'>>,
): Promise<void> {
  await db
    .updateTable('employees')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}
