import { describe, expect, it } from 'vitest';
import { npsInterval } from '../scoring/nps.ts';
import { DEFAULT_CELEBRATE_RULE, judgePersonChange } from './celebrate.ts';
import { fitDirichletPrior } from './empirical-bayes.ts';
import { dirichletDraw, sampleCounts } from './simulate.ts';
import { seededRandom } from './seeded-random.ts';

/**
 * Statistical properties checked by simulation with fixed seeds (issue 10, "what it must show" 1).
 * Each test states the property, the number of simulated samples and the seed.
 */
describe('the 95 % NPS interval covers the truth 94–96 % of the time', () => {
  for (const n of [10, 30, 100]) {
    it(`at n = ${n}, over 10,000 samples with true shares drawn uniformly (seed ${n})`, () => {
      const random = seededRandom(n);
      const samples = 10_000;
      let covered = 0;
      for (let s = 0; s < samples; s++) {
        const truth = dirichletDraw(random, [1, 1, 1]);
        const ci = npsInterval(sampleCounts(random, n, truth));
        const nps = 100 * (truth[0] - truth[2]);
        if (ci && ci.low <= nps && nps <= ci.high) covered++;
      }
      const coverage = covered / samples;
      console.info(`coverage of the adjusted-Wald 95 % interval at n = ${n}: ${coverage}`);
      expect(coverage).toBeGreaterThanOrEqual(0.94);
      expect(coverage).toBeLessThanOrEqual(0.96);
    });
  }
});

describe('the celebrate rule', () => {
  it('fires on pure noise in at most 5 % of person-periods (20,000 person-periods, seed 11)', () => {
    const random = seededRandom(11);
    let fired = 0;
    let celebrated = 0;
    const periods = 20_000;
    for (let org = 0; org < periods / 50; org++) {
      // 50 people whose true NPS never changes; each answers 10–60 times per period.
      const truths = Array.from({ length: 50 }, () => dirichletDraw(random, [15, 8, 5]));
      const before = truths.map((t) =>
        sampleCounts(random, 10 + Math.floor(random.next() * 51), t),
      );
      const after = truths.map((t) => sampleCounts(random, 10 + Math.floor(random.next() * 51), t));
      const prior = fitDirichletPrior(before);
      for (let i = 0; i < 50; i++) {
        const b = before[i];
        const a = after[i];
        if (!a || !b) continue;
        const v = judgePersonChange(b, a, prior).verdict;
        if (v !== null) fired++;
        if (v === 'celebrate') celebrated++;
      }
    }
    console.info(
      `notes on pure noise: ${fired}/${periods} (${((100 * fired) / periods).toFixed(2)} %), celebrations ${celebrated}`,
    );
    expect(celebrated / periods).toBeLessThanOrEqual(0.05);
    expect(fired / periods).toBeLessThanOrEqual(0.05);
  });

  it('celebrates a real rise of 30 points on 60 answers most of the time (seed 12)', () => {
    // With a fixed prior of 20 answers' worth; the job's own power, with the prior fitted from the
    // people, is measured in celebrate-simulation.test.ts.
    const random = seededRandom(12);
    let celebrated = 0;
    for (let i = 0; i < 1000; i++) {
      const prior = { promoters: 10, passives: 6, detractors: 4 };
      const before = sampleCounts(random, 60, [0.4, 0.3, 0.3]); // NPS 10
      const after = sampleCounts(random, 60, [0.6, 0.3, 0.1]); // NPS 50
      if (judgePersonChange(before, after, prior).verdict === 'celebrate') celebrated++;
    }
    expect(celebrated).toBeGreaterThan(700);
  });

  it('says nothing with fewer than the minimum answers, however large the jump', () => {
    const prior = { promoters: 1, passives: 1, detractors: 1 };
    const r = judgePersonChange(
      { promoters: 0, passives: 0, detractors: 9 },
      { promoters: 9, passives: 0, detractors: 0 },
      prior,
    );
    expect(DEFAULT_CELEBRATE_RULE.minAnswers).toBe(10);
    expect(r.probabilityOfRise).toBeGreaterThan(0.99);
    expect(r.verdict).toBeNull();
  });

  it('calls a real drop "attention": a worked example', () => {
    // Prior 5/3/2 (A = 10). Before 16/2/2: a = (21, 5, 4)/30 → mean 17/30 = 56.667,
    //   var = (21·9 + 4·26 + 2·21·4)/(900·31) = 461/27900 = 0.016523, sd = 0.128542
    // After 4/4/12: a = (9, 7, 14)/30 → mean −5/30 = −16.667,
    //   var = (9·21 + 14·16 + 2·9·14)/27900 = 665/27900 = 0.023835, sd = 0.154387
    // z = (−0.166667 − 0.566667)/√(0.016523 + 0.023835) = −0.733333/0.200893 = −3.6504
    const r = judgePersonChange(
      { promoters: 16, passives: 2, detractors: 2 },
      { promoters: 4, passives: 4, detractors: 12 },
      { promoters: 5, passives: 3, detractors: 2 },
    );
    expect(r.before).toBeCloseTo(56.6667, 3);
    expect(r.after).toBeCloseTo(-16.6667, 3);
    expect(r.probabilityOfRise).toBeCloseTo(0.000131, 5);
    expect(r.verdict).toBe('attention');
  });
});
