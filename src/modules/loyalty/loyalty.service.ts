import type { Executor } from '../../db/database.ts';
import { addDays, localDateOf, zonedInstant } from '../../domain/calendar/index.ts';
import {
  assessNpsPrediction,
  MIN_CUSTOMERS,
  MIN_PER_OUTCOME,
  type NpsPrediction,
} from '../../domain/loyalty/nps-predicts-return.ts';
import {
  LOYALTY_CATEGORIES,
  meanWithInterval,
  returnByCategory,
  shareRatio,
} from '../../domain/loyalty/return-by-category.ts';
import { earnedGrowthPerMonth } from '../../domain/loyalty/earned-growth.ts';
import { perSpan, referredRevenue } from '../ambassadors/referred-revenue.repository.ts';
import type { RecordScope } from '../auth/record-scope.ts';
import * as repo from './loyalty.repository.ts';
import type { LoyaltyReportJson } from './loyalty.schemas.ts';

/** Curves are drawn up to this many days; the report's horizons are 182 and 365. */
const CURVE_DAYS = 400;
const MONTHS = 12;

function monthBounds(now: number): { start: number; end: number; label: string }[] {
  const today = localDateOf(now);
  const out = [];
  for (let i = MONTHS; i >= 0; i--) {
    const first = { year: today.year, month: today.month - i, day: 1 };
    const start = zonedInstant(addDays(first, 0));
    const next = addDays({ year: today.year, month: today.month - i + 1, day: 1 }, 0);
    const d = localDateOf(start);
    out.push({
      start,
      end: zonedInstant(next),
      label: `${d.year}-${String(d.month).padStart(2, '0')}`,
    });
  }
  return out;
}

function presentPrediction(p: NpsPrediction) {
  return {
    verdict: p.verdict,
    customers: p.customers,
    returned: p.returned,
    stayedAway: p.stayedAway,
    shortBy: p.shortBy,
    ratio: p.ratio,
    oddsPerPoint: p.oddsPerPoint,
    aucScore: p.aucScore,
    aucPriorVisits: p.aucPriorVisits,
    aucBoth: p.aucBoth,
    gain: p.gain,
  };
}

/**
 * The loyalty report, within the reader's record scope (an account manager: their own customers,
 * as everywhere; `recordScope`): return per NPS category (Kaplan–Meier, shares within 6 and 12 months, median
 * days, revenue per customer), "does NPS predict return here" overall and per segment with enough
 * data, and earned growth per month (returning customers' revenue and referred new customers').
 */
export async function loyaltyReport(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  now: number,
  windowDays: number,
): Promise<LoyaltyReportJson> {
  const months = monthBounds(now);
  // The reads are independent: on PostgreSQL they run side by side on the pool's connections.
  const [{ survival, prediction, revenue }, monthly, referred] = await Promise.all([
    repo.followedAggregates(db, organisationId, scope, now, windowDays),
    repo.monthlyRevenue(db, organisationId, scope, months),
    // The referral programme's one definition of revenue from referred new customers (within the
    // scope: the ambassadors of the account manager's customers, as on the programme's dashboard).
    referredRevenue(db, organisationId, scope, months),
  ]);
  const referredPerMonth = perSpan(referred, months.length);

  const categories = LOYALTY_CATEGORIES.map((category) =>
    returnByCategory(
      category,
      survival
        .filter((r) => r.category === category)
        .map((r) => ({ time: r.day, events: r.events, censored: r.censored })),
    ),
  );
  const byCategory = new Map(categories.map((c) => [c.category, c]));
  const promoters = byCategory.get('promoter');
  const detractors = byCategory.get('detractor');
  const overall = assessNpsPrediction(prediction);
  const segments = [
    ...new Set(prediction.map((r) => r.segment).filter((s): s is string => s !== null)),
  ]
    .map((segment) => ({
      segment,
      ...presentPrediction(assessNpsPrediction(prediction.filter((r) => r.segment === segment))),
    }))
    .filter((s) => s.verdict !== 'not_enough_data');

  return {
    generatedAt: new Date(now).toISOString(),
    windowDays,
    minimum: { customers: MIN_CUSTOMERS, perOutcome: MIN_PER_OUTCOME },
    categories: categories.map((c) => {
      const money = revenue.find((r) => r.category === c.category);
      return {
        category: c.category,
        customers: c.customers,
        returned: c.returned,
        medianDays: c.medianDays,
        within: c.within.map((w) => ({ ...w })),
        revenuePerCustomer: money
          ? meanWithInterval(money.customers, money.sum, money.sumOfSquares)
          : null,
        curve: c.curve.steps
          .filter((s) => s.time <= CURVE_DAYS)
          .map((s) => ({
            day: s.time,
            returned: 1 - s.survival,
            low: 1 - s.high,
            high: 1 - s.low,
            atRisk: s.atRisk,
          })),
        maxDay: Math.min(c.curve.maxTime, CURVE_DAYS),
      };
    }),
    promotersVsDetractors:
      promoters && detractors
        ? {
            within182: shareRatio(promoters, detractors, 182),
            within365: shareRatio(promoters, detractors, 365),
          }
        : null,
    prediction: presentPrediction(overall),
    segments,
    earnedGrowth: earnedGrowthPerMonth(
      monthly.map((m, i) => ({
        month: months[i]?.label ?? '',
        revenue: m.revenueCents / 100,
        returning: m.returningCents / 100,
        referredNew: (referredPerMonth[i]?.revenueCents ?? 0) / 100,
      })),
    ).map((m, i) => ({
      month: m.month,
      revenue: m.revenue,
      returningRevenue: m.returning,
      referredNewRevenue: m.referredNew,
      referredNewCustomers: referredPerMonth[i + 1]?.customers ?? 0,
      previousRevenue: m.previousRevenue,
      returningShareOfPrevious: m.netRevenueRetention,
      referredShareOfPrevious: m.earnedNewCustomerShare,
      earnedGrowthRate: m.earnedGrowthRate,
    })),
  };
}
