import type { Executor } from '../../db/database.ts';
import { encodeCursor, decodeCursor, type Page } from '../../shared/cursor.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import type { Actor } from '../auth/actor.ts';
import { recordScope } from '../auth/record-scope.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { findSurvey } from '../surveys/surveys.repository.ts';
import * as repo from './analytics.repository.ts';
import type {
  AnswerJson,
  ExportResponsesInput,
  SummaryJson,
  TrendJson,
  ListResponsesInput,
  SummaryInput,
  TrendInput,
} from './analytics.schemas.ts';
import {
  csvHeader,
  csvLine,
  exportCells,
  exportHeader,
  presentResponse,
  presentSummary,
} from './analytics.presenter.ts';
import { calendarBuckets, localDate, localMidnight } from './calendar.ts';
import { countFunnel, countScores, trendPoints } from './score-source.ts';
import { streamXlsx } from './xlsx-export.ts';
import { t } from '../../i18n/messages.ts';

/** Longest trend we compute in one request: ten years of months, two years of weeks. */
const MAX_BUCKETS = 120;

/**
 * The filter an actor may use: the requested one, narrowed to their own customers for an account
 * manager (on the owner snapshot of each answer), and refused for another organisation's survey.
 * `employeeNps` is the organisation's works council switch (PRODUCT.md): when it is off, results
 * per employee are refused and answers are shown without employee name or employee score. An
 * account manager's own scope is not a per-employee report and still applies.
 */
async function filterFor(
  db: Executor,
  actor: Actor,
  input: SummaryInput & { category?: repo.ResultsFilter['category'] },
): Promise<{ filter: repo.ResultsFilter; employeeNps: boolean }> {
  const org = await findOrganisation(db, actor.organisationId);
  const employeeNps = org ? parseSettings(org.settings).employeeNpsEnabled : false;
  if (!employeeNps && input.ownerEmployeeId !== undefined) {
    throw new AppError('employee_nps_disabled');
  }
  if (input.surveyId && !(await findSurvey(db, actor.organisationId, input.surveyId))) {
    throw notFound('survey');
  }
  if (input.from !== undefined && input.to !== undefined && input.from >= input.to) {
    throw new AppError('validation_failed', {
      issues: [{ field: 'to', problem: 'invalid_value' }],
    });
  }
  const filter: repo.ResultsFilter = {
    organisationId: actor.organisationId,
    surveyId: input.surveyId,
    from: input.from,
    to: input.to,
    ownerEmployeeId: input.ownerEmployeeId,
    scope: recordScope(actor),
    segment: input.segment,
    accountId: input.accountId,
    channel: input.channel,
    category: input.category,
  };
  return { filter, employeeNps };
}

/** NPS, interval, distribution and invitation funnel: aggregated in SQL, scored by the domain. */
export async function resultsSummary(
  db: Executor,
  actor: Actor,
  input: SummaryInput,
  now: number,
): Promise<SummaryJson> {
  const { filter } = await filterFor(db, actor, input);
  const { distribution } = await countScores(db, filter, now);
  const funnel = await countFunnel(db, filter, now);
  return presentSummary(distribution, funnel);
}

export async function listResults(
  db: Executor,
  actor: Actor,
  input: ListResponsesInput,
): Promise<Page<AnswerJson>> {
  const { filter, employeeNps } = await filterFor(db, actor, input);
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const rows = await repo.listResponses(db, filter, {
    limit: input.limit,
    after: cursor ? { answeredAt: cursor.createdAt, id: cursor.id } : undefined,
  });
  const more = rows.length > input.limit;
  const items = more ? rows.slice(0, input.limit) : rows;
  const last = items[items.length - 1];
  return {
    items: items.map((r) => presentResponse(r, { employeeNps })),
    nextCursor: more && last ? encodeCursor({ createdAt: last.answered_at, id: last.id }) : null,
    ...(input.total ? { total: await repo.countResponses(db, filter) } : {}),
  };
}

/**
 * NPS per week, month or quarter, by default the last twelve months up to now but never before the
 * organisation's first answer (a fresh organisation sees its first weeks, not eleven empty
 * months). Buckets are cut at local midnight in the Netherlands, computed here and passed to one
 * grouped SQL query.
 */
export async function resultsTrend(
  db: Executor,
  actor: Actor,
  input: TrendInput,
  now: number,
): Promise<TrendJson> {
  const { filter } = await filterFor(db, actor, input);
  const to = filter.to ?? now + 1;
  const today = localDate(now);
  const requested = filter.from ?? localMidnight(today.year, today.month - 11, 1);
  // Start at the organisation's first answer when that is later: no months before anyone answered.
  const first = await repo.firstAnswerAt(db, actor.organisationId);
  if (first === null || first >= to) return { interval: input.interval, points: [] };
  const from = Math.max(requested, first);
  const buckets = calendarBuckets(from, to, input.interval);
  if (buckets.length > MAX_BUCKETS) {
    throw new AppError('validation_failed', {
      issues: [{ field: 'from', problem: 'too_big', params: { max: MAX_BUCKETS } }],
    });
  }
  // The first bucket is the whole month (or quarter) containing `from`: count from its start, so
  // the point labelled "2026-01" never holds only the answers after 15 January.
  const periodFilter = { ...filter, from: buckets[0]?.start ?? from, to };
  return { interval: input.interval, points: await trendPoints(db, periodFilter, buckets, now) };
}

/**
 * The answers as CSV for Dutch Excel, produced page by page (keyset) so a large export streams
 * without holding every row in memory. Starts with a BOM so Excel reads UTF-8.
 */
export async function* exportResultsCsv(
  db: Executor,
  actor: Actor,
  input: ExportResponsesInput,
): AsyncGenerator<string> {
  const { filter, employeeNps } = await filterFor(db, actor, input);
  const columns = { employeeNps };
  yield `\uFEFF${csvHeader(actor.locale, columns)}\r\n`;
  let after: { answeredAt: number; id: string } | undefined;
  for (;;) {
    const rows = await repo.listResponses(db, filter, { limit: 500, after });
    const page = rows.slice(0, 500);
    if (page.length) yield page.map((r) => csvLine(r, actor.locale, columns)).join('');
    const last = page[page.length - 1];
    if (rows.length <= 500 || !last) return;
    after = { answeredAt: last.answered_at, id: last.id };
  }
}

/**
 * The answers as an .xlsx workbook, streamed: pages of 500 answers (keyset) become rows as the
 * reader takes them, past 1,048,575 answers on a next sheet. The filter is checked before the
 * first byte, so a bad filter is still a clean 4xx.
 */
export async function exportResultsXlsx(
  db: Executor,
  actor: Actor,
  input: ExportResponsesInput,
  options: { rowsPerSheet?: number } = {},
) {
  const { filter, employeeNps } = await filterFor(db, actor, input);
  const columns = { employeeNps };
  async function* pages() {
    let after: { answeredAt: number; id: string } | undefined;
    for (;;) {
      const rows = await repo.listResponses(db, filter, { limit: 500, after });
      const page = rows.slice(0, 500);
      if (page.length) yield page.map((r) => exportCells(r, actor.locale, columns));
      const last = page[page.length - 1];
      if (rows.length <= 500 || !last) return;
      after = { answeredAt: last.answered_at, id: last.id };
    }
  }
  return streamXlsx(
    t(actor.locale, 'xlsx.responses.sheet'),
    exportHeader(actor.locale, columns),
    pages(),
    options,
  );
}
