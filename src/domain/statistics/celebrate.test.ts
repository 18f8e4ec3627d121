import { describe, expect, it } from 'vitest';
import type { NpsCounts } from '../scoring/nps.ts';
import {
  DEFAULT_CELEBRATE_RULE,
  judgeGroupChanges,
  judgePersonChange,
  type GroupPeriods,
} from './celebrate.ts';
import { fitDirichletPrior, posteriorNps } from './empirical-bayes.ts';
import { normalCdf } from './normal.ts';

const counts = (promoters: number, passives: number, detractors: number): NpsCounts => ({
  promoters,
  passives,
  detractors,
});
const FLAT = counts(1, 1, 1);

describe('the celebrate rule for one person', () => {
  it('states its level: 0.975 per note (both notes together 5 % on noise), at least 10 answers', () => {
    expect(DEFAULT_CELEBRATE_RULE).toEqual({ threshold: 0.975, minAnswers: 10 });
  });

  it('says nothing, and computes nothing, for a period without answers', () => {
    const none = { verdict: null, probabilityOfRise: null, before: null, after: null };
    expect(judgePersonChange(counts(0, 0, 0), counts(20, 0, 0), FLAT)).toEqual(none);
    expect(judgePersonChange(counts(20, 0, 0), counts(0, 0, 0), FLAT)).toEqual(none);
  });

  it('celebrates a clear rise: the probability is Φ of the difference over the joint sd', () => {
    const before = counts(4, 4, 12);
    const after = counts(16, 2, 2);
    const prior = counts(5, 3, 2);
    const a = posteriorNps(before, prior);
    const b = posteriorNps(after, prior);
    const r = judgePersonChange(before, after, prior);
    expect(r.before).toBeCloseTo(a.mean, 10);
    expect(r.after).toBeCloseTo(b.mean, 10);
    expect(r.probabilityOfRise).toBeCloseTo(
      normalCdf((b.mean - a.mean) / Math.sqrt(a.sd ** 2 + b.sd ** 2)),
      12,
    );
    // The worked example of simulation.test.ts, the other way round: z = +3.6504.
    expect(r.probabilityOfRise).toBeCloseTo(1 - 0.000131, 5);
    expect(r.verdict).toBe('celebrate');
  });

  it('is symmetric: swapping the periods turns a rise into a drop of the same probability', () => {
    const before = counts(10, 6, 8);
    const after = counts(15, 5, 4);
    const up = judgePersonChange(before, after, FLAT);
    const down = judgePersonChange(after, before, FLAT);
    expect((up.probabilityOfRise ?? 0) + (down.probabilityOfRise ?? 0)).toBeCloseTo(1, 12);
    expect(up.before).toBeCloseTo(down.after ?? NaN, 12);
  });

  it('needs the minimum number of answers in BOTH periods', () => {
    const low = counts(0, 0, 10);
    const high = counts(10, 0, 0);
    expect(judgePersonChange(low, high, FLAT).verdict).toBe('celebrate');
    expect(judgePersonChange(high, low, FLAT).verdict).toBe('attention');
    // Nine answers in either period: silent, however clear the jump.
    expect(judgePersonChange(counts(0, 0, 9), high, FLAT).verdict).toBeNull();
    expect(judgePersonChange(low, counts(9, 0, 0), FLAT).verdict).toBeNull();
    expect(judgePersonChange(counts(0, 0, 9), high, FLAT).probabilityOfRise).toBeGreaterThan(0.99);
    // A rule asking for fewer answers speaks at nine.
    const rule = { threshold: 0.975, minAnswers: 9 };
    expect(judgePersonChange(counts(0, 0, 9), counts(9, 0, 0), FLAT, rule).verdict).toBe(
      'celebrate',
    );
  });

  it('fires exactly from the threshold, in each direction', () => {
    const before = counts(10, 5, 5);
    const after = counts(13, 4, 3);
    const p = judgePersonChange(before, after, FLAT).probabilityOfRise ?? NaN;
    expect(p).toBeGreaterThan(0.5);
    expect(p).toBeLessThan(0.975);
    expect(judgePersonChange(before, after, FLAT).verdict).toBeNull();
    expect(judgePersonChange(before, after, FLAT, { threshold: p, minAnswers: 10 }).verdict).toBe(
      'celebrate',
    );
    expect(
      judgePersonChange(before, after, FLAT, { threshold: p + 1e-9, minAnswers: 10 }).verdict,
    ).toBeNull();
    // The same probability read as a drop the other way round.
    expect(judgePersonChange(after, before, FLAT, { threshold: p, minAnswers: 10 }).verdict).toBe(
      'attention',
    );
    expect(
      judgePersonChange(after, before, FLAT, { threshold: p + 1e-9, minAnswers: 10 }).verdict,
    ).toBeNull();
  });

  it('shrinks toward the prior: the same raw jump on few answers is less sure than on many', () => {
    const prior = counts(30, 20, 10);
    const few = judgePersonChange(counts(3, 4, 3), counts(7, 2, 1), prior);
    const many = judgePersonChange(counts(30, 40, 30), counts(70, 20, 10), prior);
    expect(few.probabilityOfRise ?? 1).toBeLessThan(many.probabilityOfRise ?? 0);
    expect(Math.abs((few.after ?? 0) - (few.before ?? 0))).toBeLessThan(
      Math.abs((many.after ?? 0) - (many.before ?? 0)),
    );
  });

  it('handles posteriors without spread: a higher mean is sure, an equal one says nothing', () => {
    const certain = counts(5, 0, 0);
    const same = judgePersonChange(counts(20, 0, 0), counts(30, 0, 0), certain);
    expect(same.probabilityOfRise).toBe(0.5);
    expect(same.verdict).toBeNull();
    // Without a prior, passives only then promoters only: both posteriors certain, a sure rise.
    const up = judgePersonChange(counts(0, 20, 0), counts(20, 0, 0), counts(0, 0, 0));
    expect(up.probabilityOfRise).toBe(1);
    expect(up.verdict).toBe('celebrate');
    const down = judgePersonChange(counts(20, 0, 0), counts(0, 20, 0), counts(0, 0, 0));
    expect(down.probabilityOfRise).toBe(0);
    expect(down.verdict).toBe('attention');
  });
});

