import type { CaseKind } from './decide-case.ts';

/**
 * A case's life: `open` (nobody reached the customer yet) → `contacted` → `resolved` or
 * `unresolvable`. `changed_by_customer` is set by the system only, when the customer edits the
 * answer so that it no longer calls for a case (3 → 9), or a newer case replaces a thank-you task.
 */
export const CASE_STATUSES = [
  'open',
  'contacted',
  'resolved',
  'unresolvable',
  'changed_by_customer',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses a person can set. */
export const STAFF_STATUSES = ['contacted', 'resolved', 'unresolvable'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

export function isActive(status: CaseStatus): boolean {
  return status === 'open' || status === 'contacted';
}

/**
 * Whether a person may move a case from `from` to `to`. A closed case stays closed (its outcome
 * is what the report counts); a thank-you task has no "contacted" step: it is done (`resolved`)
 * or skipped (`unresolvable`).
 */
export function canMove(kind: CaseKind, from: CaseStatus, to: StaffStatus): boolean {
  if (!isActive(from)) return false;
  if (to === 'contacted') return kind === 'recovery' && from === 'open';
  return true;
}

/** A contact moment ("call" or "mail" shortcut, a note that says so) on an open case contacts it. */
export function statusAfterContactMoment(status: CaseStatus): CaseStatus {
  return status === 'open' ? 'contacted' : status;
}
