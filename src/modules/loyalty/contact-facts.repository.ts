import { sql, type RawBuilder } from 'kysely';
import { isPostgres } from '../../db/dialect.ts';
import type { Executor } from '../../db/database.ts';
import type { LoyaltyContactFactsTable } from '../../db/schema.ts';
import {
  originEffect,
  type KeptOrigin,
  type SentInvitation,
} from '../../domain/loyalty/sent-invitation-origin.ts';

/**
 * The loyalty report's facts per contact (`loyalty_contact_facts`): from one origin — the latest
 * answer, or for a contact who never answered the latest invitation a mail server accepted — the
 * next completed visit, the completed visits in the year before, the revenue in the year after;
 * and, whatever the origin, first and last completed visit, their number and the revenue.
 *
 * One statement computes them, for the whole organisation (the rebuild) or for a few contacts (the
 * subscribers, after a visit, an answer or a sent invitation), so the kept rows are by
 * construction what a rebuild would write. A row exists for a contact with an origin, a completed
 * visit or revenue.
 */

const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** Contacts per statement: well below either database's parameter limit. */
const CHUNK = 500;

export const FACT_COLUMNS = [
  'contact_id',
  'origin_at',
  'category',
  'score',
  'next_visit_at',
  'prior_visits',
  'revenue_after_cents',
  'first_visit_at',
  'last_visit_at',
  'visits',
  'revenue_cents',
] as const;

export type ContactFacts = Pick<LoyaltyContactFactsTable, (typeof FACT_COLUMNS)[number]>;

/** `and <column> in (...)` for a list of contacts, or nothing for the whole organisation. */
function within(column: string, contactIds: readonly string[] | null): RawBuilder<unknown> {
  if (contactIds === null) return sql``;
  return sql`and ${sql.ref(column)} in (${sql.join(contactIds)})`;
}

/**
 * A contact's origin as the caller knows it: their latest answer, or for a non-respondent the
 * invitation just sent (no score).
 */
export interface KnownOrigin {
  contactId: string;
  answeredAt: number;
  score: number | null;
  category: string;
}

/**
 * Where the origins come from: the answers and sent invitations (`all`); the answers only, for
 * contacts known to have one (`answers`: a non-respondent's origin cannot apply, so the
 * invitations are not read); or the caller, who knows them.
 */
export type OriginSource = 'all' | 'answers' | { given: readonly KnownOrigin[] };

/**
 * Each contact's origin, as a common table expression `origins(contact_id, score, category,
 * origin)`.
 */
function originsTable(
  organisationId: string,
  contactIds: readonly string[] | null,
  source: OriginSource,
): RawBuilder<unknown> {
  if (typeof source === 'object') {
    const given = source.given;
    // Typed placeholders: PostgreSQL would otherwise read every value of the list as text.
    const rows = given.map(
      (o) =>
        sql`(cast(${o.contactId} as text), cast(${o.score} as integer), cast(${o.category} as text), cast(${o.answeredAt} as bigint))`,
    );
    return sql`origins(contact_id, score, category, origin) as (values ${sql.join(rows)})`;
  }
  const others = source === 'all' ? nonRespondents(organisationId, contactIds) : sql``;
  if (contactIds === null) {
    // The whole organisation: one pass over its answers, numbered per contact.
    return sql`answered as (
      select r.contact_id, r.score, r.category, r.answered_at as origin,
        row_number() over (partition by r.contact_id order by r.answered_at desc, r.id desc) as nth
      from responses r
      where r.organisation_id = ${organisationId} and r.contact_id is not null
    ),
    origins as (
      select contact_id, score, category, origin from answered where nth = 1
      ${others}
    )`;
  }
  // A few contacts: each one's latest answer, looked up by contact. SQLite, which keeps no
  // statistics here, would rather walk an index in the order asked for than sort a few rows: the
  // numbering above, limited to these contacts, read every answer of the organisation in time
  // order (0.2 s at 80,000 answers). The order below is an expression (`+`), which no index
  // gives, so the contact's own answers are read and sorted.
  return sql`origins as (
      select r.contact_id, r.score, r.category, r.answered_at as origin
      from responses r
      where r.organisation_id = ${organisationId} ${within('r.contact_id', contactIds)}
        and r.id = (
          select l.id from responses l
          where l.organisation_id = r.organisation_id and l.contact_id = r.contact_id
          order by +l.answered_at desc, l.id desc
          limit 1
        )
      ${others}
    )`;
}

