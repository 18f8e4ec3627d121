import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import type {
  AmbassadorTable,
  AmbassadorTaskTable,
  ReferralProgrammeTable,
  ReferralTable,
  RewardTable,
} from '../../db/schema.ts';
import { newId } from '../../shared/ids.ts';
import { scopeCondition, type RecordScope } from '../auth/record-scope.ts';

// ---- Programme ----

export async function findProgramme(db: Executor, organisationId: string) {
  return db
    .selectFrom('referral_programmes')
    .select(['organisation_id', 'enabled', 'settings', 'counter_token', 'updated_at'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

export async function upsertProgramme(db: Executor, row: ReferralProgrammeTable): Promise<void> {
  await db
    .insertInto('referral_programmes')
    .values(row)
    .onConflict((oc) =>
      oc.column('organisation_id').doUpdateSet({
        enabled: row.enabled,
        settings: row.settings,
        counter_token: row.counter_token,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** The programme behind a counter link, with its organisation's name and settings. */
export async function findProgrammeByCounterToken(db: Executor, token: string) {
  return db
    .selectFrom('referral_programmes as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select([
      'p.organisation_id',
      'p.enabled',
      'p.settings',
      'o.name as organisation_name',
      'o.locale as organisation_locale',
      'o.settings as organisation_settings',
    ])
    .where('p.counter_token', '=', token)
    .executeTakeFirst();
}

// ---- Ambassadors ----

export const AMBASSADOR_COLUMNS = [
  'a.id',
  'a.organisation_id',
  'a.contact_id',
  'a.status',
  'a.share_token',
  'a.link_token',
  'a.code',
  'a.show_name',
  'a.consent_text',
  'a.consent_source',
  'a.consent_at',
  'a.consent_user_id',
  'a.consent_note',
  'a.response_id',
  'a.referred_by_ambassador_id',
  'a.invited_at',
  'a.unsubscribed_at',
  'a.friend_page_views',
  'a.removed_at',
  'a.created_at',
  'a.updated_at',
] as const;

export type AmbassadorRow = Pick<
  AmbassadorTable,
  | 'id'
  | 'organisation_id'
  | 'contact_id'
  | 'status'
  | 'share_token'
  | 'link_token'
  | 'code'
  | 'show_name'
  | 'consent_text'
  | 'consent_source'
  | 'consent_at'
  | 'consent_user_id'
  | 'consent_note'
  | 'response_id'
  | 'referred_by_ambassador_id'
  | 'invited_at'
  | 'unsubscribed_at'
  | 'friend_page_views'
  | 'removed_at'
  | 'created_at'
  | 'updated_at'
>;

export async function insertAmbassador(db: Executor, row: AmbassadorTable): Promise<void> {
  await db.insertInto('ambassadors').values(row).execute();
}

/** One ambassador of the organisation, by a column of theirs: the base of every lookup. */
function ambassadorWhere(
  db: Executor,
  organisationId: string,
  column: 'a.id' | 'a.contact_id' | 'a.code',
  value: string,
) {
  return db
    .selectFrom('ambassadors as a')
    .select(AMBASSADOR_COLUMNS)
    .where('a.organisation_id', '=', organisationId)
    .where(column, '=', value)
    .executeTakeFirst();
}

export async function findAmbassador(db: Executor, organisationId: string, id: string) {
  return ambassadorWhere(db, organisationId, 'a.id', id);
}

export async function findAmbassadorByContact(
  db: Executor,
  organisationId: string,
  contactId: string,
) {
  return ambassadorWhere(db, organisationId, 'a.contact_id', contactId);
}

export async function findAmbassadorByCode(db: Executor, organisationId: string, code: string) {
  return ambassadorWhere(db, organisationId, 'a.code', code);
}

/** What a public page needs: the ambassador, their contact's name and the organisation. */
const PAGE_COLUMNS = [
  ...AMBASSADOR_COLUMNS,
  'c.name as contact_name',
  'c.first_name as contact_first_name',
  'c.email as contact_email',
  'c.language as contact_language',
  'c.owner_employee_id as contact_owner_employee_id',
  'o.name as organisation_name',
  'o.locale as organisation_locale',
  'o.settings as organisation_settings',
  'p.enabled as programme_enabled',
  'p.settings as programme_settings',
] as const;

function pageQuery(db: Executor) {
  return db
    .selectFrom('ambassadors as a')
    .innerJoin('contacts as c', (j) =>
      j.onRef('c.id', '=', 'a.contact_id').onRef('c.organisation_id', '=', 'a.organisation_id'),
    )
    .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('referral_programmes as p', 'p.organisation_id', 'a.organisation_id')
    .select(PAGE_COLUMNS);
}

export type AmbassadorPageRow = NonNullable<Awaited<ReturnType<typeof findAmbassadorPage>>>;

/** The ambassador behind a share token (their own page) or a link token (the friend's page). */
export async function findAmbassadorPage(
  db: Executor,
  by: 'share_token' | 'link_token',
  token: string,
) {
  return pageQuery(db)
    .where(by === 'share_token' ? 'a.share_token' : 'a.link_token', '=', token)
    .executeTakeFirst();
}

export async function findAmbassadorPageById(db: Executor, organisationId: string, id: string) {
  return pageQuery(db)
    .where('a.organisation_id', '=', organisationId)
    .where('a.id', '=', id)
    .executeTakeFirst();
}

export async function updateAmbassador(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Omit<AmbassadorTable, 'id' | 'organisation_id'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('ambassadors')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** No more programme emails to this ambassador; an earlier moment of unsubscribing stays. */
export async function markAmbassadorUnsubscribed(
  db: Executor,
  organisationId: string,
  id: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('ambassadors')
    .set({ unsubscribed_at: now, updated_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('unsubscribed_at', 'is', null)
    .execute();
}

export async function countFriendPageView(db: Executor, organisationId: string, id: string) {
  await db
    .updateTable('ambassadors')
    .set((eb) => ({ friend_page_views: eb('friend_page_views', '+', 1) }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/**
 * The base of every staff list and figure: the organisation's ambassadors joined to their contact
 * (`a`, `c`), within a record scope on the contact's owner — an account manager's lists and
 * dashboard hold the ambassadors among their own customers, and the referrals and rewards those
 * ambassadors brought. Referrals (`f`) and rewards (`w`) join on this, so "whose" is decided once.
 */
function ambassadorsInScope(db: Executor, organisationId: string, scope: RecordScope) {
  return db
    .selectFrom('ambassadors as a')
    .innerJoin('contacts as c', (j) =>
      j.onRef('c.id', '=', 'a.contact_id').onRef('c.organisation_id', '=', 'a.organisation_id'),
    )
    .where('a.organisation_id', '=', organisationId)
    .where(scopeCondition('c.owner_employee_id', scope));
}

/** Referrals (`f`) of the ambassadors in scope (`a`, `c`). */
function referralsInScope(db: Executor, organisationId: string, scope: RecordScope) {
  return ambassadorsInScope(db, organisationId, scope).innerJoin('referrals as f', (j) =>
    j.onRef('f.ambassador_id', '=', 'a.id').onRef('f.organisation_id', '=', 'a.organisation_id'),
  );
}

/** Rewards (`w`) of the ambassadors in scope (`a`, `c`). */
function rewardsInScope(db: Executor, organisationId: string, scope: RecordScope) {
  return ambassadorsInScope(db, organisationId, scope).innerJoin('rewards as w', (j) =>
    j.onRef('w.ambassador_id', '=', 'a.id').onRef('w.organisation_id', '=', 'a.organisation_id'),
  );
}

export interface RegisterFilter {
  organisationId: string;
  /** Account managers see only the ambassadors among their own customers. */
  scope: RecordScope;
  status?: 'active' | 'paused' | 'removed' | undefined;
  /** One ambassador's row (the detail screen's), however far down the register. */
  id?: string;
  limit: number;
}

/** The register: every ambassador with name, owner, latest score and counts, newest first. */
export async function listRegister(db: Executor, f: RegisterFilter) {
  let q = ambassadorsInScope(db, f.organisationId, f.scope)
    .leftJoin('employees as e', 'e.id', 'c.owner_employee_id')
    .select([
      ...AMBASSADOR_COLUMNS,
      'c.name as contact_name',
      'c.email as contact_email',
      'c.owner_employee_id',
      'e.name as owner_name',
      (eb) =>
        eb
          .selectFrom('responses as r')
          .select('r.score')
          .whereRef('r.organisation_id', '=', 'a.organisation_id')
          .whereRef('r.contact_id', '=', 'a.contact_id')
          .orderBy('r.answered_at', 'desc')
          .limit(1)
          .as('latest_score'),
      (eb) =>
        eb
          .selectFrom('referrals as f')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('f.organisation_id', '=', 'a.organisation_id')
          .whereRef('f.ambassador_id', '=', 'a.id')
          .as('referral_count'),
      (eb) =>
        eb
          .selectFrom('referrals as f')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('f.organisation_id', '=', 'a.organisation_id')
          .whereRef('f.ambassador_id', '=', 'a.id')
          .where('f.status', '=', 'converted')
          .as('conversion_count'),
      (eb) =>
        eb
          .selectFrom('rewards as w')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('w.organisation_id', '=', 'a.organisation_id')
          .whereRef('w.ambassador_id', '=', 'a.id')
          .where('w.recipient', '=', 'ambassador')
          .where('w.status', 'in', ['issued', 'redeemed', 'expired'])
          .as('reward_count'),
    ]);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.id !== undefined) q = q.where('a.id', '=', f.id);
  return q.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(f.limit).execute();
}

/** The contact's answers, newest first: the ambassador's score history. */
export async function scoreHistory(db: Executor, organisationId: string, contactId: string) {
  return db
    .selectFrom('responses')
    .select(['id', 'score', 'category', 'answered_at'])
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .orderBy('answered_at', 'desc')
    .limit(20)
    .execute();
}

/** Contact details the fraud rules compare (email, phone and free attributes). */
export async function contactIdentity(db: Executor, organisationId: string, contactId: string) {
  return db
    .selectFrom('contacts')
    .select(['id', 'name', 'email', 'phone', 'attributes', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', contactId)
    .executeTakeFirst();
}

/**
 * Customers whose email or phone could be the friend's: email by its lower-cased key (the contacts'
 * unique key), phone by its `phoneKey`; the caller compares what they share.
 */
export async function customersMatching(
  db: Executor,
  organisationId: string,
  emailKey: string | null,
  phoneKey: string | null,
) {
  if (!emailKey && !phoneKey) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'email', 'phone', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .where('erased_at', 'is', null)
    .where((eb) => {
      const ors = [];
      if (emailKey) ors.push(eb('email_key', '=', emailKey));
      if (phoneKey) ors.push(eb('phone_key', '=', phoneKey));
      return eb.or(ors);
    })
    .limit(50)
    .execute();
}

// ---- Referrals ----

export const REFERRAL_COLUMNS = [
  'id',
  'organisation_id',
  'ambassador_id',
  'source',
  'status',
  'friend_name',
  'friend_email',
  'friend_phone',
  'locale',
  'consent_text',
  'consent_at',
  'verdict',
  'findings',
  'contact_id',
  'converted_at',
  'conversion_ref',
  'conversion_amount_cents',
  'conversion_cancelled_at',
  'erased_at',
  'created_at',
  'updated_at',
] as const;

export type ReferralRow = Pick<ReferralTable, (typeof REFERRAL_COLUMNS)[number]>;

export async function insertReferral(db: Executor, row: ReferralTable): Promise<void> {
  await db.insertInto('referrals').values(row).execute();
}

/**
 * A referral; with `lock` (PostgreSQL) its row is locked to the end of the transaction, so a second
 * conversion of the same lead waits for the first and then reads it converted.
 */
export async function findReferral(
  db: Executor,
  organisationId: string,
  id: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .selectFrom('referrals')
    .select(REFERRAL_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id);
  return options.lock && isPostgres(db)
    ? query.forUpdate().executeTakeFirst()
    : query.executeTakeFirst();
}

export async function updateReferral(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Omit<ReferralTable, 'id' | 'organisation_id'>>,
): Promise<void> {
  await db
    .updateTable('referrals')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/**
 * Records a referral's conversion unless it was converted already; false when it was: a writer
 * that read the lead without its lock (`findReferral`) cannot convert it a second time.
 */
export async function markConverted(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Omit<ReferralTable, 'id' | 'organisation_id'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('referrals')
    .set({ ...patch, status: 'converted' })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('status', '<>', 'converted')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The milestones (friend counts) the ambassador holds a reward for that was not voided. */
export async function earnedMilestones(
  db: Executor,
  organisationId: string,
  ambassadorId: string,
): Promise<Set<number>> {
  const rows = await db
    .selectFrom('rewards')
    .select('milestone')
    .where('organisation_id', '=', organisationId)
    .where('ambassador_id', '=', ambassadorId)
    .where('reason', '=', 'milestone')
    .where('status', '<>', 'voided')
    .execute();
  return new Set(rows.flatMap((r) => (r.milestone === null ? [] : [Number(r.milestone)])));
}

/** Whether any of these referrals gave its friend a welcome offer that was not voided. */
export async function welcomeGiven(
  db: Executor,
  organisationId: string,
  referralIds: readonly string[],
): Promise<boolean> {
  if (referralIds.length === 0) return false;
  const row = await db
    .selectFrom('rewards')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('referral_id', 'in', referralIds)
    .where('reason', '=', 'welcome')
    .where('status', '<>', 'voided')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Serialises the leads of one friend (by email and by phone key) until the transaction ends: a
 * friend's form sent twice at once, or by two ambassadors' links at once, must not both miss the
 * other's lead and give two welcome offers. PostgreSQL takes a transaction-scoped advisory lock per
 * key (PgBouncer's transaction mode keeps no session), the email key's before the phone key's so
 * two writers never wait on each other in opposite orders; SQLite has one writer and the
 * transaction already holds the only connection.
 */
export async function lockFriend(
  db: Executor,
  organisationId: string,
  emailKey: string | null,
  phoneKey: string | null,
): Promise<void> {
  if (!isPostgres(db)) return;
  for (const key of [emailKey && `e:${emailKey}`, phoneKey && `p:${phoneKey}`]) {
    if (!key) continue;
    await sql`select pg_advisory_xact_lock(hashtext('referral_friends'), hashtext(${`${organisationId}:${key}`}))`.execute(
      db,
    );
  }
}

/** Earlier referrals of the same friend, by email or phone key. */
export async function referralsOfFriend(
  db: Executor,
  organisationId: string,
  emailKey: string | null,
  phoneKey: string | null,
) {
  // By the email key, then by the phone key, each on its own index: one `or` of the two made
  // SQLite read every referral of the organisation (it keeps no statistics here).
  const byKey = (column: 'friend_email_key' | 'friend_phone_key', key: string) =>
    db
      .selectFrom('referrals')
      .select(['id', 'ambassador_id', 'created_at', 'status', 'verdict'])
      .where('organisation_id', '=', organisationId)
      .where(column, '=', key)
      .execute();
  const rows = emailKey ? await byKey('friend_email_key', emailKey) : [];
  if (!phoneKey) return rows;
  const seen = new Set(rows.map((r) => r.id));
  for (const row of await byKey('friend_phone_key', phoneKey))
    if (!seen.has(row.id)) rows.push(row);
  return rows;
}

/**
 * The leads left through an ambassador's link by a friend with exactly these keys (no email key
 * where `emailKey` is null, likewise the phone), made at or after `since`.
 */
export async function linkLeadsWithKeys(
  db: Executor,
  organisationId: string,
  ambassadorId: string,
  emailKey: string | null,
  phoneKey: string | null,
  since: number,
) {
  return db
    .selectFrom('referrals')
    .select(['id', 'friend_name', 'status', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .where('ambassador_id', '=', ambassadorId)
    .where('source', '=', 'link')
    .where('friend_email_key', emailKey === null ? 'is' : '=', emailKey)
    .where('friend_phone_key', phoneKey === null ? 'is' : '=', phoneKey)
    .where('created_at', '>=', since)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** When the ambassador's recent referrals were made (the burst rule). */
export async function recentReferralTimes(
  db: Executor,
  organisationId: string,
  ambassadorId: string,
  since: number,
): Promise<{ id: string; created_at: number }[]> {
  return db
    .selectFrom('referrals')
    .select(['id', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .where('ambassador_id', '=', ambassadorId)
    .where('created_at', '>=', since)
    .execute();
}

/**
 * Converted referrals of an ambassador whose conversion stands and counts (milestones): not
 * cancelled, and not judged ineligible (a self-referral or an existing customer earns nothing,
 * and brings no milestone closer).
 */
export async function countStandingConversions(
  db: Executor,
  organisationId: string,
  ambassadorId: string,
): Promise<number> {
  const row = await db
    .selectFrom('referrals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('ambassador_id', '=', ambassadorId)
    .where('status', '=', 'converted')
    .where('conversion_cancelled_at', 'is', null)
    .where('verdict', '<>', 'ineligible')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export interface ReferralFilter {
  organisationId: string;
  /** An account manager sees the referrals of the ambassadors among their own customers. */
  scope: RecordScope;
  ambassadorId?: string | undefined;
  verdict?: 'eligible' | 'review' | 'ineligible' | undefined;
  status?: 'lead' | 'contacted' | 'converted' | 'lost' | undefined;
  limit: number;
}

export async function listReferrals(db: Executor, f: ReferralFilter) {
  let q = referralsInScope(db, f.organisationId, f.scope).select([
    ...REFERRAL_COLUMNS.map((c) => `f.${c}` as const),
    'c.name as ambassador_name',
    'c.owner_employee_id as ambassador_owner_employee_id',
  ]);
  if (f.ambassadorId) q = q.where('f.ambassador_id', '=', f.ambassadorId);
  if (f.verdict) q = q.where('f.verdict', '=', f.verdict);
  if (f.status) q = q.where('f.status', '=', f.status);
  return q.orderBy('f.created_at', 'desc').orderBy('f.id', 'desc').limit(f.limit).execute();
}

/**
 * The referrals of a person as the friend: those converted into this contact and, with
 * `mailbox` (their `emailKey`), the leads not converted yet that carry it, oldest first. Not by
 * phone: a household or a switchboard shares one, and another person's lead is not theirs to
 * erase. The two are read apart, each by its index (`referrals_org_contact`, `referrals_org_email`):
 * an `or` of them is served by neither, and SQLite then read every referral of the organisation.
 */
export async function listContactReferrals(
  db: Executor,
  organisationId: string,
  contactId: string,
  mailbox: string | null = null,
) {
  const ofContact = db
    .selectFrom('referrals')
    .select(REFERRAL_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId);
  if (!mailbox) return ofContact.execute();
  // The mailbox's referrals, converted or not: `contact_id is null` in the statement would have
  // SQLite read them by `referrals_org_contact`, all the organisation's open leads. Those converted
  // into someone else are dropped below (this contact's are found by the contact as well).
  const byMailbox = db
    .selectFrom('referrals')
    .select(REFERRAL_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('friend_email_key', '=', mailbox);
  const rows = await db
    .selectFrom(ofContact.union(byMailbox).as('r'))
    .selectAll()
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.filter((r) => r.contact_id === null || r.contact_id === contactId);
}

/**
 * Clears the friend's details of one referral; the fact and its outcome stay. `conversion`: the
 * friend themself is erased (their visits lose their numbers and ids), so the number of the visit
 * that converted them goes too. A lead erased on its own keeps it: the friend's visit still carries
 * it, and a refund of that visit must still find the referral to void the reward.
 */
export async function eraseReferral(
  db: Executor,
  organisationId: string,
  id: string,
  now: number,
  options: { conversion: boolean } = { conversion: false },
): Promise<void> {
  await db
    .updateTable('referrals')
    .set({
      friend_name: null,
      friend_email: null,
      friend_phone: null,
      friend_email_key: null,
      friend_phone_key: null,
      ...(options.conversion ? { conversion_ref: null } : {}),
      erased_at: now,
      updated_at: now,
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/** The friend asked not to be contacted again: their email and phone go, the lead is lost. */
export async function withdrawFriendContact(
  db: Executor,
  organisationId: string,
  id: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('referrals')
    .set({ friend_email: null, friend_phone: null, updated_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
  await db
    .updateTable('referrals')
    .set({ status: 'lost' })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('status', 'in', ['lead', 'contacted'])
    .execute();
}

/**
 * Leads that never became customers and are older than the cutoff: their friend's details go
 * (storage limitation); the count of referrals stays.
 */
export async function staleLeadIds(
  db: Executor,
  organisationId: string,
  cutoff: number,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('referrals')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('erased_at', 'is', null)
    .where('status', 'in', ['lead', 'contacted', 'lost'])
    .where('created_at', '<', cutoff)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

// ---- Rewards ----

export const REWARD_COLUMNS = [
  'id',
  'organisation_id',
  'referral_id',
  'ambassador_id',
  'recipient',
  'reason',
  'milestone',
  'kind',
  'description',
  'cost_cents',
  'valid_months',
  'status',
  'code',
  'token',
  'hold_until',
  'issued_at',
  'valid_until',
  'redeemed_at',
  'redeemed_via',
  'voided_at',
  'void_reason',
  'review_note',
  'reviewed_by',
  'created_at',
  'updated_at',
] as const;

export type RewardRow = Pick<RewardTable, (typeof REWARD_COLUMNS)[number]>;

export async function insertReward(db: Executor, row: RewardTable): Promise<void> {
  await db.insertInto('rewards').values(row).execute();
}

/** One reward of the organisation, by its id or its code. */
function rewardWhere(db: Executor, organisationId: string, column: 'id' | 'code', value: string) {
  return db
    .selectFrom('rewards')
    .select(REWARD_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where(column, '=', value)
    .executeTakeFirst();
}

export async function findReward(db: Executor, organisationId: string, id: string) {
  return rewardWhere(db, organisationId, 'id', id);
}

export async function findRewardByCode(db: Executor, organisationId: string, code: string) {
  return rewardWhere(db, organisationId, 'code', code);
}

/** A voucher page: the reward, who holds it, and the organisation. */
export async function findVoucherPage(db: Executor, token: string) {
  return db
    .selectFrom('rewards as w')
    .innerJoin('organisations as o', 'o.id', 'w.organisation_id')
    .innerJoin('ambassadors as a', 'a.id', 'w.ambassador_id')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .innerJoin('referrals as f', 'f.id', 'w.referral_id')
    .select([
      ...REWARD_COLUMNS.map((c) => `w.${c}` as const),
      'o.name as organisation_name',
      'o.settings as organisation_settings',
      'c.language as ambassador_language',
      'a.unsubscribed_at as ambassador_unsubscribed_at',
      'f.locale as friend_locale',
    ])
    .where('w.token', '=', token)
    .executeTakeFirst();
}

export async function rewardsOfReferral(db: Executor, organisationId: string, referralId: string) {
  return db
    .selectFrom('rewards')
    .select(REWARD_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('referral_id', '=', referralId)
    .execute();
}

/**
 * Which of these referrals hold a friend's welcome voucher that is still valid at `now`: issued
 * and not past its last day (the outbox's "try again" for a welcome offer).
 */
export async function referralsWithValidWelcome(
  db: Executor,
  organisationId: string,
  referralIds: readonly string[],
  now: number,
): Promise<string[]> {
  if (referralIds.length === 0) return [];
  const rows = await db
    .selectFrom('rewards')
    .select('referral_id')
    .distinct()
    .where('organisation_id', '=', organisationId)
    .where('referral_id', 'in', [...referralIds])
    .where('recipient', '=', 'friend')
    .where('status', '=', 'issued')
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now)]))
    .execute();
  return rows.map((r) => r.referral_id);
}

export async function rewardsOfAmbassador(
  db: Executor,
  organisationId: string,
  ambassadorId: string,
) {
  return db
    .selectFrom('rewards')
    .select(REWARD_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('ambassador_id', '=', ambassadorId)
    .where('recipient', '=', 'ambassador')
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * Moves a reward from one of `from` to a new state; false when another request moved it first
 * (the counter's "redeem once" rests on this compare-and-set).
 */
export async function transitionReward(
  db: Executor,
  organisationId: string,
  id: string,
  from: readonly RewardTable['status'][],
  patch: Partial<Omit<RewardTable, 'id' | 'organisation_id'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('rewards')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface RewardFilter {
  organisationId: string;
  /** An account manager sees the rewards of the ambassadors among their own customers. */
  scope: RecordScope;
  status?: RewardTable['status'] | undefined;
  ambassadorId?: string | undefined;
  limit: number;
}

/** The ledger, newest first, with the ambassador's name. */
export async function listRewards(db: Executor, f: RewardFilter) {
  let q = rewardsInScope(db, f.organisationId, f.scope)
    .innerJoin('referrals as f', (j) =>
      j.onRef('f.id', '=', 'w.referral_id').onRef('f.organisation_id', '=', 'w.organisation_id'),
    )
    .select([
      ...REWARD_COLUMNS.map((c) => `w.${c}` as const),
      'c.name as ambassador_name',
      'f.friend_name',
      'f.verdict',
      'f.findings',
    ]);
  if (f.status) q = q.where('w.status', '=', f.status);
  if (f.ambassadorId) q = q.where('w.ambassador_id', '=', f.ambassadorId);
  return q.orderBy('w.created_at', 'desc').orderBy('w.id', 'desc').limit(f.limit).execute();
}

/** Count and cost per status, for the ledger's totals (expired counted from validity at `now`). */
export async function rewardTotals(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  now: number,
) {
  const effective = sql<string>`case when w.status = 'issued' and w.valid_until is not null and w.valid_until <= ${now} then 'expired' else w.status end`;
  return (
    rewardsInScope(db, organisationId, scope)
      .select([
        effective.as('status'),
        (eb) => eb.fn.countAll<number>().as('count'),
        (eb) => eb.fn.sum<number>('w.cost_cents').as('cost_cents'),
      ])
      // By position: PostgreSQL would see the expression's parameter twice as two expressions.
      .groupBy(sql`1`)
      .execute()
  );
}

/** Pending rewards whose hold is over (the daily sweep behind the per-reward release job). */
export async function dueRewardIds(db: Executor, now: number, limit: number) {
  return db
    .selectFrom('rewards')
    .select(['id', 'organisation_id'])
    .where('status', '=', 'pending')
    .where('hold_until', '<=', now)
    .limit(limit)
    .execute();
}

// ---- Counter lockout ----

export async function recordCodeMiss(
  db: Executor,
  organisationId: string,
  addressHash: string,
  now: number,
): Promise<void> {
  await db
    .insertInto('code_misses')
    .values({
      id: newId(),
      organisation_id: organisationId,
      address_hash: addressHash,
      created_at: now,
    })
    .execute();
}

/** Misses since `since`: for the organisation, and for one address in it. */
export async function countCodeMisses(
  db: Executor,
  organisationId: string,
  addressHash: string,
  since: number,
) {
  const row = await db
    .selectFrom('code_misses')
    .select([
      (eb) => eb.fn.countAll<number>().as('organisation'),
      (eb) =>
        eb.fn
          .sum<number>(eb.case().when('address_hash', '=', addressHash).then(1).else(0).end())
          .as('address'),
    ])
    .where('organisation_id', '=', organisationId)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return { organisation: Number(row?.organisation ?? 0), address: Number(row?.address ?? 0) };
}

export async function deleteCodeMissesBefore(db: Executor, before: number): Promise<void> {
  await db.deleteFrom('code_misses').where('created_at', '<', before).execute();
}

// ---- Thank-you tasks ----

export async function insertTaskIfAbsent(db: Executor, row: AmbassadorTaskTable): Promise<void> {
  await db
    .insertInto('ambassador_tasks')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'ambassador_id', 'kind', 'referral_id']).doNothing(),
    )
    .execute();
}

export async function listTasks(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  open: boolean,
  limit: number,
) {
  let q = ambassadorsInScope(db, organisationId, scope)
    .innerJoin('ambassador_tasks as t', (j) =>
      j.onRef('t.ambassador_id', '=', 'a.id').onRef('t.organisation_id', '=', 'a.organisation_id'),
    )
    .select([
      't.id',
      't.ambassador_id',
      't.kind',
      't.referral_id',
      't.done_at',
      't.done_by',
      't.created_at',
      'c.name as ambassador_name',
      'c.first_name as ambassador_first_name',
    ]);
  q = open ? q.where('t.done_at', 'is', null) : q;
  return q.orderBy('t.created_at', 'desc').limit(limit).execute();
}

export async function setTaskDone(
  db: Executor,
  organisationId: string,
  id: string,
  done: { at: number; by: string } | null,
): Promise<boolean> {
  const r = await db
    .updateTable('ambassador_tasks')
    .set({ done_at: done?.at ?? null, done_by: done?.by ?? null })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// ---- Dashboard ----

/**
 * A referral whose conversion stands: converted, that first visit not cancelled or refunded, and
 * not judged ineligible (a self-referral or an existing customer is no friend won), as the
 * milestones count them (`countStandingConversions`).
 */
const STANDING = sql`f.status = 'converted' and f.conversion_cancelled_at is null
  and f.verdict <> 'ineligible'`;
const standingConversions = sql<number>`sum(case when ${STANDING} then 1 else 0 end)`;

/** Customers in scope who gave a 9 or 10 (`r`), for the pool against the promoters. */
function promotersInScope(db: Executor, organisationId: string, scope: RecordScope) {
  return db
    .selectFrom('responses as r')
    .innerJoin('contacts as c', (j) =>
      j.onRef('c.id', '=', 'r.contact_id').onRef('c.organisation_id', '=', 'r.organisation_id'),
    )
    .where('r.organisation_id', '=', organisationId)
    .where('r.category', '=', 'promoter')
    .where(scopeCondition('c.owner_employee_id', scope));
}

/**
 * The programme's funnel since `since`, in a handful of aggregate queries. The ambassadors and
 * their friend-page visits are those in the register — active or paused, not removed — the same
 * ones `figuresPerAmbassador` gives a row and `poolPerMonth` counts, so the total adds up to the
 * rows: a pause is temporary, and a paused ambassador's earlier sharing still brings friends.
 * Visits are a running count per ambassador (no time per visit): since they joined, whatever
 * the period; `shareLeads` are the same ambassadors' friend-page sign-ups over that same span,
 * to divide them by. Leads and conversions are every referral in the period, a removed
 * ambassador's too: they happened (the dashboard shows them on a row of their own).
 */
export async function programmeFigures(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  since: number,
) {
  const ambassadors = await ambassadorsInScope(db, organisationId, scope)
    .select([
      (eb) => eb.fn.countAll<number>().as('total'),
      (eb) => eb.fn.sum<number>('a.friend_page_views').as('views'),
    ])
    .where('a.status', '!=', 'removed')
    .executeTakeFirst();
  const referrals = await referralsInScope(db, organisationId, scope)
    .select([(eb) => eb.fn.countAll<number>().as('leads'), standingConversions.as('conversions')])
    .where('f.created_at', '>=', since)
    .executeTakeFirst();
  const shareLeads = await referralsInScope(db, organisationId, scope)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('a.status', '!=', 'removed')
    .where('f.source', '=', 'link')
    .executeTakeFirst();
  const promoters = await promotersInScope(db, organisationId, scope)
    .select((eb) => eb.fn.count<number>('r.contact_id').distinct().as('n'))
    .where('r.answered_at', '>=', since)
    .executeTakeFirst();
  return {
    ambassadors: Number(ambassadors?.total ?? 0),
    shareVisits: Number(ambassadors?.views ?? 0),
    shareLeads: Number(shareLeads?.n ?? 0),
    leads: Number(referrals?.leads ?? 0),
    conversions: Number(referrals?.conversions ?? 0),
    promoters: Number(promoters?.n ?? 0),
  };
}

/**
 * Leads and conversions since `since` per ambassador's account manager: a row for every account
 * manager (or none) with ambassadors in scope, with or without leads in the period.
 */
export async function figuresPerOwner(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  since: number,
) {
  return ambassadorsInScope(db, organisationId, scope)
    .leftJoin('referrals as f', (j) =>
      j
        .onRef('f.ambassador_id', '=', 'a.id')
        .onRef('f.organisation_id', '=', 'a.organisation_id')
        .on('f.created_at', '>=', since),
    )
    .leftJoin('employees as e', (j) =>
      j
        .onRef('e.id', '=', 'c.owner_employee_id')
        .onRef('e.organisation_id', '=', 'c.organisation_id'),
    )
    .select([
      'c.owner_employee_id as owner_employee_id',
      'e.name as owner_name',
      (eb) => eb.fn.count<number>('f.id').as('leads'),
      standingConversions.as('conversions'),
    ])
    .groupBy(['c.owner_employee_id', 'e.name'])
    .execute();
}

/**
 * Leads, conversions and reward cost per ambassador since `since`, and their friend-page visits
 * since they joined (a running count): every ambassador in the register (active or paused), and
 * the removed ones, marked `removed`, for the dashboard to sum on a row of their own.
 *
 * A reward is the period's by the moment it was created — when the conversion (or sign-up, for a
 * friend's welcome) earned it — pending, in review, issued, redeemed or expired alike; a voided
 * one costs nothing. Not by `issued_at`: a reward held or in review has none yet, and one voided
 * in its hold never gets one, so the cost the programme took on would show up only weeks later,
 * and a past period's figure would change when a hold ends. The dashboard's tile is the sum of
 * these, so the tile and the column count the same rewards.
 */
export async function figuresPerAmbassador(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  since: number,
) {
  const [people, referrals, rewards] = await Promise.all([
    ambassadorsInScope(db, organisationId, scope)
      .select(['a.id', 'c.name', 'a.friend_page_views', 'a.status'])
      .execute(),
    referralsInScope(db, organisationId, scope)
      .select([
        'f.ambassador_id',
        (eb) => eb.fn.countAll<number>().as('leads'),
        standingConversions.as('conversions'),
      ])
      .where('f.created_at', '>=', since)
      .groupBy('f.ambassador_id')
      .execute(),
    rewardsInScope(db, organisationId, scope)
      .select(['w.ambassador_id', (eb) => eb.fn.sum<number>('w.cost_cents').as('cost_cents')])
      .where('w.status', '!=', 'voided')
      .where('w.created_at', '>=', since)
      .groupBy('w.ambassador_id')
      .execute(),
  ]);
  const byReferral = new Map(referrals.map((r) => [r.ambassador_id, r]));
  const byReward = new Map(rewards.map((r) => [r.ambassador_id, r]));
  return people.map((p) => {
    const r = byReferral.get(p.id);
    return {
      ambassadorId: p.id,
      name: p.name,
      removed: p.status === 'removed',
      shareVisits: Number(p.friend_page_views),
      leads: Number(r?.leads ?? 0),
      conversions: Number(r?.conversions ?? 0),
      rewardCostCents: Number(byReward.get(p.id)?.cost_cents ?? 0),
    };
  });
}

/**
 * The pool over time: for each month (UTC, `[start, end)`), the ambassadors in the register at its
 * end and the customers who gave a 9 or 10 in it — two aggregate queries whatever the months.
 */
export async function poolPerMonth(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  months: readonly { start: number; end: number }[],
) {
  if (months.length === 0) return [];
  const pool = await ambassadorsInScope(db, organisationId, scope)
    .select((eb) =>
      months.map((m, i) =>
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(
                eb.and([
                  eb('a.created_at', '<', m.end),
                  eb.or([eb('a.removed_at', 'is', null), eb('a.removed_at', '>=', m.end)]),
                ]),
              )
              .then(1)
              .else(0)
              .end(),
          )
          .as(`m${i}`),
      ),
    )
    .executeTakeFirst();
  const first = months[0]?.start ?? 0;
  const promoters = await promotersInScope(db, organisationId, scope)
    .select((eb) =>
      months.map((m, i) =>
        eb.fn
          .count<number>(
            eb
              .case()
              .when(eb.and([eb('r.answered_at', '>=', m.start), eb('r.answered_at', '<', m.end)]))
              .then(eb.ref('r.contact_id'))
              .end(),
          )
          .distinct()
          .as(`m${i}`),
      ),
    )
    .where('r.answered_at', '>=', first)
    .executeTakeFirst();
  const read = (row: Record<string, unknown> | undefined, i: number) =>
    Number((row as Record<string, number | string | null> | undefined)?.[`m${i}`] ?? 0);
  return months.map((_, i) => ({ ambassadors: read(pool, i), promoters: read(promoters, i) }));
}

/** Who a voucher is for: the ambassador, or the friend (for a welcome offer). */
export async function voucherHolderName(
  db: Executor,
  organisationId: string,
  reward: Pick<RewardTable, 'referral_id' | 'recipient'>,
): Promise<string | null> {
  const holder = await db
    .selectFrom('ambassadors as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .innerJoin('referrals as f', 'f.ambassador_id', 'a.id')
    .select(['c.name as ambassador_name', 'f.friend_name'])
    .where('a.organisation_id', '=', organisationId)
    .where('f.id', '=', reward.referral_id)
    .executeTakeFirst();
  return (reward.recipient === 'friend' ? holder?.friend_name : holder?.ambassador_name) ?? null;
}