describe('the celebrate rule over an organisation (what the job runs)', () => {
  const stable = (key: string, p: number, o: number, d: number): GroupPeriods => ({
    key,
    before: counts(p, o, d),
    after: counts(p, o, d),
  });

  it('judges nobody when there is nobody', () => {
    expect(judgeGroupChanges([])).toEqual([]);
  });

  it('fits one prior from every person in both periods and judges each under it', () => {
    const groups: GroupPeriods[] = [
      { key: 'sanne', before: counts(10, 10, 20), after: counts(30, 6, 4) },
      stable('pieter', 20, 12, 8),
      { key: 'kim', before: counts(22, 10, 8), after: counts(18, 12, 10) },
      stable('ank', 15, 15, 10),
    ];
    const prior = fitDirichletPrior(groups.flatMap((g) => [g.before, g.after]));
    const judged = judgeGroupChanges(groups);
    expect(judged.map((g) => g.key)).toEqual(['sanne', 'pieter', 'kim', 'ank']);
    groups.forEach((g, i) => {
      expect(judged[i]).toEqual({
        key: g.key,
        answersBefore: 40,
        answersAfter: 40,
        ...judgePersonChange(g.before, g.after, prior),
      });
    });
    expect(judged[0]?.verdict).toBe('celebrate');
    expect(judged[1]?.verdict).toBeNull();
    expect(judged[1]?.probabilityOfRise).toBeCloseTo(0.5, 10);
  });

  it('does not use one period as the reference: the prior is the same whichever way round', () => {
    const groups: GroupPeriods[] = [
      { key: 'a', before: counts(5, 10, 25), after: counts(25, 10, 5) },
      stable('b', 20, 10, 10),
      stable('c', 18, 12, 10),
    ];
    const forward = judgeGroupChanges(groups);
    const backward = judgeGroupChanges(
      groups.map((g) => ({ key: g.key, before: g.after, after: g.before })),
    );
    expect(forward[0]?.verdict).toBe('celebrate');
    expect(backward[0]?.verdict).toBe('attention');
    expect(
      (forward[0]?.probabilityOfRise ?? 0) + (backward[0]?.probabilityOfRise ?? 0),
    ).toBeCloseTo(1, 10);
  });

  it('counts each period’s answers and stays silent for a person new this period', () => {
    const judged = judgeGroupChanges([
      { key: 'new', before: counts(0, 0, 0), after: counts(30, 0, 0) },
      stable('old', 10, 5, 5),
      stable('older', 12, 4, 4),
    ]);
    expect(judged[0]).toMatchObject({
      key: 'new',
      answersBefore: 0,
      answersAfter: 30,
      verdict: null,
      probabilityOfRise: null,
    });
    expect(judged[1]).toMatchObject({ answersBefore: 20, answersAfter: 20 });
  });

  it('passes its rule on: a looser rule speaks where the default stays silent', () => {
    const groups: GroupPeriods[] = [
      { key: 'x', before: counts(5, 2, 3), after: counts(8, 1, 1) },
      stable('y', 6, 2, 2),
      stable('z', 5, 3, 2),
    ];
    expect(judgeGroupChanges(groups)[0]?.verdict).toBeNull();
    expect(judgeGroupChanges(groups, { threshold: 0.5, minAnswers: 1 })[0]?.verdict).toBe(
      'celebrate',
    );
  });
});
