import type { Executor } from '../../db/database.ts';
import type { Actor } from '../auth/actor.ts';
import * as repo from './analytics.repository.ts';

/**
 * The team a manager sees: the team of the employee they are linked to. Null for roles that see
 * the whole organisation (owner, admin, viewer, a manager without a team).
 */
export async function managedTeam(db: Executor, actor: Actor): Promise<string | null> {
  if (actor.role !== 'manager' || !actor.employeeId) return null;
  const self = await repo.findEmployeeForInsight(db, actor.organisationId, actor.employeeId);
  return self?.team ?? null;
}

/**
 * Whether the actor may open this employee's results: an account manager only their own, a
 * manager with a team the members of that team (and themselves), everyone else any employee.
 * A colleague's page answers 403 `forbidden` — the screen shows a "no access" page, never data.
 */
export async function mayView(
  db: Executor,
  actor: Actor,
  employee: { id: string; team: string | null },
): Promise<boolean> {
  if (actor.role === 'account_manager') return actor.employeeId === employee.id;
  const team = await managedTeam(db, actor);
  if (team === null) return true;
  return employee.team === team || employee.id === actor.employeeId;
}
