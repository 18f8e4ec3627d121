import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Role } from '../../db/schema.ts';

/**
 * Which customer records an actor may see — the one meaning of "record scope" across contacts,
 * accounts, invitations, sends and analytics:
 * - `all`: every record of the organisation (every role but account manager; system work);
 * - `employee`: only records whose owner is the account manager's linked employee;
 * - `none`: an account manager without a linked employee owns no customer, so sees nothing.
 *   This is its own case, not "the records of an employee id that matches no row".
 */
export type RecordScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'employee'; readonly employeeId: string }
  | { readonly kind: 'none' };

const ALL: RecordScope = { kind: 'all' };
const NONE: RecordScope = { kind: 'none' };

/** The scope of a request's actor, or of background work (`{ kind: 'system' }` sees all). */
export function recordScope(
  actor: { kind: 'system' } | { kind: string; role: Role; employeeId: string | null },
): RecordScope {
  if (!('role' in actor) || actor.role !== 'account_manager') return ALL;
  return actor.employeeId ? { kind: 'employee', employeeId: actor.employeeId } : NONE;
}

/** Whether a record owned by `ownerEmployeeId` (null: nobody's) lies within the scope. */
export function inScope(scope: RecordScope, ownerEmployeeId: string | null): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'employee':
      return ownerEmployeeId === scope.employeeId;
    case 'none':
      return false;
  }
}

/**
 * The scope as a SQL condition on an owner column (e.g. `owner_employee_id` or
 * `c.owner_employee_id`), for repositories: true, `column = id`, or false.
 */
export function scopeCondition(column: string, scope: RecordScope): RawBuilder<SqlBool> {
  switch (scope.kind) {
    case 'all':
      return sql<SqlBool>`1 = 1`;
    case 'employee':
      return sql<SqlBool>`${sql.ref(column)} = ${scope.employeeId}`;
    case 'none':
      return sql<SqlBool>`1 = 0`;
  }
}

/**
 * A filter on an owner an actor asks for (`?ownerEmployeeId=`), narrowed by the scope: within
 * `employee` asking for a colleague yields nothing, `none` stays nothing.
 */
export function narrowScope(scope: RecordScope, requestedOwner: string | undefined): RecordScope {
  if (requestedOwner === undefined) return scope;
  return inScope(scope, requestedOwner) ? { kind: 'employee', employeeId: requestedOwner } : NONE;
}

/**
 * The record scope for records that also carry a team (cases): a manager whose own employee
 * record is in a team sees that team's records and their own; every other actor has the record
 * scope itself (an account manager their own, without a linked employee nothing, the rest all).
 * Built on `recordScope`, so "whose records" has one meaning everywhere.
 */
export type TeamRecordScope =
  RecordScope | { readonly kind: 'team'; readonly team: string; readonly employeeId: string };

/** `teamOfEmployee`: the team of the actor's linked employee (null: none, or not looked up). */
export function teamRecordScope(
  actor: { kind: 'system' } | { kind: string; role: Role; employeeId: string | null },
  teamOfEmployee: string | null,
): TeamRecordScope {
  const scope = recordScope(actor);
  if (scope.kind !== 'all' || !('role' in actor)) return scope;
  if (actor.role === 'manager' && actor.employeeId && teamOfEmployee !== null) {
    return { kind: 'team', team: teamOfEmployee, employeeId: actor.employeeId };
  }
  return scope;
}

/** Whether a record with this owner and team lies within the scope. */
export function inTeamScope(
  scope: TeamRecordScope,
  record: { ownerEmployeeId: string | null; team: string | null },
): boolean {
  if (scope.kind === 'team') {
    return record.team === scope.team || record.ownerEmployeeId === scope.employeeId;
  }
  return inScope(scope, record.ownerEmployeeId);
}
