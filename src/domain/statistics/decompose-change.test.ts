import { describe, expect, it } from 'vitest';
import { decomposeChange } from './decompose-change.ts';

const c = (promoters: number, passives: number, detractors: number) => ({
  promoters,
  passives,
  detractors,
});

describe('why the NPS moved', () => {
  it('splits a change over two locations: a worked example', () => {
    // Leeuwarden: 40 → 60 on 100 → 100 answers; Sneek: −20 → −20 on 100 → 50 answers.
    // N₁ = 200, N₂ = 150; w₁ = (½, ½), w₂ = (⅔, ⅓); S₁ = 10, S₂ = 40 − 6.667 = 33.333, S̄ = 21.667
    // Leeuwarden: performance = 0.58333 · 20 = 11.6667, mix = (⅔ − ½)(50 − 21.667) = 4.7222
    // Sneek:      performance = 0,                    mix = (⅓ − ½)(−20 − 21.667) = 6.9444
    const d = decomposeChange([
      { key: 'leeuwarden', before: c(60, 20, 20), after: c(70, 20, 10) },
      { key: 'sneek', before: c(20, 40, 40), after: c(10, 20, 20) },
    ]);
    expect(d.before).toBeCloseTo(10, 10);
    expect(d.after).toBeCloseTo(100 / 3, 10);
    expect(d.change).toBeCloseTo(70 / 3, 10);
    const [first, second] = d.parts;
    expect(first?.key).toBe('leeuwarden');
    expect(first?.performance).toBeCloseTo(35 / 3, 10);
    expect(first?.mix).toBeCloseTo((1 / 6) * (50 - 65 / 3), 10);
    expect(second?.key).toBe('sneek');
    expect(second?.performance).toBeCloseTo(0, 10);
    expect(second?.mix).toBeCloseTo((-1 / 6) * (-20 - 65 / 3), 10);
  });

  it('adds up exactly to the total change, whatever the groups', () => {
    const d = decomposeChange([
      { key: 'a', before: c(3, 4, 5), after: c(9, 1, 0) },
      { key: 'b', before: c(10, 0, 2), after: c(0, 0, 0) },
      { key: 'c', before: c(0, 0, 0), after: c(4, 4, 4) },
      { key: 'd', before: c(50, 20, 30), after: c(40, 40, 20) },
    ]);
    const sum = d.parts.reduce((s, p) => s + p.contribution, 0);
    expect(sum).toBeCloseTo(d.change ?? NaN, 10);
    expect(d.parts.map((p) => p.key)).toContain('c');
    // A group new in the second period moved only the mix.
    expect(d.parts.find((p) => p.key === 'c')?.performance).toBe(0);
  });

  it('marks a part as real only when it stands out from its uncertainty', () => {
    const big = decomposeChange([
      { key: 'stable', before: c(500, 300, 200), after: c(500, 300, 200) },
      { key: 'fell', before: c(500, 300, 200), after: c(300, 300, 400) },
    ]);
    expect(big.parts[0]).toMatchObject({ key: 'fell', real: true });
    expect(big.parts.find((p) => p.key === 'stable')?.real).toBe(false);
    const small = decomposeChange([
      { key: 'stable', before: c(5, 3, 2), after: c(5, 3, 2) },
      { key: 'fell', before: c(5, 3, 2), after: c(3, 3, 4) },
    ]);
    expect(small.parts.every((p) => !p.real)).toBe(true);
  });

  it('a growing group at the organisation average adds nothing through the mix', () => {
    const d = decomposeChange([
      { key: 'a', before: c(5, 3, 2), after: c(50, 30, 20) },
      { key: 'b', before: c(50, 30, 20), after: c(50, 30, 20) },
    ]);
    expect(d.change).toBeCloseTo(0, 10);
    for (const p of d.parts) expect(p.contribution).toBeCloseTo(0, 10);
  });

  it('has no change when one period is empty', () => {
    const d = decomposeChange([{ key: 'a', before: c(0, 0, 0), after: c(3, 0, 1) }]);
    expect(d).toMatchObject({ before: null, after: 50, change: null, parts: [] });
  });
});
