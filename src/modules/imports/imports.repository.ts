import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { keysetList } from '../../db/keyset.ts';
import type {
  AccountTable,
  ConsentEventTable,
  ContactTable,
  ImportErrorTable,
  ImportRejectedRowTable,
  ImportStatus,
  ImportTable,
} from '../../db/schema.ts';
import type { ListPage, Listed } from '../../shared/cursor.ts';

/** Columns returned to services; never `select *` at a boundary. */
export const IMPORT_COLUMNS = [
  'id',
  'created_by',
  'filename',
  'format',
  'status',
  'detected',
  'mapping',
  'total_rows',
  'processed_rows',
  'valid_rows',
  'rejected_rows',
  'created_rows',
  'updated_rows',
  'without_email_rows',
  'owner_resolutions',
  'location_resolutions',
  'error',
  'kind',
  'options',
  'question',
  'created_at',
  'updated_at',
] as const;
export type ImportRow = Pick<ImportTable, (typeof IMPORT_COLUMNS)[number]>;

export const IMPORT_ERROR_COLUMNS = ['id', 'line', 'field', 'code', 'value'] as const;
export type ImportErrorRow = Pick<ImportErrorTable, (typeof IMPORT_ERROR_COLUMNS)[number]>;

export type ImportPatch = Partial<Omit<ImportTable, 'id' | 'organisation_id' | 'created_at'>>;

/** Rows per multi-row INSERT: 21 contact columns × 500 stays far below both dialects' limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Records an upload; the row is the import's state machine and its progress bar. */
export async function insertImport(db: Executor, row: ImportTable): Promise<void> {
  await db.insertInto('imports').values(row).execute();
}

