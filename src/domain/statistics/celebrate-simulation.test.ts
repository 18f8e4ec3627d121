import { describe, expect, it } from 'vitest';
import type { NpsCounts } from '../scoring/nps.ts';
import { DEFAULT_CELEBRATE_RULE, judgeGroupChanges, type GroupPeriods } from './celebrate.ts';
import { dirichletDraw, sampleCounts } from './simulate.ts';
import { seededRandom, type Random } from './seeded-random.ts';

/**
 * The celebrate/attention rule as the notification job applies it (`judgeGroupChanges`: one
 * organisation's people, the prior fitted from all of them in both periods), simulated with fixed
 * seeds. The rule's stated level: a note fires when the posterior probability of a real rise (or
 * drop) is at least 0.95, so on pure noise each kind of note should fire in at most 5 % of
 * person-periods — and the issue asks that ALL notes together stay within 5 %.
 *
 * That is why each note needs a posterior probability of 0.975, not 0.95: two notes at 0.95 each
 * fire together on up to 10 % of noise once people have 100 answers a period or differ widely
 * (measured: 6.1 % at n = 100, 8.7 % for people far apart). At 0.975 each, the two together stay
 * within 5 % — a two-sided test at the 95 % level, the "equivalent test" the issue allows.
 *
 * Realistic sizes: an account manager of a garage or installer gets 10–60 answers a month; the
 * table below also shows 100 and 200. Truths are drawn per person from Dirichlet(15, 8, 5)
 * (promoters 54 %, passives 29 %, detractors 18 %: NPS about +36, people spread ±15 points), the
 * mix of the demo garage; a second scenario has everyone alike, a third very different people.
 * Each printed line is `name: value`, so the figures can be read from the test output.
 */

const PEOPLE = 20;
const ALPHA_REALISTIC: readonly [number, number, number] = [15, 8, 5];

type Sizes = (random: Random) => number;
const fixed =
  (n: number): Sizes =>
  () =>
    n;
/** 10–60 answers per person per month, uniformly: the realistic spread of one organisation. */
const realistic: Sizes = (random) => 10 + random.int(51);

interface Rates {
  periods: number;
  celebrate: number;
  attention: number;
  any: number;
}

