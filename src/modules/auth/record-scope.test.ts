import { describe, expect, it } from 'vitest';
import { inScope, narrowScope, recordScope, type RecordScope } from './record-scope.ts';

const EMP = '0190a0b0-0000-7000-8000-000000000001';
const OTHER = '0190a0b0-0000-7000-8000-000000000002';
const person = (role: 'owner' | 'account_manager' | 'viewer', employeeId: string | null) => ({
  kind: 'user',
  role,
  employeeId,
});

describe('recordScope', () => {
  it('gives every role but account manager, and system work, everything', () => {
    expect(recordScope(person('owner', EMP))).toEqual({ kind: 'all' });
    expect(recordScope(person('viewer', null))).toEqual({ kind: 'all' });
    expect(recordScope({ kind: 'system' })).toEqual({ kind: 'all' });
  });

  it('gives an account manager their linked employee, or nothing without one', () => {
    expect(recordScope(person('account_manager', EMP))).toEqual({
      kind: 'employee',
      employeeId: EMP,
    });
    expect(recordScope(person('account_manager', null))).toEqual({ kind: 'none' });
  });

  it('places records, including records that belong to nobody', () => {
    const all: RecordScope = { kind: 'all' };
    const mine: RecordScope = { kind: 'employee', employeeId: EMP };
    const none: RecordScope = { kind: 'none' };
    expect([EMP, OTHER, null].map((o) => inScope(all, o))).toEqual([true, true, true]);
    expect([EMP, OTHER, null].map((o) => inScope(mine, o))).toEqual([true, false, false]);
    expect([EMP, OTHER, null].map((o) => inScope(none, o))).toEqual([false, false, false]);
  });

  it('narrows by a requested owner and never widens', () => {
    expect(narrowScope({ kind: 'all' }, OTHER)).toEqual({ kind: 'employee', employeeId: OTHER });
    expect(narrowScope({ kind: 'employee', employeeId: EMP }, EMP)).toEqual({
      kind: 'employee',
      employeeId: EMP,
    });
    expect(narrowScope({ kind: 'employee', employeeId: EMP }, OTHER)).toEqual({ kind: 'none' });
    expect(narrowScope({ kind: 'none' }, EMP)).toEqual({ kind: 'none' });
    expect(narrowScope({ kind: 'none' }, undefined)).toEqual({ kind: 'none' });
  });
});
