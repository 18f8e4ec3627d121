import { describe, it, expect } from 'vitest';
import { seededRandom, type Random } from '../statistics/seeded-random.ts';
import { assessNpsPrediction, rateRatio, type ReturnObservation } from './nps-predicts-return.ts';

/** Groups simulated customers the way SQL does: one row per (score, prior visits). */
function simulate(
  random: Random,
  customers: number,
  draw: (random: Random) => { score: number; priorVisits: number; returnProbability: number },
): ReturnObservation[] {
  const groups = new Map<
    string,
    { score: number; priorVisits: number; returned: number; stayedAway: number }
  >();
  for (let i = 0; i < customers; i++) {
    const c = draw(random);
    const key = `${c.score}/${c.priorVisits}`;
    const g = groups.get(key) ?? {
      score: c.score,
      priorVisits: c.priorVisits,
      returned: 0,
      stayedAway: 0,
    };
    if (random.next() < c.returnProbability) g.returned++;
    else g.stayedAway++;
    groups.set(key, g);
  }
  return [...groups.values()];
}

const logistic = (eta: number) => 1 / (1 + Math.exp(-eta));
const clampScore = (x: number) => Math.max(0, Math.min(10, Math.round(x)));

describe('does NPS predict return here?', () => {
  it('says "not enough data" below the documented minimum, and by how many', () => {
    const result = assessNpsPrediction([
      { score: 9, priorVisits: 1, returned: 8, stayedAway: 4 },
      { score: 3, priorVisits: 1, returned: 2, stayedAway: 6 },
    ]);
    expect(result.verdict).toBe('not_enough_data');
    expect(result.customers).toBe(20);
    expect(result.shortBy).toBe(10);
    expect(result.aucScore).toBeNull();
  });

  it('counts the shortfall of the rarer outcome too', () => {
    const result = assessNpsPrediction([{ score: 9, priorVisits: 1, returned: 45, stayedAway: 6 }]);
    expect(result).toMatchObject({ verdict: 'not_enough_data', shortBy: 4 });
  });

  it('finds a real effect and that the score adds to prior visits (simulated, known effect)', () => {
    // Return depends on the score only: logit P = −3 + 0.4·score; prior visits are noise.
    const rows = simulate(seededRandom(1), 600, (r) => {
      const score = r.int(11);
      return { score, priorVisits: r.int(5), returnProbability: logistic(-3 + 0.4 * score) };
    });
    const result = assessNpsPrediction(rows);
    expect(result.verdict).toBe('predicts_and_adds');
    // exp(0.4) = 1.49 more odds per point: the interval covers it.
    expect(result.oddsPerPoint?.low).toBeLessThan(Math.exp(0.4));
    expect(result.oddsPerPoint?.high).toBeGreaterThan(Math.exp(0.4));
    expect(result.aucScore?.low).toBeGreaterThan(0.5);
    expect(result.gain?.low).toBeGreaterThan(0);
    expect(result.ratio?.estimate).toBeGreaterThan(1.5);
  });

  it('says the score adds little when prior visits explain both (simulated)', () => {
    // Loyal regulars score higher and come back more, but given their visits the score says nothing.
    const rows = simulate(seededRandom(2), 800, (r) => {
      const priorVisits = r.int(6);
      return {
        score: clampScore(4 + priorVisits + 1.5 * r.normal()),
        priorVisits,
        returnProbability: logistic(-2 + 0.8 * priorVisits),
      };
    });
    const result = assessNpsPrediction(rows);
    expect(result.verdict).toBe('predicts_adds_little');
    expect(result.aucScore?.low).toBeGreaterThan(0.5);
    expect(result.gain?.low).toBeLessThanOrEqual(0);
    expect(result.aucPriorVisits?.estimate).toBeGreaterThan(result.aucScore?.estimate ?? 1);
  });

  it('finds no evidence when the score is unrelated to return (simulated)', () => {
    const rows = simulate(seededRandom(3), 300, (r) => ({
      score: r.int(11),
      priorVisits: r.int(4),
      returnProbability: 0.4,
    }));
    const result = assessNpsPrediction(rows);
    expect(result.verdict).toBe('no_evidence');
    expect(result.aucScore?.low).toBeLessThan(0.5);
    expect(result.aucScore?.high).toBeGreaterThan(0.5);
  });

  it('says so when higher scores come back less often', () => {
    const rows = simulate(seededRandom(4), 600, (r) => {
      const score = r.int(11);
      return { score, priorVisits: 0, returnProbability: logistic(1 - 0.4 * score) };
    });
    expect(assessNpsPrediction(rows).verdict).toBe('predicts_inversely');
  });
});