/** Person-periods with no true change: every person's truth is the same in both periods. */
function noise(
  seed: number,
  organisations: number,
  sizes: Sizes,
  truth: (random: Random) => [number, number, number],
): Rates {
  const random = seededRandom(seed);
  let celebrate = 0;
  let attention = 0;
  let periods = 0;
  for (let o = 0; o < organisations; o++) {
    const groups: GroupPeriods[] = [];
    for (let p = 0; p < PEOPLE; p++) {
      const t = truth(random);
      groups.push({
        key: String(p),
        before: sampleCounts(random, sizes(random), t),
        after: sampleCounts(random, sizes(random), t),
      });
    }
    for (const g of judgeGroupChanges(groups)) {
      periods++;
      if (g.verdict === 'celebrate') celebrate++;
      if (g.verdict === 'attention') attention++;
    }
  }
  return {
    periods,
    celebrate: celebrate / periods,
    attention: attention / periods,
    any: (celebrate + attention) / periods,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

/** How often person 0's real change of `shift` points (others unchanged) gets the right note. */
function power(seed: number, trials: number, n: number, shift: number): number {
  const random = seededRandom(seed);
  // Person 0 moves from NPS +20 (45/30/25) by `shift`: half from promoters, half from detractors.
  const from: [number, number, number] = [0.45, 0.3, 0.25];
  const s = shift / 200;
  const to: [number, number, number] = [0.45 + s, 0.3, 0.25 - s];
  const want = shift > 0 ? 'celebrate' : 'attention';
  let hits = 0;
  for (let i = 0; i < trials; i++) {
    const groups: GroupPeriods[] = [
      { key: 'moved', before: sampleCounts(random, n, from), after: sampleCounts(random, n, to) },
    ];
    for (let p = 1; p < PEOPLE; p++) {
      const t = dirichletDraw(random, ALPHA_REALISTIC);
      groups.push({
        key: String(p),
        before: sampleCounts(random, n, t),
        after: sampleCounts(random, n, t),
      });
    }
    if (judgeGroupChanges(groups)[0]?.verdict === want) hits++;
  }
  return hits / trials;
}

describe('the celebrate/attention rule on pure noise (no person really changed)', () => {
  it('stays within its stated 5 % per kind of note, and within 5 % for all notes, at every size', () => {
    const scenarios: Array<[string, Sizes, number]> = [
      ['n = 10', fixed(10), 101],
      ['n = 20', fixed(20), 102],
      ['n = 30', fixed(30), 103],
      ['n = 60', fixed(60), 104],
      ['n = 100', fixed(100), 105],
      ['n = 200', fixed(200), 106],
      ['n = 10–60 (realistic mix)', realistic, 107],
    ];
    for (const [label, sizes, seed] of scenarios) {
      const r = noise(seed, 400, sizes, (random) => dirichletDraw(random, ALPHA_REALISTIC));
      console.info(
        `noise notes at ${label} over ${r.periods} person-periods (seed ${seed}): celebrate ${pct(r.celebrate)}, attention ${pct(r.attention)}, any ${pct(r.any)}`,
      );
      expect(r.celebrate, label).toBeLessThanOrEqual(1 - DEFAULT_CELEBRATE_RULE.threshold);
      expect(r.attention, label).toBeLessThanOrEqual(1 - DEFAULT_CELEBRATE_RULE.threshold);
      expect(r.any, label).toBeLessThanOrEqual(0.05);
    }
  });

  it('stays within 5 % when everyone is alike and when people differ widely (realistic sizes)', () => {
    const alike = noise(201, 400, realistic, () => [0.54, 0.28, 0.18]);
    const apart = noise(202, 400, realistic, (random) => dirichletDraw(random, [1.5, 0.8, 0.5]));
    console.info(
      `noise notes, everyone alike: any ${pct(alike.any)}; people far apart: any ${pct(apart.any)}`,
    );
    expect(alike.any).toBeLessThanOrEqual(0.05);
    expect(apart.any).toBeLessThanOrEqual(0.05);
  });

  it('says how often an unchanged person gets at least one note in a year of monthly periods', () => {
    // Twelve independent months at the realistic mix: the per-period rate compounded. Not a
    // property the rule promises; printed so that nobody mistakes 5 % per month for 5 % per year.
    const r = noise(301, 400, realistic, (random) => dirichletDraw(random, ALPHA_REALISTIC));
    const perYear = 1 - (1 - r.any) ** 12;
    console.info(`noise notes per unchanged person per year (12 months): ${pct(perYear)}`);
    // About one unchanged person in nine a year (11 %), far from the 46 % that 5 % a month allows.
    expect(perYear).toBeLessThanOrEqual(0.15);
  });
});

describe('the celebrate/attention rule on a real change (power)', () => {
  it('celebrates a real rise and flags a real drop of realistic size, more often with more answers', () => {
    const rows: Array<[number, number, number]> = [];
    for (const shift of [10, 20, 30]) {
      for (const n of [30, 60, 100, 200]) {
        const rise = power(400 + shift + n, 300, n, shift);
        const drop = power(500 + shift + n, 300, n, -shift);
        console.info(
          `power for a real change of ${shift} points at n = ${n} per period: rise celebrated ${pct(rise)}, drop flagged ${pct(drop)}`,
        );
        rows.push([shift, n, Math.min(rise, drop)]);
      }
    }
    const at = (shift: number, n: number) =>
      rows.find((r) => r[0] === shift && r[1] === n)?.[2] ?? 0;
    // More answers, more power; a larger change, more power.
    for (const shift of [10, 20, 30]) {
      expect(at(shift, 200)).toBeGreaterThan(at(shift, 30));
    }
    for (const n of [30, 60, 100, 200]) expect(at(30, n)).toBeGreaterThan(at(10, n));
    // The price of never celebrating noise: a change of 30 points (+20 → +50) is seen most of the
    // time from 100 answers a period, nearly always at 200; at 60 about a third of the time.
    expect(at(30, 60)).toBeGreaterThanOrEqual(0.25);
    expect(at(30, 100)).toBeGreaterThanOrEqual(0.55);
    expect(at(30, 200)).toBeGreaterThanOrEqual(0.9);
    expect(at(20, 200)).toBeGreaterThanOrEqual(0.45);
  });
});

/** Keeps the helper types honest: a sample's counts add up to its size. */
it('samples counts that add up to n', () => {
  const c: NpsCounts = sampleCounts(seededRandom(1), 37, [0.5, 0.3, 0.2]);
  expect(c.promoters + c.passives + c.detractors).toBe(37);
});