/**
 * `union all` the non-respondents' origins: their latest invitation a mail server accepted. A
 * contact whose answer retention anonymised (it no longer names them) did answer — an invitation
 * of theirs says so — and is no non-respondent: they have no origin any more.
 */
function nonRespondents(organisationId: string, contactIds: readonly string[] | null) {
  return sql`union all
      select i.contact_id, cast(null as integer) as score, 'non_respondent' as category,
        max(i.sent_at) as origin
      from invitations i
      where i.organisation_id = ${organisationId} and i.sent_at is not null
        ${within('i.contact_id', contactIds)}
        and not exists (
          select 1 from responses r
          where r.organisation_id = i.organisation_id and r.contact_id = i.contact_id
        )
        and not exists (
          select 1 from invitations j
          where j.organisation_id = i.organisation_id and j.contact_id = i.contact_id
            and j.responded_at is not null
        )
      group by i.contact_id`;
}

/**
 * The facts of the organisation's contacts (or of some), one row per contact, as a select; from
 * the origins given, or else computed.
 */
function factsSelect(
  organisationId: string,
  contactIds: readonly string[] | null,
  now: number,
  keepEmpty: boolean,
  source: OriginSource = 'all',
): RawBuilder<unknown> {
  const completed = sql`coalesce(sum(case when v.status = 'completed' then 1 else 0 end), 0)`;
  const revenue = sql`coalesce(sum(case when v.status <> 'cancelled' then v.amount_cents else 0 end), 0)`;
  return sql`
    with ${originsTable(organisationId, contactIds, source)}
    select c.organisation_id, c.id, max(o.origin), max(o.category), max(o.score),
      min(case when v.status = 'completed' and v.visited_at > o.origin then v.visited_at end),
      coalesce(sum(case when v.status = 'completed' and v.visited_at <= o.origin
        and v.visited_at > o.origin - ${YEAR} then 1 else 0 end), 0),
      coalesce(sum(case when v.status <> 'cancelled' and v.visited_at > o.origin
        and v.visited_at <= o.origin + ${YEAR} then v.amount_cents else 0 end), 0),
      min(case when v.status = 'completed' then v.visited_at end),
      max(case when v.status = 'completed' then v.visited_at end),
      ${completed}, ${revenue}, cast(${now} as bigint)
    from contacts c
    left join origins o on o.contact_id = c.id
    left join visits v on v.organisation_id = ${organisationId} and v.contact_id = c.id
    where c.organisation_id = ${organisationId} ${within('c.id', contactIds)}
    -- One origin per contact at most: the max() of its columns only carries them through.
    group by c.organisation_id, c.id
    ${keepEmpty ? sql`` : sql`having max(o.origin) is not null or ${completed} > 0 or ${revenue} <> 0`}`;
}

/**
 * The facts of a few contacts, as the subscribers compute them (exported for the test that checks
 * how the database reads them: by contact, however large the organisation).
 */
export function contactFactsSelect(
  organisationId: string,
  contactIds: readonly string[],
  now: number,
  source: OriginSource = 'all',
): RawBuilder<unknown> {
  return factsSelect(organisationId, contactIds, now, true, source);
}

const INSERT_COLUMNS = sql`(organisation_id, contact_id, origin_at, category, score, next_visit_at,
  prior_visits, revenue_after_cents, first_visit_at, last_visit_at, visits, revenue_cents,
  updated_at)`;

/**
 * PostgreSQL: locks these contacts (sorted, no duplicates) until the transaction ends, so two
 * transactions that change one contact's visits or answers take turns and the later one reads what
 * the earlier one committed. SQLite has one writer.
 */
export async function lockContacts(
  db: Executor,
  organisationId: string,
  sortedIds: readonly string[],
): Promise<void> {
  if (sortedIds.length === 0) return;
  await sql`select id from contacts where organisation_id = ${organisationId}
    and id in (${sql.join(sortedIds)}) order by id for no key update`.execute(db);
}

