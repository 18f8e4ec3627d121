import { employeeSearchText } from '../employees/employees.service.ts';
import {
  mergeNameResolutions,
  parseNameResolutions,
  type NameResolution,
} from './name-resolutions.ts';

/**
 * What the owner decided for an account manager the file names but Loyaal does not know (on day
 * one no employees exist): create them as an employee, link the name to an existing employee, or
 * import the rows without an account manager. Stored on the import, applied by the next validation
 * and by the commit, which creates the employees in its own transaction.
 */
export type OwnerResolution = NameResolution<'employeeId'>;

/** How an `Accountmanager` cell is compared: an email case-insensitively, a name folded. */
export function ownerKey(value: string): string {
  const v = value.trim();
  return v.includes('@') ? v.toLowerCase() : employeeSearchText(v);
}

/** Reads the stored decisions defensively: a damaged value counts as none. */
export function parseResolutions(json: string | null): OwnerResolution[] {
  return parseNameResolutions(json, 'employeeId');
}

/** Earlier decisions with the new ones on top: one decision per name (by `ownerKey`). */
export function mergeResolutions(
  earlier: readonly OwnerResolution[],
  next: readonly OwnerResolution[],
): OwnerResolution[] {
  return mergeNameResolutions(earlier, next, ownerKey);
}

/** A name to create as an employee: an email address becomes their email and, for now, name. */
export function newEmployeeFrom(value: string): { name: string; email: string | null } {
  const v = value.trim();
  const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? v.toLowerCase() : null;
  return { name: v.slice(0, 200), email };
}
