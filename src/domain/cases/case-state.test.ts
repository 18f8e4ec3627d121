import { describe, expect, it } from 'vitest';
import { canMove, isActive, statusAfterContactMoment } from './case-state.ts';

describe('the case state machine', () => {
  it('moves a recovery case open → contacted → resolved or not resolvable', () => {
    expect(canMove('recovery', 'open', 'contacted')).toBe(true);
    expect(canMove('recovery', 'contacted', 'resolved')).toBe(true);
    expect(canMove('recovery', 'contacted', 'unresolvable')).toBe(true);
    expect(canMove('recovery', 'open', 'resolved')).toBe(true);
  });

  it('never moves back or out of a closed case', () => {
    expect(canMove('recovery', 'contacted', 'contacted')).toBe(false);
    expect(canMove('recovery', 'resolved', 'contacted')).toBe(false);
    expect(canMove('recovery', 'unresolvable', 'resolved')).toBe(false);
    expect(canMove('recovery', 'changed_by_customer', 'resolved')).toBe(false);
  });

  it('has no contacted step for a thank-you task', () => {
    expect(canMove('thanks', 'open', 'contacted')).toBe(false);
    expect(canMove('thanks', 'open', 'resolved')).toBe(true);
    expect(canMove('thanks', 'open', 'unresolvable')).toBe(true);
  });

  it('counts open and contacted as active', () => {
    expect(isActive('open')).toBe(true);
    expect(isActive('contacted')).toBe(true);
    expect(isActive('resolved')).toBe(false);
    expect(isActive('changed_by_customer')).toBe(false);
  });

  it('marks an open case contacted at a contact moment, and leaves others', () => {
    expect(statusAfterContactMoment('open')).toBe('contacted');
    expect(statusAfterContactMoment('contacted')).toBe('contacted');
    expect(statusAfterContactMoment('resolved')).toBe('resolved');
  });
});
