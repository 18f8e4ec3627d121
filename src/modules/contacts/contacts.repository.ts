import { scopeCondition, type RecordScope } from '../auth/record-scope.ts';
import type { Executor } from '../../db/database.ts';
import { organisationOfKeyed } from '../../db/dialect.ts';
import { keysetList } from '../../db/keyset.ts';
import type { ConsentEventTable, ContactTable } from '../../db/schema.ts';
import type { ListPage, Listed } from '../../shared/cursor.ts';
import { searchConditions } from '../../db/search.ts';

/** Columns returned to services; never `select *` at a boundary. */
export const CONTACT_COLUMNS = [
  'id',
  'external_id',
  'name',
  'first_name',
  'salutation',
  'email',
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
  'unsubscribed_at',
  'bounced_at',
  'erased_at',
  'created_at',
  'updated_at',
] as const;

export type ContactRow = Pick<ContactTable, (typeof CONTACT_COLUMNS)[number]>;

/** The columns of a contact that say whether a message may go to it (the contact rules' state). */
export const CONTACT_STATE_COLUMNS = [
  'id',
  'email',
  'consent_status',
  'unsubscribed_at',
  'bounced_at',
  'erased_at',
] as const;

export type ContactStateRow = Pick<ContactTable, (typeof CONTACT_STATE_COLUMNS)[number]>;

/**
 * The state of one contact (`CONTACT_STATE_COLUMNS`) as a query to join, not run: another module
 * that must read a contact's state beside its own row in one statement (the re-check just before
 * an invitation's message goes) joins this, and the contacts table stays this module's. By its key
 * (`organisationOfKeyed`).
 */
export function contactStateQuery(db: Executor, organisationId: string, contactId: string) {
  return db
    .selectFrom('contacts')
    .select(CONTACT_STATE_COLUMNS)
    .where(organisationOfKeyed(db), '=', organisationId)
    .where('id', '=', contactId);
}

export interface ContactFilter {
  organisationId: string;
  /** Whose customers: the actor's record scope, narrowed by a requested owner. */
  scope: RecordScope;
  accountId?: string | undefined;
  segment?: string | undefined;
  status?: 'active' | 'unsubscribed' | 'bounced' | 'erased' | undefined;
  q?: string | undefined;
}

export async function listContacts(
  db: Executor,
  filter: ContactFilter,
  page: ListPage,
): Promise<Listed<ContactRow>> {
  let q = db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('organisation_id', '=', filter.organisationId);
  q = q.where(scopeCondition('owner_employee_id', filter.scope));
  if (filter.accountId) q = q.where('account_id', '=', filter.accountId);
  if (filter.segment) q = q.where('segment', '=', filter.segment);
  switch (filter.status) {
    case 'active':
      q = q
        .where('erased_at', 'is', null)
        .where('unsubscribed_at', 'is', null)
        .where('bounced_at', 'is', null);
      break;
    case 'unsubscribed':
      q = q.where('unsubscribed_at', 'is not', null).where('erased_at', 'is', null);
      break;
    case 'bounced':
      q = q.where('bounced_at', 'is not', null).where('erased_at', 'is', null);
      break;
    case 'erased':
      q = q.where('erased_at', 'is not', null);
      break;
    default:
      break;
  }
  for (const condition of searchConditions(filter.q)) q = q.where(condition);
  return keysetList(q, page);
}

