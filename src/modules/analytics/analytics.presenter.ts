import type { Locale } from '../../db/schema.ts';
import { computeNps, countsFromDistribution } from '../../domain/scoring/nps.ts';
import { wilsonInterval } from '../../domain/statistics/proportions.ts';
import { t } from '../../i18n/messages.ts';
import type { ResponseListRow } from './analytics.repository.ts';
import type { Bucket } from './calendar.ts';
import type { FunnelCounts } from './rollups.repository.ts';
import { iso } from '../../shared/time.ts';

/** Eleven counts from `GROUP BY score` rows (scores without answers count 0). */
export function distributionOf(rows: ReadonlyArray<{ score: number; n: number }>): number[] {
  const histogram = new Array<number>(11).fill(0);
  for (const r of rows) {
    const score = Number(r.score);
    if (Number.isInteger(score) && score >= 0 && score <= 10) histogram[score] = Number(r.n);
  }
  return histogram;
}

/** NPS with its interval and the category counts and shares, from an 11-count distribution. */
export function presentNps(distribution: readonly number[]) {
  const r = computeNps(countsFromDistribution(distribution));
  return {
    nps: r.nps,
    interval: r.interval,
    total: r.total,
    promoters: r.promoters,
    passives: r.passives,
    detractors: r.detractors,
    shares:
      r.total === 0
        ? null
        : { promoters: r.promoterShare, passives: r.passiveShare, detractors: r.detractorShare },
  };
}

/**
 * The first-results summary. "Delivered" is sent minus bounced (there is no tracking pixel); the
 * response rate counts answers to delivered invitations only, with a Wilson interval, because a
 * rate from 12 invitations is not the same news as one from 1,200.
 */
export function presentSummary(distribution: readonly number[], funnel: FunnelCounts) {
  const delivered = Math.max(0, funnel.sent - funnel.bounced);
  const rate = wilsonInterval(Math.min(funnel.answeredDelivered, delivered), delivered);
  return {
    ...presentNps(distribution),
    distribution: [...distribution],
    funnel: {
      invited: funnel.invited,
      sent: funnel.sent,
      outbox: funnel.outbox,
      bounced: funnel.bounced,
      delivered,
      clicked: funnel.clicked,
      answered: funnel.answered,
      responseRate: rate
        ? { rate: rate.estimate, low: rate.low, high: rate.high, level: rate.level }
        : null,
    },
  };
}

export function presentTrendPoint(bucket: Bucket, distribution: readonly number[]) {
  return {
    period: bucket.label,
    from: iso(bucket.start),
    to: iso(bucket.end),
    ...presentNps(distribution),
  };
}

/**
 * Which per-employee fields an answer shows: none when the organisation switched per-employee NPS
 * off (the works council switch), so no list or export names the employee or their score.
 */
export interface EmployeeColumns {
  employeeNps: boolean;
}

/** The one JSON shape of an answer in the results list (without employee fields when switched off). */
export function presentResponse(r: ResponseListRow, columns: EmployeeColumns) {
  const answer = {
    id: r.id,
    surveyId: r.survey_id,
    channel: r.channel,
    score: r.score,
    category: r.category,
    comment: r.comment,
    employeeScore: r.employee_score,
    mayContact: r.may_contact === 1,
    ambassadorOptIn: r.ambassador_opt_in === 1,
    language: r.locale,
    contact: r.contact_id ? { id: r.contact_id, name: r.contact_name ?? null } : null,
    employee: r.owner_employee_id
      ? { id: r.owner_employee_id, name: r.employee_name ?? null }
      : null,
    account: r.account_id ? { id: r.account_id, name: r.account_name ?? null } : null,
    segment: r.segment,
    answeredAt: iso(r.answered_at),
    updatedAt: iso(r.updated_at),
  };
  if (columns.employeeNps) return answer;
  const { employeeScore: _score, employee: _employee, ...withoutEmployee } = answer;
  return withoutEmployee;
}

const csvTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * One CSV cell for Dutch Excel: quoted when needed, and a leading `=`, `+`, `-` or `@` defused so
 * a comment like "=HYPERLINK(…)" is shown as text, never run as a formula.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Positions of "employee score" and "account manager" in `csv.responses.columns` and `csvLine`. */
const CSV_EMPLOYEE_COLUMNS: ReadonlySet<number> = new Set([4, 6]);

/** Drops the per-employee cells of a CSV row when per-employee NPS is switched off. */
function csvColumns<T>(cells: readonly T[], columns: EmployeeColumns): readonly T[] {
  return columns.employeeNps ? cells : cells.filter((_, i) => !CSV_EMPLOYEE_COLUMNS.has(i));
}

export function csvHeader(locale: Locale, columns: EmployeeColumns): string {
  return csvColumns(t(locale, 'csv.responses.columns').split(';'), columns).join(';');
}

/** One answer as a CSV line (semicolon-separated, CRLF), in the reader's language. */
export function csvLine(r: ResponseListRow, locale: Locale, columns: EmployeeColumns): string {
  return exportCells(r, locale, columns).map(csvCell).join(';') + '\r\n';
}

/** The cells of one answer in an export (CSV or .xlsx), in the reader's language. */
export function exportCells(
  r: ResponseListRow,
  locale: Locale,
  columns: EmployeeColumns,
): ReadonlyArray<string | number | null> {
  const yesNo = (v: number) => t(locale, v === 1 ? 'csv.yes' : 'csv.no');
  return csvColumns(
    [
      csvTime.format(new Date(r.answered_at)),
      r.score,
      t(locale, `csv.category.${r.category}`),
      r.comment,
      r.employee_score,
      r.contact_name,
      r.employee_name,
      r.account_name,
      r.segment,
      yesNo(r.may_contact),
      yesNo(r.ambassador_opt_in),
      t(locale, `csv.channel.${r.channel}`),
    ],
    columns,
  );
}

/** The header cells of an answers export. */
export function exportHeader(locale: Locale, columns: EmployeeColumns): string[] {
  return [...csvColumns(t(locale, 'csv.responses.columns').split(';'), columns)];
}
