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

  it('never calls the part of a group with a handful of answers in a period real', () => {
    // Three twos, then three tens, beside a large unchanged group: the part stands out from its
    // normal-approximation uncertainty, but three answers tell no story (as MIN_ANSWERS_FOR_CHANGE).
    const few = decomposeChange([
      { key: 'stable', before: c(500, 300, 200), after: c(500, 300, 200) },
      { key: 'three', before: c(0, 0, 3), after: c(3, 0, 0) },
    ]);
    const three = few.parts.find((p) => p.key === 'three');
    expect(Math.abs(three?.contribution ?? 0)).toBeGreaterThan(1.96 * (three?.standardError ?? 0));
    expect(three?.real).toBe(false);
    // Ten in each period is enough, and so is a period without any (the group came or went).
    const ten = decomposeChange([
      { key: 'stable', before: c(500, 300, 200), after: c(500, 300, 200) },
      { key: 'ten', before: c(0, 0, 10), after: c(10, 0, 0) },
    ]);
    expect(ten.parts.find((p) => p.key === 'ten')?.real).toBe(true);
    const nine = decomposeChange([
      { key: 'stable', before: c(500, 300, 200), after: c(500, 300, 200) },
      { key: 'nine', before: c(0, 0, 10), after: c(9, 0, 0) },
    ]);
    expect(nine.parts.find((p) => p.key === 'nine')?.real).toBe(false);
    const came = decomposeChange([
      { key: 'stable', before: c(500, 300, 200), after: c(500, 300, 200) },
      { key: 'came', before: c(0, 0, 0), after: c(2, 0, 1) },
    ]);
    expect(came.parts.find((p) => p.key === 'came')?.real).toBe(false);
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

describe('decomposeChange: empty periods, empty groups and a newcomer, worked by hand', () => {
  const A = { promoters: 6, passives: 2, detractors: 2 }; // 10 answers, NPS 40
  const B = { promoters: 1, passives: 1, detractors: 8 }; // 10 answers, NPS −70
  const none = { promoters: 0, passives: 0, detractors: 0 };

  it('with one period empty: that period has no NPS and nothing is split', () => {
    // Before only: (10 · 40 + 10 · −70) / 20 = −15.
    const beforeOnly = decomposeChange([
      { key: 'a', before: A, after: none },
      { key: 'b', before: B, after: none },
    ]);
    expect(beforeOnly).toEqual({ before: -15, after: null, change: null, parts: [] });
    const afterOnly = decomposeChange([
      { key: 'a', before: none, after: A },
      { key: 'b', before: none, after: B },
    ]);
    expect(afterOnly).toEqual({ before: null, after: -15, change: null, parts: [] });
    expect(decomposeChange([{ key: 'a', before: none, after: none }])).toEqual({
      before: null,
      after: null,
      change: null,
      parts: [],
    });
  });

  it('a group new in the second period moves the NPS by mix alone, with the mix uncertainty', () => {
    // Before: a alone, NPS 40 (N₁ = 10). After: a and b, 10 answers each: S₂ = −15, S̄ = 12.5.
    // b: w₁ = 0, w₂ = ½, s = −70 (borrowed): performance 0, mix = ½ · (−70 − 12.5) = −41.25;
    // var(mix) = 82.5² · (0 + ½ · ½ / 20) = 85.078125, se = 9.22378.
    // a: w₁ = 1, w₂ = ½, s = 40: performance 0, mix = −½ · (40 − 12.5) = −13.75.
    const result = decomposeChange([
      { key: 'a', before: A, after: A },
      { key: 'b', before: none, after: B },
      { key: 'c', before: none, after: none }, // no answers at all: not a part
    ]);
    expect(result.before).toBeCloseTo(40, 10);
    expect(result.after).toBeCloseTo(-15, 10);
    expect(result.parts.map((p) => p.key)).toEqual(['b', 'a']);
    const b = result.parts[0];
    expect(b?.performance).toBeCloseTo(0, 10);
    expect(b?.mix).toBeCloseTo(-41.25, 10);
    expect(b?.standardError).toBeCloseTo(9.22378, 4);
    expect(b?.real).toBe(true);
    expect(b?.beforeNps).toBeNull();
    const a = result.parts[1];
    expect(a?.mix).toBeCloseTo(-13.75, 10);
    expect(a?.performance).toBeCloseTo(0, 10);
    expect(Number.isFinite(a?.standardError)).toBe(true);
  });
});
