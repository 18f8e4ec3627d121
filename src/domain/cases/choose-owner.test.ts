import { describe, expect, it } from 'vitest';
import { chooseOwner } from './choose-owner.ts';
import { caseSettingsSchema } from './case-settings.ts';

const assignment = (patch: object = {}) =>
  caseSettingsSchema.parse({ assignment: patch }).assignment;
const everyone = () => true;
const base = {
  contactOwnerId: null,
  accountOwnerId: null,
  segment: null,
  teamMembers: [],
  lastTeamAssignee: null,
  exists: everyone,
};

describe('who owns a new case', () => {
  it("is the contact's account manager", () => {
    expect(
      chooseOwner({ ...base, settings: assignment(), contactOwnerId: 'e1', accountOwnerId: 'e2' }),
    ).toEqual({
      employeeId: 'e1',
      rule: 'account-manager',
    });
  });

  it("falls back to the account's manager, then the segment's employee, then the team in turn", () => {
    const s = assignment({ bySegment: { zakelijk: 'e5' }, roundRobinTeam: 'Service' });
    expect(chooseOwner({ ...base, settings: s, accountOwnerId: 'e2' }).rule).toBe('account');
    expect(chooseOwner({ ...base, settings: s, segment: 'zakelijk' })).toEqual({
      employeeId: 'e5',
      rule: 'segment',
    });
    const team = { ...base, settings: s, teamMembers: ['a', 'b', 'c'] };
    expect(chooseOwner({ ...team, lastTeamAssignee: null }).employeeId).toBe('a');
    expect(chooseOwner({ ...team, lastTeamAssignee: 'a' }).employeeId).toBe('b');
    expect(chooseOwner({ ...team, lastTeamAssignee: 'c' }).employeeId).toBe('a');
    expect(chooseOwner({ ...team, lastTeamAssignee: 'gone' }).employeeId).toBe('a');
  });

  it('puts the rules first when they override the account manager', () => {
    const s = assignment({ bySegment: { zakelijk: 'e5' }, overrideAccountManager: true });
    expect(
      chooseOwner({ ...base, settings: s, contactOwnerId: 'e1', segment: 'zakelijk' }).employeeId,
    ).toBe('e5');
    expect(
      chooseOwner({ ...base, settings: s, contactOwnerId: 'e1', segment: 'particulier' })
        .employeeId,
    ).toBe('e1');
  });

  it('skips employees that no longer exist and leaves the case unassigned when nobody is left', () => {
    const exists = (id: string) => id !== 'e1';
    expect(chooseOwner({ ...base, settings: assignment(), contactOwnerId: 'e1', exists })).toEqual({
      employeeId: null,
      rule: 'none',
    });
    const s = assignment({ roundRobinTeam: 'Service' });
    expect(
      chooseOwner({ ...base, settings: s, teamMembers: ['e1', 'e2'], exists }).employeeId,
    ).toBe('e2');
  });

  it('names the rule that chose the owner, for every rule', () => {
    const s = assignment({ bySegment: { zakelijk: 'e5' }, roundRobinTeam: 'Service' });
    expect(chooseOwner({ ...base, settings: s, accountOwnerId: 'e2' })).toEqual({
      employeeId: 'e2',
      rule: 'account',
    });
    expect(chooseOwner({ ...base, settings: s, teamMembers: ['a', 'b'] })).toEqual({
      employeeId: 'a',
      rule: 'round-robin',
    });
  });

  it('uses no round-robin without a team, and none when every member is gone', () => {
    // Members listed but no team chosen in the settings: nobody.
    expect(
      chooseOwner({
        ...base,
        settings: assignment(),
        teamMembers: ['a', 'b'],
        lastTeamAssignee: 'a',
      }),
    ).toEqual({ employeeId: null, rule: 'none' });
    const s = assignment({ roundRobinTeam: 'Service' });
    expect(
      chooseOwner({ ...base, settings: s, teamMembers: ['a', 'b'], exists: () => false }),
    ).toEqual({ employeeId: null, rule: 'none' });
  });

  it('takes the turn among the members who still exist', () => {
    const s = assignment({ roundRobinTeam: 'Service' });
    const exists = (id: string) => id !== 'b';
    const team = { ...base, settings: s, teamMembers: ['a', 'b', 'c'], exists };
    expect(chooseOwner({ ...team, lastTeamAssignee: 'a' }).employeeId).toBe('c');
    expect(chooseOwner({ ...team, lastTeamAssignee: 'c' }).employeeId).toBe('a');
  });

  it('does not read a segment rule for a contact without a segment', () => {
    // A segment literally called "null" must not catch contacts that have no segment.
    const s = assignment({ bySegment: { null: 'e9' } });
    expect(chooseOwner({ ...base, settings: s, segment: null })).toEqual({
      employeeId: null,
      rule: 'none',
    });
    expect(chooseOwner({ ...base, settings: s, segment: 'null' }).employeeId).toBe('e9');
  });
});
