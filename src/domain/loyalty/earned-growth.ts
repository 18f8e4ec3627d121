import { earnedGrowth, type Ratio } from '../referrals/programme-figures.ts';

/**
 * Earned growth per month (Reichheld, Net Promoter 3.0), from three sums per month that SQL
 * computes in one pass. The parts of a month's revenue never overlap:
 * - **returning**: from customers whose first completed visit was before the month;
 * - **referred new**: from customers whose first completed visit is in the month and who came
 *   through a referral that converted (a friend an ambassador brought in);
 * - the rest: other new customers (not earned by customers).
 * Each month is compared with the one before it:
 *   net revenue retention (NRR) = returning / previous month's revenue,
 *   earned new customer share (ENC) = referred new / previous month's revenue,
 *   earned growth rate (EGR) = NRR + ENC − 1.
 * A month after one without revenue has no figures (null), never a division by zero.
 */

export interface MonthRevenueParts {
  /** `YYYY-MM` */
  month: string;
  /** Revenue of the month, every customer. */
  revenue: number;
  /** From customers whose first completed visit was before the month. */
  returning: number;
  /** From referred customers whose first completed visit is in the month. */
  referredNew: number;
}

export interface EarnedGrowthMonth extends MonthRevenueParts {
  previousRevenue: number;
  netRevenueRetention: Ratio;
  earnedNewCustomerShare: Ratio;
  earnedGrowthRate: Ratio;
}

/**
 * Earned growth for every month but the first (which only serves as the previous month of the
 * second), oldest first.
 */
export function earnedGrowthPerMonth(months: readonly MonthRevenueParts[]): EarnedGrowthMonth[] {
  return months.slice(1).map((m, i) => {
    // Stryker disable next-line OptionalChaining: months[i] exists, i < months.length − 1
    const previousRevenue = months[i]?.revenue ?? 0;
    const g = earnedGrowth({
      previousRevenue,
      returningRevenue: m.returning,
      referredNewRevenue: m.referredNew,
    });
    return {
      ...m,
      previousRevenue,
      netRevenueRetention: g.netRevenueRetention,
      earnedNewCustomerShare: g.earnedNewCustomerShare,
      earnedGrowthRate: g.earnedGrowthRate,
    };
  });
}
