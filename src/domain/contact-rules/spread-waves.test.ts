import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { spreadWaves } from './spread-waves.ts';
import type { WaveAssignment } from './spread-waves.ts';

const START = Date.UTC(2025, 0, 1);
const END = Date.UTC(2026, 0, 1);
const ids = (n: number, prefix = 'c'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

function sizes(assignments: readonly WaveAssignment[], waves: number): number[] {
  const counts = new Array<number>(waves).fill(0);
  for (const a of assignments) counts[a.waveIndex] = (counts[a.waveIndex] ?? 0) + 1;
  return counts;
}

function waveOf(assignments: readonly WaveAssignment[]): Map<string, number> {
  return new Map(assignments.map((a) => [a.contactId, a.waveIndex]));
}

describe('spreading a customer base over waves', () => {
  it('splits 4,000 garage customers into twelve monthly waves of 333 or 334', () => {
    const result = spreadWaves({
      contactIds: ids(4000),
      start: START,
      end: END,
      waves: 12,
      seed: 'survey-1',
    });
    expect(result).toHaveLength(4000);
    const counts = sizes(result, 12);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4000);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(new Set(counts)).toEqual(new Set([333, 334]));
  });

  it('sends wave k at start + k twelfths of the period', () => {
    const result = spreadWaves({
      contactIds: ids(120),
      start: START,
      end: END,
      waves: 12,
      seed: 's',
    });
    const period = END - START;
    for (const a of result) {
      expect(a.sendAt).toBe(START + Math.floor((a.waveIndex * period) / 12));
      expect(a.sendAt).toBeGreaterThanOrEqual(START);
      expect(a.sendAt).toBeLessThan(END);
    }
    expect(new Set(result.map((a) => a.sendAt)).size).toBe(12);
  });

  it('gives the same waves for the same seed, whatever the input order', () => {
    const contactIds = ids(500);
    const first = spreadWaves({ contactIds, start: START, end: END, waves: 12, seed: 'survey-1' });
    const again = spreadWaves({ contactIds, start: START, end: END, waves: 12, seed: 'survey-1' });
    const reversed = spreadWaves({
      contactIds: [...contactIds].reverse(),
      start: START,
      end: END,
      waves: 12,
      seed: 'survey-1',
    });
    expect(again).toEqual(first);
    expect(waveOf(reversed)).toEqual(waveOf(first));
  });

  it('gives different waves for a different seed', () => {
    const contactIds = ids(500);
    const a = waveOf(
      spreadWaves({ contactIds, start: START, end: END, waves: 12, seed: 'survey-1' }),
    );
    const b = waveOf(
      spreadWaves({ contactIds, start: START, end: END, waves: 12, seed: 'survey-2' }),
    );
    const same = contactIds.filter((id) => a.get(id) === b.get(id)).length;
    // By chance about 1/12 stay in the same wave.
    expect(same).toBeLessThan(100);
  });

  it('mixes the base rather than putting consecutive ids in the same wave', () => {
    const result = spreadWaves({
      contactIds: ids(1200),
      start: START,
      end: END,
      waves: 12,
      seed: 'x',
    });
    const firstHundred = result.slice(0, 100);
    expect(new Set(firstHundred.map((a) => a.waveIndex)).size).toBe(12);
  });

  it('moves only a few contacts when one customer is added', () => {
    const before = waveOf(
      spreadWaves({ contactIds: ids(1000), start: START, end: END, waves: 12, seed: 's' }),
    );
    const after = waveOf(
      spreadWaves({
        contactIds: [...ids(1000), 'new'],
        start: START,
        end: END,
        waves: 12,
        seed: 's',
      }),
    );
    const moved = ids(1000).filter((id) => before.get(id) !== after.get(id)).length;
    expect(moved).toBeLessThanOrEqual(12);
  });

  it('assigns a duplicated id once, in order of first appearance', () => {
    const result = spreadWaves({
      contactIds: ['b', 'a', 'b', 'c', 'a'],
      start: START,
      end: END,
      waves: 2,
      seed: 's',
    });
    expect(result.map((a) => a.contactId)).toEqual(['b', 'a', 'c']);
    expect(sizes(result, 2).sort()).toEqual([1, 2]);
  });

  it('leaves waves empty when there are fewer contacts than waves', () => {
    const result = spreadWaves({
      contactIds: ids(5),
      start: START,
      end: END,
      waves: 12,
      seed: 's',
    });
    const counts = sizes(result, 12);
    expect(counts.filter((c) => c === 1)).toHaveLength(5);
    expect(counts.filter((c) => c === 0)).toHaveLength(7);
  });

  it('puts everybody in wave 0 at the start with a single wave', () => {
    const result = spreadWaves({ contactIds: ids(3), start: START, end: END, waves: 1, seed: 's' });
    expect(result.every((a) => a.waveIndex === 0 && a.sendAt === START)).toBe(true);
  });

  it('returns nothing for no contacts', () => {
    expect(spreadWaves({ contactIds: [], start: START, end: END, waves: 12, seed: 's' })).toEqual(
      [],
    );
  });

  it('rejects a non-positive or fractional number of waves and an empty period', () => {
    const base = { contactIds: ids(3), start: START, end: END, seed: 's' };
    expect(() => spreadWaves({ ...base, waves: 0 })).toThrow(
      new RangeError('spreadWaves: waves must be a positive integer, got 0'),
    );
    expect(() => spreadWaves({ ...base, waves: 2.5 })).toThrow(
      new RangeError('spreadWaves: waves must be a positive integer, got 2.5'),
    );
    expect(() => spreadWaves({ ...base, waves: 12, end: START })).toThrow(
      new RangeError(`spreadWaves: need finite start < end, got [${START}, ${START})`),
    );
    expect(() => spreadWaves({ ...base, waves: 12, end: Number.NaN })).toThrow(
      new RangeError(`spreadWaves: need finite start < end, got [${START}, NaN)`),
    );
  });

  it('always makes waves that differ in size by at most one (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }),
        fc.string(),
        (contactIds, waves, seed) => {
          const result = spreadWaves({ contactIds, start: START, end: END, waves, seed });
          expect(result).toHaveLength(new Set(contactIds).size);
          const counts = sizes(result, waves);
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
          for (const a of result) {
            expect(a.waveIndex).toBeGreaterThanOrEqual(0);
            expect(a.waveIndex).toBeLessThan(waves);
          }
        },
      ),
    );
  });
});