/** Writes the rows a facts select yields, replacing the kept ones. */
async function upsertFacts(db: Executor, select: RawBuilder<unknown>): Promise<void> {
  await sql`
    insert into loyalty_contact_facts ${INSERT_COLUMNS}
    ${select}
    on conflict (organisation_id, contact_id) do update set
      origin_at = excluded.origin_at, category = excluded.category, score = excluded.score,
      next_visit_at = excluded.next_visit_at, prior_visits = excluded.prior_visits,
      revenue_after_cents = excluded.revenue_after_cents,
      first_visit_at = excluded.first_visit_at, last_visit_at = excluded.last_visit_at,
      visits = excluded.visits, revenue_cents = excluded.revenue_cents,
      updated_at = excluded.updated_at`.execute(db);
}

/**
 * Recomputes the facts of some contacts from their answers, invitations and visits — in the
 * caller's transaction, after the change that moved them. On PostgreSQL the contacts are locked
 * first (in id order), so two transactions that touch one contact take turns and the later one
 * computes from what the earlier one committed.
 */
export async function refreshContactFacts(
  db: Executor,
  organisationId: string,
  contactIds: readonly string[],
  now: number,
): Promise<void> {
  const ids = [...new Set(contactIds)].sort();
  const postgres = isPostgres(db);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    if (postgres) await lockContacts(db, organisationId, part);
    await upsertFacts(db, contactFactsSelect(organisationId, part, now));
    // A contact left with nothing to follow has no row (as after a rebuild).
    await db
      .deleteFrom('loyalty_contact_facts')
      .where('organisation_id', '=', organisationId)
      .where('contact_id', 'in', part)
      .where('origin_at', 'is', null)
      .where('visits', '=', 0)
      .where('revenue_cents', '=', 0)
      .execute();
  }
}

/**
 * Locks a chunk of contacts (PostgreSQL) and reads the origins their kept rows hold, by contact;
 * a contact without a row is absent.
 */
async function lockedKeptOrigins(
  db: Executor,
  organisationId: string,
  sortedIds: readonly string[],
  postgres: boolean,
): Promise<Map<string, KeptOrigin>> {
  if (postgres) await lockContacts(db, organisationId, sortedIds);
  const rows = await db
    .selectFrom('loyalty_contact_facts')
    .select(['contact_id', 'origin_at', 'category'])
    .where('organisation_id', '=', organisationId)
    .where('contact_id', 'in', sortedIds)
    .execute();
  return new Map(rows.map((r) => [r.contact_id, { originAt: r.origin_at, category: r.category }]));
}

/** An answer just stored, as `response.saved` tells it. */
export interface StoredAnswerFact extends KnownOrigin {
  responseId: string;
}

/**
 * The facts of the contacts whose answers were just stored, in the answers' transaction. An
 * answer later than a contact's kept origin (or a contact who had no answer) IS the new origin, so
 * neither answers nor invitations need be read: only the contact's visits are, around that origin
 * — the same statement as a recomputation, with the origin given. Otherwise — an edit (it keeps
 * its answer's moment), an answer dated before the kept origin, two answers of one contact at one
 * moment (the tie-break is the answer id, which the row does not keep) — the origin is the
 * contact's latest answer, read from the answers; the contact has one, so the invitations never
 * count.
 */
export async function refreshFactsAfterAnswers(
  db: Executor,
  organisationId: string,
  answers: readonly StoredAnswerFact[],
  now: number,
): Promise<void> {
  const latest = new Map<string, { answer: StoredAnswerFact; tied: boolean }>();
  for (const answer of answers) {
    const seen = latest.get(answer.contactId);
    if (!seen || answer.answeredAt > seen.answer.answeredAt) {
      latest.set(answer.contactId, { answer, tied: false });
    } else if (answer.answeredAt === seen.answer.answeredAt) {
      // The same answer twice (its score, then its form) keeps the later; two answers tie.
      if (answer.responseId === seen.answer.responseId) seen.answer = answer;
      else seen.tied = true;
    }
  }
  const ids = [...latest.keys()].sort();
  const postgres = isPostgres(db);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const kept = await lockedKeptOrigins(db, organisationId, part, postgres);
    const known: KnownOrigin[] = [];
    const fromAnswers: string[] = [];
    for (const id of part) {
      const entry = latest.get(id);
      if (!entry) continue;
      const row = kept.get(id);
      const isOrigin =
        !entry.tied &&
        (row === undefined ||
          row.originAt === null ||
          row.category === 'non_respondent' ||
          entry.answer.answeredAt > row.originAt);
      if (isOrigin) known.push(entry.answer);
      else fromAnswers.push(id);
    }
    if (known.length > 0) {
      const knownIds = known.map((o) => o.contactId);
      await upsertFacts(db, contactFactsSelect(organisationId, knownIds, now, { given: known }));
    }
    if (fromAnswers.length > 0) {
      await upsertFacts(db, contactFactsSelect(organisationId, fromAnswers, now, 'answers'));
    }
  }
}

