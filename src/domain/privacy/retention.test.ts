import { describe, expect, it } from 'vitest';
import {
  emailBodyCutoff,
  latestDetachableMonth,
  linkTokenCutoff,
  retentionCutoff,
} from './retention.ts';

const at = (iso: string) => Date.parse(iso);

describe('retention cutoff', () => {
  it('goes back whole calendar months, keeping the time of day', () => {
    expect(retentionCutoff(at('2026-11-29T03:30:00Z'), 36)).toBe(at('2023-11-29T03:30:00Z'));
    expect(retentionCutoff(at('2026-11-29T03:30:00Z'), 6)).toBe(at('2026-05-29T03:30:00Z'));
    expect(retentionCutoff(at('2026-11-29T03:30:00Z'), 11)).toBe(at('2025-12-29T03:30:00Z'));
    expect(retentionCutoff(at('2026-01-15T00:00:00Z'), 13)).toBe(at('2024-12-15T00:00:00Z'));
  });

  it('clamps to the end of a shorter month instead of spilling into the next', () => {
    expect(retentionCutoff(at('2026-03-31T12:00:00Z'), 1)).toBe(at('2026-02-28T12:00:00Z'));
    expect(retentionCutoff(at('2028-03-31T12:00:00Z'), 1)).toBe(at('2028-02-29T12:00:00Z'));
    expect(retentionCutoff(at('2026-05-31T12:00:00Z'), 1)).toBe(at('2026-04-30T12:00:00Z'));
  });

  it('refuses a period that is not a positive whole number of months', () => {
    expect(() => retentionCutoff(0, 0)).toThrow(RangeError);
    expect(() => retentionCutoff(0, 1.5)).toThrow(RangeError);
  });

  it('deletes email bodies after 90 days and link tokens 180 days after expiry', () => {
    const now = at('2026-11-29T00:00:00Z');
    expect(emailBodyCutoff(now)).toBe(at('2026-08-31T00:00:00Z'));
    expect(linkTokenCutoff(now)).toBe(at('2026-06-02T00:00:00Z'));
  });

  it('detaches partitions only of months past every organisation’s period and the history', () => {
    const now = at('2026-11-29T03:30:00Z');
    // The longest period decides: 36 months back is November 2023, so months before it.
    expect(latestDetachableMonth(now, [6, 36, 12])).toBe(at('2023-11-01T00:00:00Z'));
    expect(latestDetachableMonth(now, [120])).toBe(at('2016-11-01T00:00:00Z'));
    // Short periods never reach inside the 13 months of history the contact rules read.
    expect(latestDetachableMonth(now, [6])).toBe(at('2025-10-01T00:00:00Z'));
    expect(latestDetachableMonth(now, [])).toBe(at('2025-10-01T00:00:00Z'));
    // On the first of a month the cutoff's own month is still partly inside the period.
    expect(latestDetachableMonth(at('2026-12-01T00:00:00Z'), [24])).toBe(
      at('2024-12-01T00:00:00Z'),
    );
  });
});
