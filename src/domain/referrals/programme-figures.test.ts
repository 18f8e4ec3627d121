import { describe, expect, it } from 'vitest';
import { earnedGrowth, funnelRates, poolShare } from './programme-figures.ts';

describe('programme figures', () => {
  it('divides the funnel and says "no figure" for an empty denominator', () => {
    expect(funnelRates({ ambassadors: 10, shareVisits: 40, leads: 8, conversions: 2 })).toEqual({
      visitToLead: 0.2,
      leadToConversion: 0.25,
      leadsPerAmbassador: 0.8,
    });
    expect(funnelRates({ ambassadors: 0, shareVisits: 0, leads: 0, conversions: 0 })).toEqual({
      visitToLead: null,
      leadToConversion: null,
      leadsPerAmbassador: null,
    });
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
});
