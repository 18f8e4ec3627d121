import { describe, expect, it } from 'vitest';
import { earnedGrowth, funnelRates, lastMonths, poolShare } from './programme-figures.ts';

describe('programme figures', () => {
  it('divides the funnel and says "no figure" for an empty denominator', () => {
    expect(
      funnelRates({ ambassadors: 10, shareVisits: 40, shareLeads: 6, leads: 8, conversions: 2 }),
    ).toEqual({
      visitToLead: 0.15,
      leadToConversion: 0.25,
      leadsPerAmbassador: 0.8,
    });
    expect(
      funnelRates({ ambassadors: 0, shareVisits: 0, shareLeads: 0, leads: 0, conversions: 0 }),
    ).toEqual({
      visitToLead: null,
      leadToConversion: null,
      leadsPerAmbassador: null,
    });
  });

  it('divides the friend page’s sign-ups since joining by its visits since joining', () => {
    // The period's 8 sign-ups (some entered at the counter) do not enter the visit rate.
    const r = funnelRates({
      ambassadors: 2,
      shareVisits: 10,
      shareLeads: 3,
      leads: 8,
      conversions: 0,
    });
    expect(r.visitToLead).toBe(0.3);
  });

  it('computes earned growth as retention plus referred revenue minus one', () => {
    // Reichheld's worked example: NRR 104 %, earned new customers 6 % → EGR 10 %.
    const g = earnedGrowth({
      previousRevenue: 1000,
      returningRevenue: 1040,
      referredNewRevenue: 60,
    });
    expect(g.netRevenueRetention).toBeCloseTo(1.04);
    expect(g.earnedNewCustomerShare).toBeCloseTo(0.06);
    expect(g.earnedGrowthRate).toBeCloseTo(0.1);
    expect(
      earnedGrowth({ previousRevenue: 0, returningRevenue: 5, referredNewRevenue: 5 })
        .earnedGrowthRate,
    ).toBeNull();
  });

  it('gives the pool as a share of promoters', () => {
    expect(poolShare(3, 12)).toBe(0.25);
    expect(poolShare(3, 0)).toBeNull();
  });

  it('lists the last months oldest first, across a year boundary, the running one up to now', () => {
    const now = Date.UTC(2026, 1, 10, 12); // 10 February 2026
    const months = lastMonths(now, 3);
    expect(months.map((m) => m.month)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(months[0]?.start).toBe(Date.UTC(2025, 11, 1));
    expect(months[0]?.end).toBe(Date.UTC(2026, 0, 1));
    expect(months[1]?.end).toBe(months[2]?.start);
    expect(months[2]?.end).toBe(now + 1);
    expect(lastMonths(now, 0)).toEqual([]);
  });
});
