import type { z } from 'zod';
import { iso } from '../../shared/time.ts';
import type { CaseRow } from './cases.repository.ts';
import type { caseSummarySchema } from './cases.schemas.ts';

export type CaseSummary = z.infer<typeof caseSummarySchema>;

export function presentCaseSummary(
  row: CaseRow & { contact_name: string | null; owner_name: string | null },
  now: number,
): CaseSummary {
  const reasons = JSON.parse(row.reasons) as { reasons?: string[]; themeWords?: string[] };
  const active = row.status === 'open' || row.status === 'contacted';
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    priority: row.priority,
    reasons: reasons.reasons ?? [],
    themeWords: reasons.themeWords ?? [],
    score: row.opened_score,
    contact: { id: row.contact_id, name: row.contact_name },
    owner: row.owner_employee_id
      ? { employeeId: row.owner_employee_id, name: row.owner_name }
      : null,
    ownerRule: row.owner_rule,
    team: row.team,
    openedAt: iso(row.opened_at),
    dueAt: iso(row.due_at),
    overdue: active && row.status === 'open' && now >= row.due_at,
    firstContactAt: iso(row.first_contact_at),
    escalatedAt: iso(row.escalated_at),
    closedAt: iso(row.closed_at),
    followUp: {
      score: row.follow_up_score,
      at: iso(row.follow_up_at),
      wonBack: row.follow_up_score === null ? null : row.follow_up_score >= 7,
    },
  };
}