describe('promoters against detractors', () => {
  it('gives the Katz interval of the ratio (checked in numpy)', () => {
    // 30 of 50 promoters and 12 of 40 detractors came back: 0.6 / 0.3 = 2.0 [1.18347, 3.37989].
    const ratio = rateRatio([
      { score: 10, priorVisits: 0, returned: 20, stayedAway: 10 },
      { score: 9, priorVisits: 2, returned: 10, stayedAway: 10 },
      { score: 8, priorVisits: 1, returned: 40, stayedAway: 0 },
      { score: 6, priorVisits: 1, returned: 12, stayedAway: 28 },
    ]);
    expect(ratio?.estimate).toBeCloseTo(2, 10);
    expect(ratio?.low).toBeCloseTo(1.1834719643, 8);
    expect(ratio?.high).toBeCloseTo(3.3798857265, 8);
    expect(ratio).toMatchObject({
      promoters: 50,
      detractors: 40,
      promoterRate: 0.6,
      detractorRate: 0.3,
    });
  });

  it('is not given for small groups or when no detractor returned', () => {
    expect(
      rateRatio([
        { score: 10, priorVisits: 0, returned: 5, stayedAway: 4 },
        { score: 2, priorVisits: 0, returned: 5, stayedAway: 40 },
      ]),
    ).toBeNull();
    expect(
      rateRatio([
        { score: 10, priorVisits: 0, returned: 5, stayedAway: 40 },
        { score: 2, priorVisits: 0, returned: 0, stayedAway: 40 },
      ]),
    ).toBeNull();
  });
});

describe('does NPS predict return here? (edges)', () => {
  it('finds no evidence when everyone gave the same score (an AUC of exactly 0.5)', () => {
    const rows = [
      { score: 8, priorVisits: 0, returned: 10, stayedAway: 12 },
      { score: 8, priorVisits: 1, returned: 8, stayedAway: 6 },
      { score: 8, priorVisits: 3, returned: 9, stayedAway: 2 },
    ];
    const result = assessNpsPrediction(rows);
    expect(result.verdict).toBe('no_evidence');
    expect(result.aucScore?.estimate).toBe(0.5);
    expect(result.oddsPerPoint).toBeNull();
  });

  it('reports the AUC of score and prior visits together, and uses the level it is given', () => {
    const rows = simulate(seededRandom(1), 600, (r) => {
      const score = r.int(11);
      return { score, priorVisits: r.int(5), returnProbability: logistic(-3 + 0.4 * score) };
    });
    const at95 = assessNpsPrediction(rows);
    const at80 = assessNpsPrediction(rows, 0.8);
    expect(at95.aucBoth?.estimate).toBeGreaterThan(at95.aucPriorVisits?.estimate ?? 1);
    expect(at80.level).toBe(0.8);
    const width = (x: { low: number; high: number } | null | undefined) =>
      (x?.high ?? 0) - (x?.low ?? 0);
    expect(width(at80.oddsPerPoint)).toBeLessThan(width(at95.oddsPerPoint));
    expect(width(at80.aucScore)).toBeLessThan(width(at95.aucScore));
    expect(at80.oddsPerPoint?.estimate).toBeCloseTo(at95.oddsPerPoint?.estimate ?? 0, 10);
  });
});

describe('promoters against detractors (edges)', () => {
  const group = (score: number, returned: number, stayedAway: number) => ({
    score,
    priorVisits: 0,
    returned,
    stayedAway,
  });

  it('is given from exactly ten in each group', () => {
    const ratio = rateRatio([group(10, 6, 4), group(3, 3, 7)]);
    expect(ratio?.estimate).toBeCloseTo(2, 12);
    expect(ratio).toMatchObject({ promoters: 10, detractors: 10 });
  });

  it('is not given with too few detractors, or when no promoter returned', () => {
    expect(rateRatio([group(10, 20, 25), group(2, 4, 5)])).toBeNull();
    expect(rateRatio([group(9, 0, 45), group(2, 10, 30)])).toBeNull();
  });
});
