import type { Executor } from '../../db/database.ts';
import { funnelRates, lastMonths, poolShare } from '../../domain/referrals/programme-figures.ts';
import type { RecordScope } from '../auth/record-scope.ts';
import * as repo from './ambassadors.repository.ts';
import { NAMED_AMBASSADORS, type DashboardJson } from './ambassadors.schemas.ts';
import { perSpan, referredRevenue } from './referred-revenue.repository.ts';

const DAY_MS = 86_400_000;

interface AmbassadorFigures {
  shareVisits: number;
  leads: number;
  conversions: number;
  revenueCents: number;
  rewardCostCents: number;
}

/** Rows summed into one: how many carry a figure, and the sum of each column. */
function sumRows(rows: readonly AmbassadorFigures[]) {
  return {
    ambassadors: rows.length,
    shareVisits: rows.reduce((n, p) => n + p.shareVisits, 0),
    leads: rows.reduce((n, p) => n + p.leads, 0),
    conversions: rows.reduce((n, p) => n + p.conversions, 0),
    revenueCents: rows.reduce((n, p) => n + p.revenueCents, 0),
    rewardCostCents: rows.reduce((n, p) => n + p.rewardCostCents, 0),
  };
}

/**
 * The programme in figures over the last `days`, within a record scope: the funnel, the pool
 * against the promoters, the reward cost of the period (`figuresPerAmbassador` says which rewards
 * are the period's), and the revenue of the referred new customers — the same
 * figure the loyalty report's earned growth counts (`referredRevenue`), over this period — in
 * total, per ambassador and per account manager.
 */
export async function programmeDashboard(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  days: number,
  now: number,
): Promise<DashboardJson> {
  const since = now - days * DAY_MS;
  const months = lastMonths(now, Math.min(24, Math.max(1, Math.ceil(days / 30.4))));
  const [f, perOwner, perAmbassador, pool, referred] = await Promise.all([
    repo.programmeFigures(db, organisationId, scope, since),
    repo.figuresPerOwner(db, organisationId, scope, since),
    repo.figuresPerAmbassador(db, organisationId, scope, since),
    repo.poolPerMonth(db, organisationId, scope, months),
    referredRevenue(db, organisationId, scope, [{ start: since, end: now + 1 }]),
  ]);
  // The period's reward cost is the sum of every ambassador's, removed ones included: the tile
  // and the table's column count the same rewards (those created in the period, not voided).
  const cost = perAmbassador.reduce((sum, p) => sum + p.rewardCostCents, 0);
  const revenueOf = (key: (r: (typeof referred)[number]) => boolean) =>
    referred.filter(key).reduce((sum, r) => sum + r.revenueCents, 0);
  const total = perSpan(referred, 1)[0] ?? { customers: 0, revenueCents: 0 };
  const rows = perAmbassador.map((p) => ({
    ...p,
    revenueCents: revenueOf((r) => r.ambassadorId === p.ambassadorId),
  }));
  const removed = rows.filter((p) => p.removed);
  const removedRow = {
    ambassadors: removed.filter(
      (p) => p.leads > 0 || p.revenueCents !== 0 || p.rewardCostCents !== 0,
    ).length,
    leads: removed.reduce((n, p) => n + p.leads, 0),
    conversions: removed.reduce((n, p) => n + p.conversions, 0),
    revenueCents: removed.reduce((n, p) => n + p.revenueCents, 0),
    rewardCostCents: removed.reduce((n, p) => n + p.rewardCostCents, 0),
  };
  // Every ambassador in the register with a figure, best first (ties broken to the same order on
  // every read); the table names the first ones and sums the rest on one row, so its columns
  // still add up to the tiles however large the programme.
  const ranked = rows
    .filter((p) => !p.removed)
    .map(({ removed: _removed, ...p }) => p)
    .filter(
      (p) => p.leads > 0 || p.shareVisits > 0 || p.revenueCents !== 0 || p.rewardCostCents !== 0,
    )
    .sort(
      (x, y) =>
        y.conversions - x.conversions ||
        y.leads - x.leads ||
        y.revenueCents - x.revenueCents ||
        y.shareVisits - x.shareVisits ||
        y.rewardCostCents - x.rewardCostCents ||
        (x.ambassadorId < y.ambassadorId ? -1 : x.ambassadorId > y.ambassadorId ? 1 : 0),
    );
  const others = ranked.slice(NAMED_AMBASSADORS);
  const { shareLeads: _shareLeads, ...counts } = f;
  return {
    days,
    ...counts,
    revenueCents: total.revenueCents,
    rates: funnelRates(f),
    poolShare: poolShare(f.ambassadors, f.promoters),
    rewardCostCents: cost,
    perOwner: perOwner
      .map((o) => ({
        ownerEmployeeId: o.owner_employee_id,
        ownerName: o.owner_name,
        leads: Number(o.leads),
        conversions: Number(o.conversions ?? 0),
        revenueCents: revenueOf((r) => r.ownerEmployeeId === o.owner_employee_id),
      }))
      .filter((o) => o.leads > 0 || o.revenueCents !== 0),
    perAmbassador: ranked.slice(0, NAMED_AMBASSADORS),
    otherAmbassadors: others.length > 0 ? sumRows(others) : null,
    // Leads that happened stay in the totals; the ambassadors who brought them are gone from the
    // register, so the table carries them together, and its columns add up to the tiles.
    removedAmbassadors:
      removedRow.leads > 0 || removedRow.revenueCents !== 0 || removedRow.rewardCostCents !== 0
        ? removedRow
        : null,
    pool: months.map((m, i) => ({
      month: m.month,
      ambassadors: pool[i]?.ambassadors ?? 0,
      promoters: pool[i]?.promoters ?? 0,
    })),
  };
}
