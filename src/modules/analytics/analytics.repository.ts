import { scopeCondition, type RecordScope } from '../auth/record-scope.ts';
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Bucket } from './calendar.ts';

/**
 * Which responses a report covers. `scope` is the actor's record scope (record-scope.ts) and is
 * applied in addition to any requested `ownerEmployeeId` (asking for a colleague yields nothing).
 * Owner, account and segment filter on the snapshots taken when the customer answered.
 */
export interface ResultsFilter {
  organisationId: string;
  surveyId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  ownerEmployeeId?: string | undefined;
  scope: RecordScope;
  segment?: string | undefined;
  accountId?: string | undefined;
  channel?: 'email' | 'anonymous' | undefined;
  category?: 'promoter' | 'passive' | 'detractor' | undefined;
  /** Only answers with a comment. */
  withComment?: boolean | undefined;
  /** Only answers whose respondent asked to be contacted. */
  mayContact?: boolean | undefined;
}

function responseConditions(
  eb: ExpressionBuilder<Database & { r: Database['responses'] }, 'r'>,
  f: ResultsFilter,
): Expression<SqlBool> {
  const c: Expression<SqlBool>[] = [eb('r.organisation_id', '=', f.organisationId)];
  if (f.surveyId) c.push(eb('r.survey_id', '=', f.surveyId));
  if (f.from !== undefined) c.push(eb('r.answered_at', '>=', f.from));
  if (f.to !== undefined) c.push(eb('r.answered_at', '<', f.to));
  if (f.ownerEmployeeId) c.push(eb('r.owner_employee_id', '=', f.ownerEmployeeId));
  if (f.scope.kind !== 'all') c.push(scopeCondition('r.owner_employee_id', f.scope));
  if (f.segment) c.push(eb('r.segment', '=', f.segment));
  if (f.accountId) c.push(eb('r.account_id', '=', f.accountId));
  if (f.channel) c.push(eb('r.channel', '=', f.channel));
  if (f.category) c.push(eb('r.category', '=', f.category));
  if (f.withComment) c.push(eb('r.comment', 'is not', null));
  if (f.mayContact) c.push(eb('r.may_contact', '=', 1));
  return eb.and(c);
}

/** `GROUP BY score`: how many answers each score 0–10 got. The NPS is computed from these counts. */
export async function scoreCounts(
  db: Executor,
  f: ResultsFilter,
): Promise<Array<{ score: number; n: number }>> {
  return db
    .selectFrom('responses as r')
    .select((eb) => ['r.score', eb.fn.countAll<number>().as('n')])
    .where((eb) => responseConditions(eb, f))
    .groupBy('r.score')
    .execute();
}

/** The answers' columns a breakdown can group by ('' stands for "none"). */
export type AnswerDimension =
  'employee' | 'team' | 'location' | 'segment' | 'channel' | 'survey' | 'account';

/**
 * `GROUP BY dimension, score` over the answers, for the breakdowns the rollups cannot answer (per
 * account, or with a filter the rollup does not carry).
 */
export async function scoreCountsGrouped(
  db: Executor,
  f: ResultsFilter,
  dimension: AnswerDimension,
): Promise<Array<{ key: string; score: number; n: number }>> {
  const key =
    dimension === 'team'
      ? sql<string>`coalesce(emp.team, '')`
      : sql<string>`coalesce(${sql.ref(
          {
            employee: 'r.owner_employee_id',
            location: 'r.location_id',
            segment: 'r.segment',
            channel: 'r.channel',
            survey: 'r.survey_id',
            account: 'r.account_id',
          }[dimension],
        )}, '')`;
  let q = db
    .selectFrom('responses as r')
    .leftJoin('employees as emp', (j) =>
      j
        .onRef('emp.id', '=', 'r.owner_employee_id')
        .onRef('emp.organisation_id', '=', 'r.organisation_id'),
    );
  if (dimension === 'employee' || dimension === 'team') {
    q = q.where('r.owner_employee_id', 'is not', null);
  }
  const rows = await q
    .select((eb) => [key.as('key'), 'r.score', eb.fn.countAll<number>().as('n')])
    .where((eb) => responseConditions(eb, f))
    .groupBy([key, 'r.score'])
    .execute();
  return rows.map((r) => ({ key: String(r.key), score: Number(r.score), n: Number(r.n) }));
}

/**
 * Score counts per calendar bucket in ONE query: the bucket of each answer is a CASE over the
 * boundaries computed in JavaScript, which both SQLite and PostgreSQL evaluate identically.
 */
