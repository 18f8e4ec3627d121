import { describe, expect, it } from 'vitest';
import { earnedGrowthPerMonth } from './earned-growth.ts';

describe('earned growth per month', () => {
  it('adds the referred new customers’ revenue to the returning customers’, against last month', () => {
    // Worked by hand. September: € 1,000 in all. October: € 1,100, of which € 900 from customers
    // who came before and € 50 from a referred friend's first visit (and € 150 from other new
    // customers): NRR 900/1000 = 0.90, ENC 50/1000 = 0.05, EGR 0.90 + 0.05 − 1 = −0.05.
    // November: € 1,200, € 1,000 returning (the friend among them now), € 120 referred new:
    // NRR 1000/1100 = 0.90909…, ENC 120/1100 = 0.10909…, EGR = 1120/1100 − 1 = 0.01818….
    const [october, november, ...rest] = earnedGrowthPerMonth([
      { month: '2026-09', revenue: 1000, returning: 800, referredNew: 0 },
      { month: '2026-10', revenue: 1100, returning: 900, referredNew: 50 },
      { month: '2026-11', revenue: 1200, returning: 1000, referredNew: 120 },
    ]);
    expect(rest).toEqual([]);
    expect(october).toMatchObject({ month: '2026-10', previousRevenue: 1000, referredNew: 50 });
    expect(october?.netRevenueRetention).toBeCloseTo(0.9, 12);
    expect(october?.earnedNewCustomerShare).toBeCloseTo(0.05, 12);
    expect(october?.earnedGrowthRate).toBeCloseTo(-0.05, 12);
    expect(november).toMatchObject({ month: '2026-11', previousRevenue: 1100, returning: 1000 });
    expect(november?.netRevenueRetention).toBeCloseTo(10 / 11, 12);
    expect(november?.earnedNewCustomerShare).toBeCloseTo(12 / 110, 12);
    expect(november?.earnedGrowthRate).toBeCloseTo(2 / 110, 12);
  });

  it('grows by what customers earned: all kept and a referred friend on top is above zero', () => {
    const [m] = earnedGrowthPerMonth([
      { month: '2026-01', revenue: 500, returning: 0, referredNew: 0 },
      { month: '2026-02', revenue: 600, returning: 500, referredNew: 100 },
    ]);
    expect(m?.netRevenueRetention).toBe(1);
    expect(m?.earnedNewCustomerShare).toBe(0.2);
    expect(m?.earnedGrowthRate).toBeCloseTo(0.2, 12);
  });

  it('gives no figures after a month without revenue, and nothing for a single month', () => {
    const [m] = earnedGrowthPerMonth([
      { month: '2026-01', revenue: 0, returning: 0, referredNew: 0 },
      { month: '2026-02', revenue: 300, returning: 0, referredNew: 300 },
    ]);
    expect(m).toMatchObject({
      referredNew: 300,
      netRevenueRetention: null,
      earnedNewCustomerShare: null,
      earnedGrowthRate: null,
    });
    expect(
      earnedGrowthPerMonth([{ month: '2026-01', revenue: 9, returning: 0, referredNew: 0 }]),
    ).toEqual([]);
    expect(earnedGrowthPerMonth([])).toEqual([]);
  });
});
