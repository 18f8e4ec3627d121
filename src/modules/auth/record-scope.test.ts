import { describe, expect, it } from 'vitest';
import {
  inScope,
  inTeamScope,
  narrowScope,
  recordScope,
  teamRecordScope,
  type RecordScope,
} from './record-scope.ts';

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

describe('teamRecordScope (records with a team, such as cases)', () => {
  const manager = (employeeId: string | null) => ({
    kind: 'user',
    role: 'manager' as const,
    employeeId,
  });

  it('keeps the record scope for an account manager, with or without a team', () => {
    expect(teamRecordScope(person('account_manager', EMP), 'Werkplaats')).toEqual({
      kind: 'employee',
      employeeId: EMP,
    });
    expect(teamRecordScope(person('account_manager', null), null)).toEqual({ kind: 'none' });
  });

  it('narrows a manager in a team to the team, and leaves a manager without one everything', () => {
    expect(teamRecordScope(manager(EMP), 'Werkplaats')).toEqual({
      kind: 'team',
      team: 'Werkplaats',
      employeeId: EMP,
    });
    expect(teamRecordScope(manager(EMP), null)).toEqual({ kind: 'all' });
    expect(teamRecordScope(manager(null), 'Werkplaats')).toEqual({ kind: 'all' });
    expect(teamRecordScope(person('owner', EMP), 'Werkplaats')).toEqual({ kind: 'all' });
  });

  it('lets a team manager see the team’s records and their own, nobody else’s', () => {
    const scope = teamRecordScope(manager(EMP), 'Werkplaats');
    expect(inTeamScope(scope, { ownerEmployeeId: OTHER, team: 'Werkplaats' })).toBe(true);
    expect(inTeamScope(scope, { ownerEmployeeId: EMP, team: 'Verkoop' })).toBe(true);
    expect(inTeamScope(scope, { ownerEmployeeId: OTHER, team: 'Verkoop' })).toBe(false);
    expect(inTeamScope(scope, { ownerEmployeeId: null, team: null })).toBe(false);
    const own = teamRecordScope(person('account_manager', EMP), null);
    expect(inTeamScope(own, { ownerEmployeeId: EMP, team: 'Verkoop' })).toBe(true);
    expect(inTeamScope(own, { ownerEmployeeId: OTHER, team: 'Werkplaats' })).toBe(false);
  });
});
