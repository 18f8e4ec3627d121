import type { Role } from '../../../src/db/schema.ts';
import { can, type Action } from '../../../src/modules/auth/policies.ts';

export type { Action, Role };

/**
 * Whether a role may do something, using the server's own policy table so the menu never shows a
 * screen the API would refuse. The server still checks every request; this only hides buttons.
 */
export function roleCan(role: Role, action: Action): boolean {
  return can(
    { kind: 'user', id: '', organisationId: '', role, employeeId: null, locale: 'nl' },
    action,
  );
}