/** One import of the organisation, or undefined (another organisation's id looks missing). */
export async function findImport(
  db: Executor,
  organisationId: string,
  id: string,
): Promise<ImportRow | undefined> {
  return db
    .selectFrom('imports')
    .select(IMPORT_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Imports newest first, keyset-paged on (created_at, id). */
export async function listImports(
  db: Executor,
  organisationId: string,
  page: ListPage,
): Promise<Listed<ImportRow>> {
  const q = db
    .selectFrom('imports')
    .select(IMPORT_COLUMNS)
    .where('organisation_id', '=', organisationId);
  return keysetList(q, page);
}

/**
 * Moves an import from one of `from` to a new state in one conditional UPDATE, so two clicks on
 * "validate" (or a click racing a job) cannot both start work. Returns false when the import was
 * not in an allowed state.
 */
export async function transitionImport(
  db: Executor,
  organisationId: string,
  id: string,
  from: readonly ImportStatus[],
  patch: ImportPatch,
): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Progress counts, final status or error; always scoped to the organisation. */
export async function updateImport(
  db: Executor,
  organisationId: string,
  id: string,
  patch: ImportPatch,
): Promise<void> {
  await db
    .updateTable('imports')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/** Clears the report before a (re-)validation, so a retry or a new mapping starts clean. */
export async function deleteImportErrors(
  db: Executor,
  organisationId: string,
  importId: string,
): Promise<void> {
  await db
    .deleteFrom('import_errors')
    .where('organisation_id', '=', organisationId)
    .where('import_id', '=', importId)
    .execute();
  await db
    .deleteFrom('import_rejected_rows')
    .where('organisation_id', '=', organisationId)
    .where('import_id', '=', importId)
    .execute();
}

/** Writes a batch's rejected rows as they were in the file (the download of rejected rows). */
export async function insertRejectedRows(
  db: Executor,
  rows: readonly ImportRejectedRowTable[],
): Promise<void> {
  for (const chunk of chunks(rows)) {
    await db.insertInto('import_rejected_rows').values(chunk).execute();
  }
}

/** Rejected rows in file order, the page after line `afterLine`. */
export async function listRejectedRows(
  db: Executor,
  organisationId: string,
  importId: string,
  page: { limit: number; afterLine: number },
): Promise<Pick<ImportRejectedRowTable, 'line' | 'cells'>[]> {
  return db
    .selectFrom('import_rejected_rows')
    .select(['line', 'cells'])
    .where('organisation_id', '=', organisationId)
    .where('import_id', '=', importId)
    .where('line', '>', page.afterLine)
    .orderBy('line', 'asc')
    .limit(page.limit)
    .execute();
}

/** The problems of the given lines, in line order (the reason column of the download). */
export async function errorsOfLines(
  db: Executor,
  organisationId: string,
  importId: string,
  lines: readonly number[],
): Promise<ImportErrorRow[]> {
  if (!lines.length) return [];
  return db
    .selectFrom('import_errors')
    .select(IMPORT_ERROR_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('import_id', '=', importId)
    .where('line', 'in', lines)
    .orderBy('line', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

/**
 * The cells of one column (the account manager, the location) that matched no record (or
 * several), with how many problems name each, most frequent first (then in file order). At most
 * `limit` distinct values: a hostile file cannot make the answer unbounded.
 */
export async function nameProblems(
  db: Executor,
  organisationId: string,
  importId: string,
  of: { field: string; codes: readonly string[]; limit: number },
): Promise<{ value: string; code: string; rows: number }[]> {
  const rows = await db
    .selectFrom('import_errors')
    .select((eb) => [
      'value',
      'code',
      eb.fn.countAll<number>().as('rows'),
      eb.fn.min<number>('line').as('first_line'),
    ])
    .where('organisation_id', '=', organisationId)
    .where('import_id', '=', importId)
    .where('field', '=', of.field)
    .where('code', 'in', [...of.codes])
    .where('value', 'is not', null)
    .groupBy(['value', 'code'])
    .orderBy('rows', 'desc')
    .orderBy('first_line', 'asc')
    .limit(of.limit)
    .execute();
  return rows.map((r) => ({ value: r.value ?? '', code: r.code, rows: Number(r.rows) }));
}

/** Writes a batch's rejected rows in chunks of multi-row INSERTs. */
export async function insertImportErrors(
  db: Executor,
  rows: readonly ImportErrorTable[],
): Promise<void> {
  for (const chunk of chunks(rows)) await db.insertInto('import_errors').values(chunk).execute();
}

/** Errors in file order; the page after `after` (line, id). */
export async function listImportErrors(
  db: Executor,
  organisationId: string,
  importId: string,
  page: { limit: number; after?: { line: number; id: string } | undefined },
): Promise<ImportErrorRow[]> {
  let q = db
    .selectFrom('import_errors')
    .select(IMPORT_ERROR_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('import_id', '=', importId);
  if (page.after) {
    const { line, id } = page.after;
    q = q.where(sql<boolean>`(line, id) > (${line}, ${id})`);
  }
  return q
    .orderBy('line', 'asc')
    .orderBy('id', 'asc')
    .limit(page.limit + 1)
    .execute();
}

/** How many problems the report holds (the CLI says how many it did not print). */
export async function countImportErrors(
  db: Executor,
  organisationId: string,
  importId: string,
): Promise<number> {
  const row = await db
    .selectFrom('import_errors')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('import_id', '=', importId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Lines rejected so far: the commit skips them, so it imports exactly what the user saw as valid. */
export async function rejectedLines(
  db: Executor,
  organisationId: string,
  importId: string,
): Promise<number[]> {
  const rows = await db
    .selectFrom('import_errors')
    .select('line')
    .distinct()
    .where('organisation_id', '=', organisationId)
    .where('import_id', '=', importId)
    .execute();
  return rows.map((r) => Number(r.line));
}

/** What an upsert needs of an existing contact to merge a row into it. */
export const MATCH_COLUMNS = [
  'id',
  'external_id',
  'name',
  'first_name',
  'salutation',
  'email',
  'email_key',
  'phone',
  'language',
  'owner_employee_id',
  'account_id',
  'segment',
  'location_id',
  'attributes',
  'consent_status',
  'consent_source',
  'consent_at',
  'created_at',
] as const;
export type MatchRow = Pick<ContactTable, (typeof MATCH_COLUMNS)[number]>;

/**
 * Contacts holding any of the external ids or email keys of a batch (both unique per org). Two
 * queries, not one with OR: SQLite answers `external_id IN (…) OR email_key IN (…)` by scanning
 * every contact of the organisation, which made a 100,000-row commit quadratic.
 */
export async function findContactsByKeys(
  db: Executor,
  organisationId: string,
  keys: { externalIds: readonly string[]; emailKeys: readonly string[] },
): Promise<MatchRow[]> {
  const byExternal = keys.externalIds.length
    ? await db
        .selectFrom('contacts')
        .select(MATCH_COLUMNS)
        .where('organisation_id', '=', organisationId)
        .where('external_id', 'in', keys.externalIds)
        .execute()
    : [];
  const byEmail = keys.emailKeys.length
    ? await db
        .selectFrom('contacts')
        .select(MATCH_COLUMNS)
        .where('organisation_id', '=', organisationId)
        .where('email_key', 'in', keys.emailKeys)
        .execute()
    : [];
  const seen = new Set(byExternal.map((c) => c.id));
  return [...byExternal, ...byEmail.filter((c) => !seen.has(c.id))];
}

/** Accounts by folded name (`accountSearchText`), oldest first, so a duplicate name links stably. */
export async function findAccountsByFoldedNames(
  db: Executor,
  organisationId: string,
  folded: readonly string[],
): Promise<{ id: string; search_text: string }[]> {
  if (!folded.length) return [];
  return db
    .selectFrom('accounts')
    .select(['id', 'search_text'])
    .where('organisation_id', '=', organisationId)
    .where('search_text', 'in', folded)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

/** Accounts an import names for the first time, created inside the commit's transaction. */
export async function insertAccounts(db: Executor, rows: readonly AccountTable[]): Promise<void> {
  for (const chunk of chunks(rows)) await db.insertInto('accounts').values(chunk).execute();
}

/** New contacts of a batch in multi-row INSERTs: far fewer round trips than one per row. */
export async function insertContacts(db: Executor, rows: readonly ContactTable[]): Promise<void> {
  for (const chunk of chunks(rows)) await db.insertInto('contacts').values(chunk).execute();
}

/**
 * Updates many contacts in one statement: an INSERT of complete rows whose ids exist, turned into
 * an UPDATE by `ON CONFLICT (id)`. Both SQLite and PostgreSQL support it, unlike a multi-row
 * UPDATE. Only the columns an import may change are written; unsubscribe, bounce and erasure
 * state stay as they are. The caller guarantees every id exists and no key is taken. A contact
 * erased since it was read is not written (PostgreSQL re-checks the condition on the row the
 * erasure left): returns how many rows were written, so the caller can tell.
 */
export async function updateContacts(db: Executor, rows: readonly ContactTable[]): Promise<number> {
  let written = 0;
  for (const chunk of chunks(rows)) {
    const done = await db
      .insertInto('contacts')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => ({
            external_id: eb.ref('excluded.external_id'),
            name: eb.ref('excluded.name'),
            first_name: eb.ref('excluded.first_name'),
            salutation: eb.ref('excluded.salutation'),
            email: eb.ref('excluded.email'),
            email_key: eb.ref('excluded.email_key'),
            phone: eb.ref('excluded.phone'),
            phone_key: eb.ref('excluded.phone_key'),
            language: eb.ref('excluded.language'),
            owner_employee_id: eb.ref('excluded.owner_employee_id'),
            account_id: eb.ref('excluded.account_id'),
            segment: eb.ref('excluded.segment'),
            location_id: eb.ref('excluded.location_id'),
            attributes: eb.ref('excluded.attributes'),
            consent_status: eb.ref('excluded.consent_status'),
            consent_source: eb.ref('excluded.consent_source'),
            consent_at: eb.ref('excluded.consent_at'),
            search_text: eb.ref('excluded.search_text'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          // Belt and braces: never touch another organisation's row, even given a foreign id.
          .whereRef('contacts.organisation_id', '=', 'excluded.organisation_id')
          .where('contacts.erased_at', 'is', null),
      )
      .returning('id')
      .execute();
    written += done.length;
  }
  return written;
}

/** Proof of the consent a file recorded, one `granted` event per contact, source `import:<id>`. */
export async function insertConsentEvents(
  db: Executor,
  rows: readonly ConsentEventTable[],
): Promise<void> {
  for (const chunk of chunks(rows)) await db.insertInto('consent_events').values(chunk).execute();
}

/** An import by id in any organisation: the installation-wide clean-up of upload files only. */
export async function findImportForHousekeeping(db: Executor, id: string) {
  return db
    .selectFrom('imports')
    .select(['id', 'organisation_id', 'status', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The organisation's imports that still have an upload file (not yet ended). */
export async function listOpenImports(db: Executor, organisationId: string) {
  return db
    .selectFrom('imports')
    .select(['id', 'format'])
    .where('organisation_id', '=', organisationId)
    .where('status', 'in', ['uploaded', 'validating', 'validated', 'importing'])
    .execute();
}
