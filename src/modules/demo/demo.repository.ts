import type { Executor } from '../../db/database.ts';
import type {
  AccountTable,
  ConsentEventTable,
  ContactTable,
  EmployeeTable,
  InvitationTable,
  ResponseTable,
} from '../../db/schema.ts';

const CHUNK = 400;

async function chunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** Bulk inserts for the demo world, in chunks that stay below both dialects' parameter limits. */
export const insertDemo = {
  employees: (db: Executor, rows: EmployeeTable[]) =>
    chunked(rows, (c) => db.insertInto('employees').values(c).execute()),
  accounts: (db: Executor, rows: AccountTable[]) =>
    chunked(rows, (c) => db.insertInto('accounts').values(c).execute()),
  contacts: (db: Executor, rows: ContactTable[]) =>
    chunked(rows, (c) => db.insertInto('contacts').values(c).execute()),
  consentEvents: (db: Executor, rows: ConsentEventTable[]) =>
    chunked(rows, (c) => db.insertInto('consent_events').values(c).execute()),
  invitations: (db: Executor, rows: InvitationTable[]) =>
    chunked(rows, (c) => db.insertInto('invitations').values(c).execute()),
  responses: (db: Executor, rows: ResponseTable[]) =>
    chunked(rows, (c) => db.insertInto('responses').values(c).execute()),
};

export async function findOrganisationByName(db: Executor, name: string) {
  return db.selectFrom('organisations').select(['id']).where('name', '=', name).executeTakeFirst();
}
