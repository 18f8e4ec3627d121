import { describe, expect, it } from 'vitest';
import { planCaseChange } from './plan-case-change.ts';
import type { CaseDecision } from './decide-case.ts';

const recovery: CaseDecision = {
  kind: 'recovery',
  reasons: ['detractor'],
  priority: 'high',
  themeWords: [],
};
const thanks: CaseDecision = {
  kind: 'thanks',
  reasons: ['promoter'],
  priority: 'low',
  themeWords: [],
};
const open = (id: string, kind: 'recovery' | 'thanks' = 'recovery') => ({
  id,
  kind,
  status: 'open' as const,
});

describe('what a saved answer does to the cases', () => {
  it('opens a case for a first detractor answer', () => {
    expect(
      planCaseChange({
        hasContact: true,
        decision: recovery,
        caseOfResponse: null,
        activeCaseOfContact: null,
      }),
    ).toEqual([{ type: 'open', decision: recovery }]);
  });

  it('opens nothing for an anonymous answer', () => {
    expect(
      planCaseChange({
        hasContact: false,
        decision: recovery,
        caseOfResponse: null,
        activeCaseOfContact: null,
      }),
    ).toEqual([]);
  });

  it('closes the case as changed by the customer when a 3 is edited to 9', () => {
    const c = open('c1');
    expect(
      planCaseChange({
        hasContact: true,
        decision: null,
        caseOfResponse: c,
        activeCaseOfContact: c,
      }),
    ).toEqual([{ type: 'close', caseId: 'c1', status: 'changed_by_customer' }]);
  });

  it('also closes a case already contacted when the answer no longer calls for it', () => {
    const c = { id: 'c1', kind: 'recovery' as const, status: 'contacted' as const };
    expect(
      planCaseChange({
        hasContact: true,
        decision: null,
        caseOfResponse: c,
        activeCaseOfContact: c,
      }),
    ).toEqual([{ type: 'close', caseId: 'c1', status: 'changed_by_customer' }]);
  });

  it('opens a case when a 9 is edited to 3', () => {
    expect(
      planCaseChange({
        hasContact: true,
        decision: recovery,
        caseOfResponse: null,
        activeCaseOfContact: null,
      }),
    ).toEqual([{ type: 'open', decision: recovery }]);
  });

  it('updates the same case when a 3 is edited to 5', () => {
    const c = open('c1');
    const five = { ...recovery, priority: 'normal' as const };
    expect(
      planCaseChange({
        hasContact: true,
        decision: five,
        caseOfResponse: c,
        activeCaseOfContact: c,
      }),
    ).toEqual([{ type: 'update', caseId: 'c1', decision: five }]);
  });

  it('keeps one active case per contact: a second complaint joins the open one', () => {
    expect(
      planCaseChange({
        hasContact: true,
        decision: recovery,
        caseOfResponse: null,
        activeCaseOfContact: open('c0'),
      }),
    ).toEqual([{ type: 'attach', caseId: 'c0', decision: recovery }]);
  });

  it('replaces an open thank-you task by a complaint', () => {
    expect(
      planCaseChange({
        hasContact: true,
        decision: recovery,
        caseOfResponse: null,
        activeCaseOfContact: open('t0', 'thanks'),
      }),
    ).toEqual([
      { type: 'close', caseId: 't0', status: 'changed_by_customer' },
      { type: 'open', decision: recovery },
    ]);
  });

  it('gives no thank-you task while a complaint is open', () => {
    expect(
      planCaseChange({
        hasContact: true,
        decision: thanks,
        caseOfResponse: null,
        activeCaseOfContact: open('c0'),
      }),
    ).toEqual([]);
  });

  it('turns the complaint into a thank-you task when a 3 becomes a 10 with "you may contact me"', () => {
    const c = open('c1');
    expect(
      planCaseChange({
        hasContact: true,
        decision: thanks,
        caseOfResponse: c,
        activeCaseOfContact: c,
      }),
    ).toEqual([
      { type: 'close', caseId: 'c1', status: 'changed_by_customer' },
      { type: 'open', decision: thanks },
    ]);
  });

  it('opens a new case when the response’s earlier case is already resolved', () => {
    const done = { id: 'c1', kind: 'recovery' as const, status: 'resolved' as const };
    expect(
      planCaseChange({
        hasContact: true,
        decision: recovery,
        caseOfResponse: done,
        activeCaseOfContact: done,
      }),
    ).toEqual([{ type: 'open', decision: recovery }]);
  });
});