/** An invitation just accepted by a mail server, as `invitation.sent` tells it. */
export interface SentInvitationFact extends SentInvitation {
  contactId: string;
}

/**
 * The facts of the contacts whose invitations (or reminders) were just sent, in the transaction
 * that marks them sent. Most of them change nothing: a customer who answered keeps their answer as
 * origin, and a reminder keeps its invitation's moment. A non-respondent's new origin is the
 * invitation itself, so only their visits are read. A contact without a kept origin (never invited
 * before, or answers anonymised) is recomputed in full.
 */
export async function refreshFactsAfterInvitations(
  db: Executor,
  organisationId: string,
  sent: readonly SentInvitationFact[],
  now: number,
): Promise<void> {
  // The latest invitation per contact; a reminder only when the contact has no invitation here.
  const latest = new Map<string, SentInvitationFact>();
  for (const s of sent) {
    const seen = latest.get(s.contactId);
    const newer =
      !seen || (s.kind === 'invitation' && (seen.kind === 'reminder' || s.sentAt > seen.sentAt));
    if (newer) latest.set(s.contactId, s);
  }
  const ids = [...latest.keys()].sort();
  const postgres = isPostgres(db);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const kept = await lockedKeptOrigins(db, organisationId, part, postgres);
    const later: KnownOrigin[] = [];
    const unknown: string[] = [];
    for (const id of part) {
      const invitation = latest.get(id);
      if (!invitation) continue;
      const effect = originEffect(kept.get(id), invitation);
      if (effect === 'later') {
        later.push({
          contactId: id,
          answeredAt: invitation.sentAt,
          score: null,
          category: 'non_respondent',
        });
      } else if (effect === 'unknown') {
        unknown.push(id);
      }
    }
    if (later.length > 0) {
      const laterIds = later.map((o) => o.contactId);
      await upsertFacts(db, contactFactsSelect(organisationId, laterIds, now, { given: later }));
    }
    if (unknown.length > 0) await refreshContactFacts(db, organisationId, unknown, now);
  }
}

/** Rewrites every row of the organisation from scratch; returns how many rows it holds. */
export async function rebuildContactFacts(
  db: Executor,
  organisationId: string,
  now: number,
): Promise<number> {
  await db
    .deleteFrom('loyalty_contact_facts')
    .where('organisation_id', '=', organisationId)
    .execute();
  const result = await sql`
    insert into loyalty_contact_facts ${INSERT_COLUMNS}
    ${factsSelect(organisationId, null, now, false)}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Every row of the organisation, by contact (tests compare the kept rows with a rebuild). */
export async function listContactFacts(
  db: Executor,
  organisationId: string,
): Promise<ContactFacts[]> {
  return db
    .selectFrom('loyalty_contact_facts')
    .select(FACT_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .orderBy('contact_id')
    .execute();
}

/** One contact's row, or undefined. */
export async function findContactFacts(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<ContactFacts | undefined> {
  return db
    .selectFrom('loyalty_contact_facts')
    .select(FACT_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
}

/**
 * Contacts whose origin is an answer that no longer names them (retention anonymised it): their
 * row must be recomputed. At most `limit`.
 */
export async function contactsWithLostOrigin(
  db: Executor,
  organisationId: string,
  limit: number,
): Promise<string[]> {
  const rows = await sql<{ contact_id: string }>`
    select f.contact_id from loyalty_contact_facts f
    where f.organisation_id = ${organisationId} and f.category is not null
      and f.category <> 'non_respondent'
      and not exists (
        select 1 from responses r
        where r.organisation_id = f.organisation_id and r.contact_id = f.contact_id
          and r.answered_at = f.origin_at
      )
    limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.contact_id);
}

/** The organisations that hold contacts (for a rebuild of all). */
export async function organisationIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('organisations').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}
