import { describe, expect, it } from 'vitest';
import { funnelCurve, funnelLimits, funnelPosition } from './funnel.ts';

const c = (promoters: number, passives: number, detractors: number) => ({
  promoters,
  passives,
  detractors,
});
const org = c(500, 300, 200); // NPS 30

describe('funnel plot limits (Spiegelhalter 2005)', () => {
  it('matches a worked example at n = 100', () => {
    // θ₀ = 0.5 − 0.2 = 0.3, σ² = 0.5 + 0.2 − 0.09 = 0.61, σ = 0.78102497
    // 95 %:   1.95996398 · 0.78102497 / 10 = 0.15307808 → [14.692192, 45.307808]
    // 99.8 %: 3.09023231 · 0.78102497 / 10 = 0.24135486 → [5.864514, 54.135486]
    const l = funnelLimits(org, 100);
    expect(l.target).toBeCloseTo(30, 10);
    expect(l.lower95).toBeCloseTo(14.692192, 5);
    expect(l.upper95).toBeCloseTo(45.307808, 5);
    expect(l.lower998).toBeCloseTo(5.864514, 5);
    expect(l.upper998).toBeCloseTo(54.135486, 5);
  });

  it('narrows with √n and clips at ±100 for tiny groups', () => {
    const at16 = funnelLimits(org, 16);
    const at1600 = funnelLimits(org, 1600);
    expect((at16.upper95 - at16.target) / (at1600.upper95 - at1600.target)).toBeCloseTo(10, 8);
    const at1 = funnelLimits(org, 1);
    expect(at1.upper998).toBe(100);
    expect(at1.lower998).toBeGreaterThanOrEqual(-100);
  });

  it('places groups: 45 on 100 is within, 50 above, 60 far above, 0 far below', () => {
    expect(funnelPosition(org, c(60, 25, 15))).toBe('within'); // 45 < 45.31
    expect(funnelPosition(org, c(60, 30, 10))).toBe('above'); // 50
    expect(funnelPosition(org, c(70, 20, 10))).toBe('far-above'); // 60 > 54.14
    expect(funnelPosition(org, c(30, 40, 30))).toBe('far-below'); // 0 < 5.86
    expect(funnelPosition(org, c(40, 30, 30))).toBe('below'); // 10: between 5.86 and 14.69
    expect(funnelPosition(org, c(0, 0, 0))).toBeNull();
  });

  it('does not flag a small group with the same raw NPS that flags a large one', () => {
    // NPS 50 on 10 answers is ordinary; on 1,000 it is far above.
    expect(funnelPosition(org, c(6, 3, 1))).toBe('within');
    expect(funnelPosition(org, c(600, 300, 100))).toBe('far-above');
  });

  it('draws a curve from n = 1 to nMax, widest first', () => {
    const curve = funnelCurve(org, 900, 10);
    expect(curve).toHaveLength(10);
    expect(curve[0]?.n).toBeCloseTo(1, 10);
    expect(curve[9]?.n).toBeCloseTo(900, 8);
    for (let i = 1; i < curve.length; i++) {
      expect(curve[i]?.upper95 ?? 0).toBeLessThanOrEqual(curve[i - 1]?.upper95 ?? 0);
    }
  });

  it('refuses an organisation without answers and a non-positive n', () => {
    expect(() => funnelLimits(c(0, 0, 0), 10)).toThrow(RangeError);
    expect(() => funnelLimits(org, 0)).toThrow(RangeError);
  });
});