export async function findContact(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Several contacts of the organisation by id (a batch of invitations), by id. */
export async function findContacts(
  db: Executor,
  organisationId: string,
  ids: readonly string[],
): Promise<Map<string, ContactRow>> {
  const found = new Map<string, ContactRow>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('contacts')
      .select(CONTACT_COLUMNS)
      .where('organisation_id', '=', organisationId)
      .where('id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

export async function findContactIdByKey(
  db: Executor,
  organisationId: string,
  key: { externalId: string | null; emailKey: string | null },
): Promise<
  | {
      id: string;
      external_id: string | null;
      email_key: string | null;
      owner_employee_id: string | null;
    }
  | undefined
> {
  if (key.externalId) {
    const byExternal = await db
      .selectFrom('contacts')
      .select(['id', 'external_id', 'email_key', 'owner_employee_id'])
      .where('organisation_id', '=', organisationId)
      .where('external_id', '=', key.externalId)
      .executeTakeFirst();
    if (byExternal) return byExternal;
  }
  if (key.emailKey) {
    return db
      .selectFrom('contacts')
      .select(['id', 'external_id', 'email_key', 'owner_employee_id'])
      .where('organisation_id', '=', organisationId)
      .where('email_key', '=', key.emailKey)
      .executeTakeFirst();
  }
  return undefined;
}

export async function insertContact(db: Executor, row: ContactTable): Promise<void> {
  await db.insertInto('contacts').values(row).execute();
}

/**
 * Updates a contact that is not erased; false when it is (or is gone). An erased contact is never
 * written again, whoever asks: on PostgreSQL an erasure that commits while this waits for the row
 * is seen (the condition is checked again on the row the erasure left), so an edit read before
 * the erasure never writes the person back. The erasure itself writes a contact not yet erased.
 */
export async function updateContact(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Omit<ContactTable, 'id' | 'organisation_id' | 'created_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('contacts')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertConsentEvent(
  db: Executor,
  row: {
    id: string;
    organisation_id: string;
    contact_id: string;
    kind: ConsentEventTable['kind'];
    source: string;
    created_at: number;
  },
): Promise<void> {
  await db.insertInto('consent_events').values(row).execute();
}

export async function listConsentEvents(db: Executor, organisationId: string, contactId: string) {
  return db
    .selectFrom('consent_events')
    .select(['id', 'kind', 'source', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

/** Employees and accounts referenced by a contact must belong to the same organisation. */
export async function employeeExists(
  db: Executor,
  organisationId: string,
  id: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('employees')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return !!row;
}

/**
 * Whether the account exists in the organisation and lies in the actor's record scope,
 * is one of theirs: a colleague's account answers like an unknown one.
 */
export async function accountExists(
  db: Executor,
  organisationId: string,
  id: string,
  scope: RecordScope,
): Promise<boolean> {
  const query = db
    .selectFrom('accounts')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where(scopeCondition('owner_employee_id', scope));
  return !!(await query.executeTakeFirst());
}

/** Whether a contact that `employeeId` manages belongs to the account. */
export async function accountHasContactOf(
  db: Executor,
  organisationId: string,
  accountId: string,
  employeeId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('contacts')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('account_id', '=', accountId)
    .where('owner_employee_id', '=', employeeId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Fingerprints of an erased contact's identifiers (a second erasure adds nothing). */
export async function insertErasedIdentifiers(
  db: Executor,
  organisationId: string,
  contactId: string,
  fingerprints: readonly string[],
  now: number,
): Promise<void> {
  if (fingerprints.length === 0) return;
  await db
    .insertInto('erased_identifiers')
    .values(
      fingerprints.map((fingerprint) => ({
        organisation_id: organisationId,
        fingerprint,
        contact_id: contactId,
        erased_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['organisation_id', 'fingerprint']).doNothing())
    .execute();
}

export async function countErasedIdentifiers(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<number> {
  const row = await db
    .selectFrom('erased_identifiers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Whether the organisation ever erased a contact with an identifier (one probe of the key). */
export async function hasErasedIdentifiers(db: Executor, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('erased_identifiers')
    .select('fingerprint')
    .where('organisation_id', '=', organisationId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Which of these fingerprints belong to an erased contact of the organisation. */
export async function erasedFingerprints(
  db: Executor,
  organisationId: string,
  fingerprints: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < fingerprints.length; i += 400) {
    const part = fingerprints.slice(i, i + 400);
    if (part.length === 0) continue;
    for (const r of await db
      .selectFrom('erased_identifiers')
      .select('fingerprint')
      .where('organisation_id', '=', organisationId)
      .where('fingerprint', 'in', part)
      .execute()) {
      found.add(r.fingerprint);
    }
  }
  return found;
}
