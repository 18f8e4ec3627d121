import { describe, expect, it } from 'vitest';
import { originEffect } from './sent-invitation-origin.ts';

const at = 1_800_000_000_000;
const invitation = (sentAt: number) => ({ kind: 'invitation' as const, sentAt });
const reminder = (sentAt: number) => ({ kind: 'reminder' as const, sentAt });

describe('originEffect', () => {
  it('a reminder never moves the origin, whatever the row says', () => {
    expect(originEffect(undefined, reminder(at))).toBe('unchanged');
    expect(originEffect({ originAt: null, category: null }, reminder(at))).toBe('unchanged');
    expect(originEffect({ originAt: at - 1, category: 'non_respondent' }, reminder(at))).toBe(
      'unchanged',
    );
  });

  it('a contact with no row, or a row without an origin, is recomputed', () => {
    expect(originEffect(undefined, invitation(at))).toBe('unknown');
    // Visits only, or answers that retention anonymised.
    expect(originEffect({ originAt: null, category: null }, invitation(at))).toBe('unknown');
  });

  it.each(['promoter', 'passive', 'detractor'])(
    'an answer (%s) stays the origin, even one older than the invitation',
    (category) => {
      expect(originEffect({ originAt: at - 1, category }, invitation(at))).toBe('unchanged');
      expect(originEffect({ originAt: at + 1, category }, invitation(at))).toBe('unchanged');
    },
  );

  it("a later invitation is a non-respondent's new origin; an earlier or simultaneous one is not", () => {
    const kept = { originAt: at, category: 'non_respondent' };
    expect(originEffect(kept, invitation(at + 1))).toBe('later');
    expect(originEffect(kept, invitation(at))).toBe('unchanged');
    expect(originEffect(kept, invitation(at - 1))).toBe('unchanged');
  });
});
