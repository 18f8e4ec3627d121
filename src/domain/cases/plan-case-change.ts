import type { CaseDecision, CaseKind } from './decide-case.ts';
import type { CaseStatus } from './case-state.ts';
import { isActive } from './case-state.ts';

export type ExistingCase = Readonly<{ id: string; kind: CaseKind; status: CaseStatus }>;

/** One step for the cases repository, in order. */
export type CaseStep =
  | Readonly<{ type: 'open'; decision: CaseDecision }>
  | Readonly<{ type: 'update'; caseId: string; decision: CaseDecision }>
  | Readonly<{ type: 'attach'; caseId: string; decision: CaseDecision }>
  | Readonly<{ type: 'close'; caseId: string; status: 'changed_by_customer' }>;

/**
 * What a saved answer (new or edited) does to the cases, given the case this response already
 * has and the contact's open case. Rules:
 *
 * - One active case per contact at a time. A second complaint while one is open joins that case
 *   (`attach`: the answer is linked, priority may rise) instead of a second owner calling.
 * - An edit that still calls for the same kind of case `update`s it (reasons, priority).
 * - An edit that no longer calls for it (3 → 9) closes it as `changed_by_customer`; 9 → 3 opens one.
 * - A complaint replaces an open thank-you task (closed as changed); a promoter with an open
 *   complaint gets no thank-you task until the complaint is closed.
 * - An answer without a contact (anonymous link) opens nothing: there is nobody to call.
 */
export function planCaseChange(input: {
  hasContact: boolean;
  decision: CaseDecision | null;
  /** The case linked to this response, if any (whatever its status). */
  caseOfResponse: ExistingCase | null;
  /** The contact's active case, if any (may be the same as `caseOfResponse`). */
  activeCaseOfContact: ExistingCase | null;
}): CaseStep[] {
  const { decision } = input;
  const steps: CaseStep[] = [];
  let active = input.activeCaseOfContact;
  if (active && !isActive(active.status)) active = null;

  const own = input.caseOfResponse;
  if (own && isActive(own.status)) {
    if (decision && decision.kind === own.kind)
      return [{ type: 'update', caseId: own.id, decision }];
    steps.push({ type: 'close', caseId: own.id, status: 'changed_by_customer' });
    if (active?.id === own.id) active = null;
  }
  if (!decision || !input.hasContact) return steps;

  if (active) {
    if (active.kind === decision.kind) {
      steps.push({ type: 'attach', caseId: active.id, decision });
      return steps;
    }
    if (active.kind === 'recovery') return steps; // no thanks during a complaint
    steps.push({ type: 'close', caseId: active.id, status: 'changed_by_customer' });
  }
  steps.push({ type: 'open', decision });
  return steps;
}