export async function scoreCountsPerBucket(
  db: Executor,
  f: ResultsFilter,
  buckets: readonly Bucket[],
): Promise<Array<{ bucket: number; score: number; n: number }>> {
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (!first || !last) return [];
  const bucket = sql<number>`case ${sql.join(
    buckets.map(
      (b, i) =>
        sql`when r.answered_at >= ${b.start} and r.answered_at < ${b.end} then ${sql.lit(i)}`,
    ),
    sql` `,
  )} end`;
  return db
    .selectFrom('responses as r')
    .select((eb) => [bucket.as('bucket'), 'r.score', eb.fn.countAll<number>().as('n')])
    .where((eb) => responseConditions(eb, f))
    .where('r.answered_at', '>=', first.start)
    .where('r.answered_at', '<', last.end)
    .groupBy([sql`1`, 'r.score'])
    .execute();
}

/**
 * The invitation funnel in one aggregate. Invitations filter on their planned moment; owner and
 * segment on the contact (an invitation has no answer snapshot), account on the invitation's own
 * snapshot. Cancelled and skipped invitations were never due to anyone. `sent` counts only mail a
 * server accepted; `outbox` counts mail kept in the local outbox (no mail server), which is never
 * sent, delivered or part of the response rate.
 */
export async function funnelCounts(db: Executor, f: ResultsFilter, now: number) {
  const count = (condition: ReturnType<typeof sql<number>>) =>
    sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;
  // The contact is read only for a filter on it (owner, segment, an account manager's scope): every
  // invitation has its contact (a foreign key), so without such a filter the join changes no count,
  // and leaving it out keeps the first screen's funnel a range scan of one index
  // (`invitations_org_planned_funnel`, migration 0046) instead of a lookup per invitation.
  const byContact = !!f.ownerEmployeeId || f.scope.kind !== 'all' || !!f.segment;
  let q = db
    .selectFrom('invitations as i')
    .select((eb) => [
      eb.fn.countAll<number>().as('invited'),
      count(sql<number>`i.sent_at is not null`).as('sent'),
      count(sql<number>`i.status = 'outbox'`).as('outbox'),
      count(sql<number>`i.sent_at is not null and i.bounced_at is not null`).as('bounced'),
      count(sql<number>`i.clicked_at is not null`).as('clicked'),
      count(sql<number>`i.responded_at is not null`).as('answered'),
      count(
        sql<number>`i.responded_at is not null and i.sent_at is not null and i.bounced_at is null`,
      ).as('answered_delivered'),
    ])
    .where('i.organisation_id', '=', f.organisationId)
    .where('i.planned_at', '<=', now)
    .where('i.status', 'not in', ['cancelled', 'skipped']);
  if (f.surveyId) q = q.where('i.survey_id', '=', f.surveyId);
  if (f.from !== undefined) q = q.where('i.planned_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('i.planned_at', '<', f.to);
  if (f.accountId) q = q.where('i.account_id', '=', f.accountId);
  if (byContact) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('contacts as c')
          .select(sql`1`.as('one'))
          .whereRef('c.id', '=', 'i.contact_id')
          .whereRef('c.organisation_id', '=', 'i.organisation_id')
          .where((c) => {
            const conditions: Expression<SqlBool>[] = [];
            if (f.ownerEmployeeId)
              conditions.push(c('c.owner_employee_id', '=', f.ownerEmployeeId));
            if (f.scope.kind !== 'all')
              conditions.push(scopeCondition('c.owner_employee_id', f.scope));
            if (f.segment) conditions.push(c('c.segment', '=', f.segment));
            return c.and(conditions);
          }),
      ),
    );
  }
  const row = await q.executeTakeFirstOrThrow();
  return {
    invited: Number(row.invited),
    sent: Number(row.sent),
    outbox: Number(row.outbox),
    bounced: Number(row.bounced),
    clicked: Number(row.clicked),
    answered: Number(row.answered),
    answeredDelivered: Number(row.answered_delivered),
  };
}

export const RESPONSE_LIST_COLUMNS = [
  'r.id',
  'r.survey_id',
  'r.channel',
  'r.score',
  'r.category',
  'r.comment',
  'r.employee_score',
  'r.may_contact',
  'r.ambassador_opt_in',
  'r.locale',
  'r.segment',
  'r.answered_at',
  'r.updated_at',
  'r.contact_id',
  'c.name as contact_name',
  'r.owner_employee_id',
  'e.name as employee_name',
  'r.account_id',
  'a.name as account_name',
] as const;

