import { describe, expect, it } from 'vitest';
import { QUIET_AFTER_NO_ANSWER_MS, afterAttempt, probing, tryNow } from './unanswered-endpoint.ts';

describe('an endpoint that stopped answering', () => {
  const t0 = 1_000_000;

  it('is tried as usual while it answers, whatever the status', () => {
    expect(tryNow(undefined, t0)).toBe('send');
    expect(afterAttempt(true, t0)).toBeUndefined();
  });

  it('is left alone for a quiet period after one attempt got no answer', () => {
    const silent = afterAttempt(false, t0);
    expect(silent).toEqual({ quietUntil: t0 + QUIET_AFTER_NO_ANSWER_MS, probing: false });
    expect(tryNow(silent, t0)).toBe('skip');
    expect(tryNow(silent, t0 + QUIET_AFTER_NO_ANSWER_MS - 1)).toBe('skip');
  });

  it('is then probed by one delivery at a time', () => {
    const silent = afterAttempt(false, t0);
    const after = t0 + QUIET_AFTER_NO_ANSWER_MS;
    expect(tryNow(silent, after)).toBe('probe');
    const testing = silent && probing(silent);
    expect(testing).toEqual({ quietUntil: after, probing: true });
    expect(tryNow(testing, after + 10)).toBe('skip');
    // Silence again: another quiet period; an answer: open for all.
    expect(afterAttempt(false, after + 15_000)).toEqual({
      quietUntil: after + 15_000 + QUIET_AFTER_NO_ANSWER_MS,
      probing: false,
    });
    expect(afterAttempt(true, after + 20)).toBeUndefined();
  });
});
