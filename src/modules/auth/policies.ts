import type { Role } from '../../db/schema.ts';
import { AppError } from '../../shared/errors.ts';
import type { Actor } from './actor.ts';

/**
 * Declarative permissions: which roles may perform which action. Record-level scoping (an account
 * manager sees only their own customers) is `recordScope` (record-scope.ts), applied in the
 * repositories' filters.
 */
export type Action =
  | 'organisation:manage'
  | 'users:manage'
  | 'api_keys:manage'
  | 'audit:read'
  | 'contacts:read'
  | 'contacts:write'
  | 'contacts:erase'
  | 'contacts:export'
  | 'contacts:import'
  | 'accounts:read'
  | 'accounts:write'
  | 'employees:read'
  | 'employees:write'
  | 'locations:write'
  | 'surveys:read'
  | 'surveys:write'
  | 'surveys:send'
  | 'responses:read'
  | 'cases:read'
  | 'cases:work'
  | 'cases:assign'
  | 'webhooks:manage'
  | 'ambassadors:read'
  | 'ambassadors:write';

const ALL: readonly Action[] = [
  'organisation:manage',
  'users:manage',
  'api_keys:manage',
  'audit:read',
  'contacts:read',
  'contacts:write',
  'contacts:erase',
  // A person's data export (AVG art. 15) holds every module's data about them — case notes
  // included — so it is for those who answer such requests, as erasure is.
  'contacts:export',
  'contacts:import',
  'accounts:read',
  'accounts:write',
  'employees:read',
  'employees:write',
  'locations:write',
  'surveys:read',
  'surveys:write',
  'surveys:send',
  'responses:read',
  'cases:read',
  'cases:work',
  'cases:assign',
  'webhooks:manage',
  'ambassadors:read',
  'ambassadors:write',
];

const GRANTS: Record<Role, ReadonlySet<Action>> = {
  owner: new Set(ALL),
  admin: new Set(ALL.filter((a) => a !== 'organisation:manage')),
  manager: new Set<Action>([
    'contacts:read',
    'contacts:write',
    'contacts:import',
    'accounts:read',
    'accounts:write',
    'employees:read',
    'employees:write',
    'locations:write',
    'surveys:read',
    'surveys:write',
    'surveys:send',
    'responses:read',
    'cases:read',
    'cases:work',
    'cases:assign',
    'ambassadors:read',
    'ambassadors:write',
  ]),
  account_manager: new Set<Action>([
    'contacts:read',
    'contacts:write',
    'accounts:read',
    'employees:read',
    'surveys:read',
    'responses:read',
    'cases:read',
    'cases:work',
    'ambassadors:read',
  ]),
  viewer: new Set<Action>([
    'contacts:read',
    'accounts:read',
    'employees:read',
    'surveys:read',
    'responses:read',
    'ambassadors:read',
  ]),
};

export const ROLES: readonly Role[] = ['owner', 'admin', 'manager', 'account_manager', 'viewer'];

export function can(actor: Actor, action: Action): boolean {
  return GRANTS[actor.role].has(action);
}

export function authorize(actor: Actor | null, action: Action): Actor {
  if (!actor) throw new AppError('unauthenticated');
  if (!can(actor, action)) throw new AppError('forbidden');
  return actor;
}

/** Roles an actor may hand out: nobody grants more than they have, only owners create owners. */
export function canGrantRole(actor: Pick<Actor, 'role'>, role: Role): boolean {
  if (!GRANTS[actor.role].has('users:manage')) return false;
  return actor.role === 'owner' || role !== 'owner';
}