describe('the wave of each customer of a running continuous survey', () => {
  it('stays where it was for a fixed seed: the assignment is pinned', () => {
    // A change of hash or of cutting would silently move every customer of a running survey to
    // another month (asked twice in one cycle, or not at all). These 24 ids and their waves were
    // taken from the implementation as it shipped; change them only with a migration plan.
    const tail = (i: number) => (0x5eed00 + i * 7919).toString(16).padStart(12, '0');
    const contactIds = Array.from({ length: 24 }, (_, i) => `0193a5c0-7e1b-7000-8000-${tail(i)}`);
    const result = spreadWaves({
      contactIds,
      start: Date.UTC(2026, 0, 1),
      end: Date.UTC(2027, 0, 1),
      waves: 12,
      seed: '0193a5c0-1111-7000-8000-00000000cafe',
    });
    expect(result.map((a) => a.waveIndex)).toEqual([
      1, 9, 2, 0, 11, 8, 0, 3, 1, 10, 10, 6, 3, 4, 6, 9, 4, 5, 2, 5, 11, 8, 7, 7,
    ]);
    // And the send moments are the first of each month's share of the year, to the millisecond.
    expect(result[4]?.sendAt).toBe(Date.UTC(2026, 0, 1) + Math.floor((11 * 365 * 86_400_000) / 12));
  });
});
