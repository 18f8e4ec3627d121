/**
 * The referral programme in figures (issue 12's dashboard) and earned growth (Net Promoter 3.0).
 * Pure: the counts and sums come from SQL; these functions only divide, and say "no figure" when
 * the denominator is empty instead of dividing by zero.
 */

export type Ratio = number | null;

const ratio = (part: number, whole: number): Ratio => (whole > 0 ? part / whole : null);

export interface FunnelCounts {
  ambassadors: number;
  /** Friend-page visits of the ambassadors in the register: a running count since they joined. */
  shareVisits: number;
  /**
   * Sign-ups through the friend page by the same ambassadors since they joined: the same people
   * and the same span as `shareVisits`, so the two can be divided.
   */
  shareLeads: number;
  leads: number;
  conversions: number;
}

export interface FunnelRates {
  /**
   * Friend-page sign-ups per friend-page visit, both since joining. A visit has no time of its
   * own, so dividing the period's sign-ups by every visit ever would mix two spans.
   */
  visitToLead: Ratio;
  /** Converted friends per lead. */
  leadToConversion: Ratio;
  /** Leads per ambassador. */
  leadsPerAmbassador: Ratio;
}

export function funnelRates(c: FunnelCounts): FunnelRates {
  return {
    visitToLead: ratio(c.shareLeads, c.shareVisits),
    leadToConversion: ratio(c.conversions, c.leads),
    leadsPerAmbassador: ratio(c.leads, c.ambassadors),
  };
}

export interface EarnedGrowthInput {
  /** Revenue in the previous period from all customers. */
  previousRevenue: number;
  /** Revenue in this period from customers who were customers in the previous period. */
  returningRevenue: number;
  /** Revenue in this period from new customers a referral brought in. */
  referredNewRevenue: number;
}

export interface EarnedGrowth {
  /** Net revenue retention: returning revenue / previous revenue (1 = kept every euro). */
  netRevenueRetention: Ratio;
  /** Revenue from referred new customers as a share of the previous period's revenue. */
  earnedNewCustomerShare: Ratio;
  /**
   * Earned growth rate (Reichheld, Net Promoter 3.0): NRR + earned new share − 1. Growth the
   * customers earned for the business: what they kept spending plus what their referrals brought.
   */
  earnedGrowthRate: Ratio;
}

export function earnedGrowth(input: EarnedGrowthInput): EarnedGrowth {
  const nrr = ratio(input.returningRevenue, input.previousRevenue);
  const enc = ratio(input.referredNewRevenue, input.previousRevenue);
  return {
    netRevenueRetention: nrr,
    earnedNewCustomerShare: enc,
    earnedGrowthRate: nrr === null || enc === null ? null : nrr + enc - 1,
  };
}

/**
 * The ambassador pool against the promoters: the share of this period's promoters who are (or
 * became) ambassadors. A pool that does not grow with the promoters means the invitation is not
 * working.
 */
export const poolShare = (ambassadors: number, promoters: number): Ratio =>
  ratio(ambassadors, promoters);

export interface MonthSpan {
  /** `YYYY-MM` */
  month: string;
  /** First millisecond of the month (UTC). */
  start: number;
  /** First millisecond of the next month (UTC), capped at `now` for the running month. */
  end: number;
}

/** The last `count` calendar months (UTC) up to and including the one `now` is in, oldest first. */
export function lastMonths(now: number, count: number): MonthSpan[] {
  const d = new Date(now);
  const out: MonthSpan[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i + 1, 1);
    const s = new Date(start);
    out.push({
      month: `${s.getUTCFullYear()}-${String(s.getUTCMonth() + 1).padStart(2, '0')}`,
      start,
      end: Math.min(next, now + 1),
    });
  }
  return out;
}