/** Answers newest first, keyset-paginated on (answered_at, id). */
export async function listResponses(
  db: Executor,
  f: ResultsFilter,
  page: { limit: number; after?: { answeredAt: number; id: string } | undefined },
) {
  let q = db
    .selectFrom('responses as r')
    .leftJoin('contacts as c', (j) =>
      j.onRef('c.id', '=', 'r.contact_id').onRef('c.organisation_id', '=', 'r.organisation_id'),
    )
    .leftJoin('employees as e', (j) =>
      j
        .onRef('e.id', '=', 'r.owner_employee_id')
        .onRef('e.organisation_id', '=', 'r.organisation_id'),
    )
    .leftJoin('accounts as a', (j) =>
      j.onRef('a.id', '=', 'r.account_id').onRef('a.organisation_id', '=', 'r.organisation_id'),
    )
    .select(RESPONSE_LIST_COLUMNS)
    .where((eb) => responseConditions(eb, f));
  if (page.after) {
    q = q.where(sql<boolean>`(r.answered_at, r.id) < (${page.after.answeredAt}, ${page.after.id})`);
  }
  return q
    .orderBy('r.answered_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

/** How many answers the filter matches (the `total` of `listResponses`). */
export async function countResponses(db: Executor, f: ResultsFilter): Promise<number> {
  const row = await db
    .selectFrom('responses as r')
    .select(sql<number | string>`count(*)`.as('total'))
    .where((eb) => responseConditions(eb, f))
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

export type ResponseListRow = Awaited<ReturnType<typeof listResponses>>[number];

/**
 * Praise for an account manager: their promoters whose comment names them (first name, any case)
 * or who gave them a high employee score (9 or 10), newest first.
 */
export async function listPraise(
  db: Executor,
  f: ResultsFilter & { ownerEmployeeId: string },
  firstName: string,
  limit: number,
) {
  const pattern = `%${firstName.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom('responses as r')
    .leftJoin('contacts as c', (j) =>
      j.onRef('c.id', '=', 'r.contact_id').onRef('c.organisation_id', '=', 'r.organisation_id'),
    )
    .leftJoin('employees as e', (j) =>
      j
        .onRef('e.id', '=', 'r.owner_employee_id')
        .onRef('e.organisation_id', '=', 'r.organisation_id'),
    )
    .leftJoin('accounts as a', (j) =>
      j.onRef('a.id', '=', 'r.account_id').onRef('a.organisation_id', '=', 'r.organisation_id'),
    )
    .select(RESPONSE_LIST_COLUMNS)
    .where((eb) => responseConditions(eb, { ...f, category: 'promoter' }))
    .where((eb) =>
      eb.or([
        eb.and([
          eb('r.comment', 'is not', null),
          sql<boolean>`lower(r.comment) like ${pattern} escape '\\'`,
        ]),
        eb('r.employee_score', '>=', 9),
      ]),
    )
    .orderBy('r.answered_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
}

/** Count, sum and sum of squares of the employee score ("how satisfied were you with …?"). */
export async function employeeScoreMoments(db: Executor, f: ResultsFilter) {
  const row = await db
    .selectFrom('responses as r')
    .select([
      sql<number>`count(r.employee_score)`.as('n'),
      sql<number>`coalesce(sum(r.employee_score), 0)`.as('sum'),
      sql<number>`coalesce(sum(r.employee_score * r.employee_score), 0)`.as('squares'),
    ])
    .where((eb) => responseConditions(eb, f))
    .executeTakeFirst();
  return { n: Number(row?.n ?? 0), sum: Number(row?.sum ?? 0), squares: Number(row?.squares ?? 0) };
}

/** Names of the groups a breakdown shows, by id (chunked: an organisation may have many accounts). */
export async function groupNames(
  db: Executor,
  organisationId: string,
  dimension: 'employee' | 'survey' | 'account' | 'location',
  ids: readonly string[],
): Promise<Map<string, string>> {
  const table = (
    {
      employee: 'employees',
      survey: 'surveys',
      account: 'accounts',
      location: 'locations',
    } as const
  )[dimension];
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom(table)
      .select(['id', 'name'])
      .where('organisation_id', '=', organisationId)
      .where('id', 'in', chunk)
      .execute();
    for (const r of rows) names.set(r.id, r.name);
  }
  return names;
}

/**
 * When the organisation's first answer arrived (null without answers): a trend starts there, so a
 * fresh organisation does not see eleven empty months. One seek on (organisation, answered_at).
 */
export async function firstAnswerAt(db: Executor, organisationId: string): Promise<number | null> {
  const row = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.min('answered_at').as('first'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row?.first === null || row?.first === undefined ? null : Number(row.first);
}

/** One employee of the organisation with their team (null when not found). */
export async function findEmployeeForInsight(db: Executor, organisationId: string, id: string) {
  return (
    (await db
      .selectFrom('employees')
      .select(['id', 'name', 'team'])
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .executeTakeFirst()) ?? null
  );
}

/** The employees of one team (the team a manager sees), by name. */
export async function listTeamEmployees(db: Executor, organisationId: string, team: string) {
  return db
    .selectFrom('employees')
    .select(['id', 'name', 'team'])
    .where('organisation_id', '=', organisationId)
    .where('team', '=', team)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** Employees by id, with their team (for a list of account managers with answers). */
export async function listEmployeesByIds(
  db: Executor,
  organisationId: string,
  ids: readonly string[],
) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('employees')
    .select(['id', 'name', 'team'])
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', ids)
    .execute();
}
