import type { CaseSettings } from './case-settings.ts';

export type OwnerChoice = Readonly<{
  employeeId: string | null;
  rule: 'account-manager' | 'account' | 'segment' | 'round-robin' | 'none';
}>;

/**
 * Who owns a new case. By default the contact's account manager (the person the customer knows),
 * then the account's manager, then the employee named for the segment, then the next member of
 * the round-robin team after the one who got the team's previous case (members in a fixed order).
 * With `overrideAccountManager`, segment and team rules come before the account managers. An
 * employee who no longer exists is skipped. No owner at all leaves the case unassigned, visible to
 * managers in the inbox.
 */
export function chooseOwner(input: {
  settings: CaseSettings['assignment'];
  contactOwnerId: string | null;
  accountOwnerId: string | null;
  segment: string | null;
  /** Ids of the round-robin team's members, in a fixed order (e.g. by name). */
  teamMembers: readonly string[];
  /** Owner of the team's most recent case, for the turn. */
  lastTeamAssignee: string | null;
  /** Every existing employee id (to skip stale references). */
  exists: (employeeId: string) => boolean;
}): OwnerChoice {
  const { settings } = input;
  const ok = (id: string | null | undefined): id is string => !!id && input.exists(id);

  const personal = (): OwnerChoice | null => {
    if (ok(input.contactOwnerId))
      return { employeeId: input.contactOwnerId, rule: 'account-manager' };
    if (ok(input.accountOwnerId)) return { employeeId: input.accountOwnerId, rule: 'account' };
    return null;
  };
  const byRule = (): OwnerChoice | null => {
    const bySegment = input.segment !== null ? settings.bySegment[input.segment] : undefined;
    if (ok(bySegment)) return { employeeId: bySegment, rule: 'segment' };
    const members = input.teamMembers.filter((m) => input.exists(m));
    if (settings.roundRobinTeam !== null && members.length > 0) {
      const last = members.findIndex((m) => m === input.lastTeamAssignee); // -1: start at the first
      return { employeeId: members[(last + 1) % members.length] ?? null, rule: 'round-robin' };
    }
    return null;
  };
  const order = settings.overrideAccountManager ? [byRule, personal] : [personal, byRule];
  for (const step of order) {
    const choice = step();
    if (choice) return choice;
  }
  return { employeeId: null, rule: 'none' };
}
