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
  category?: 'promoter' | 'passive' | 'detractor' | undefined;
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
  if (f.category) c.push(eb('r.category', '=', f.category));
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
  let q = db
    .selectFrom('invitations as i')
    .innerJoin('contacts as c', (j) =>
      j.onRef('c.id', '=', 'i.contact_id').onRef('c.organisation_id', '=', 'i.organisation_id'),
    )
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
  if (f.ownerEmployeeId) q = q.where('c.owner_employee_id', '=', f.ownerEmployeeId);
  if (f.scope.kind !== 'all') q = q.where(scopeCondition('c.owner_employee_id', f.scope));
  if (f.segment) q = q.where('c.segment', '=', f.segment);
  if (f.accountId) q = q.where('i.account_id', '=', f.accountId);
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
