import { sql } from 'kysely';
import type { Dialect, Executor } from '../../db/database.ts';
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

/** The demo's cases, oldest first, as the cases module opened them. */
export async function findDemoCases(db: Executor, organisationId: string) {
  return db
    .selectFrom('cases')
    .select(['id', 'opened_at', 'due_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('opened_at')
    .orderBy('id')
    .execute();
}

/**
 * Records the jobs the demo's simulated history enqueued (case alerts, case follow-ups) as done
 * without running them, as its invitations are "sent" without an email: otherwise the first
 * `npm start` would mail weeks-old alerts and follow-ups into the demo's outbox at once.
 */
export async function settleSimulatedJobs(
  db: Executor,
  organisationId: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      status: 'done',
      result: JSON.stringify({ status: 'skipped', detail: 'demo: simulated history' }),
      finished_at: now,
    })
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'queued')
    .execute();
}

/**
 * PostgreSQL: refreshes the planner's statistics of the tables the demo just filled, inside its
 * transaction. Without them the queries that follow (the answers' subscribers, the loyalty facts'
 * rebuild) are planned for empty tables and take seconds instead of milliseconds.
 */
export async function analyseDemoTables(db: Executor, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const table of ['contacts', 'invitations', 'responses', 'visits'] as const) {
    await sql`analyze ${sql.table(table)}`.execute(db);
  }
}
