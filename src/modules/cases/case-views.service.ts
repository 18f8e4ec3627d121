import type { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { caseCalendar } from '../../domain/cases/case-settings.ts';
import { reportCases } from '../../domain/cases/case-report.ts';
import { canMove, STAFF_STATUSES } from '../../domain/cases/case-state.ts';
import {
  localDateOf,
  parseIsoDate,
  zonedInstant,
  addDays,
} from '../../domain/calendar/zoned-time.ts';
import { iso } from '../../shared/time.ts';
import type { Actor } from '../auth/actor.ts';
import { can } from '../auth/policies.ts';
import { invitationSkipReasonOf } from '../invitations/invitation-skip-reasons.ts';
import { presentCaseSummary } from './cases.presenter.ts';
import * as repo from './cases.repository.ts';
import type { caseDetailSchema, caseReportSchema, listCasesQuery } from './cases.schemas.ts';
import { caseScope, caseSettingsOf, visibleCase } from './cases.service.ts';

export async function listCases(
  db: Executor,
  actor: Actor,
  query: z.infer<typeof listCasesQuery>,
  now: number,
) {
  const scope = await caseScope(db, actor);
  const none = query.total ? { items: [], total: 0 } : { items: [] };
  if (scope.kind === 'none') return none;
  const mine = query.mine === 'true';
  if (mine && !actor.employeeId) return none;
  const filter = {
    status: query.status,
    kind: query.kind ?? null,
    ownerEmployeeId: mine ? actor.employeeId : scope.kind === 'employee' ? scope.employeeId : null,
    team: mine || scope.kind !== 'team' ? null : scope.team,
    unassigned: query.unassigned === 'true',
    overdueAt: query.overdue === 'true' ? now : null,
  };
  const rows = await repo.listCases(db, actor.organisationId, { ...filter, limit: query.limit });
  const items = rows.map((r) => presentCaseSummary(r, now));
  if (!query.total) return { items };
  return { items, total: await repo.countCases(db, actor.organisationId, filter) };
}

export async function getCase(
  db: Executor,
  actor: Actor,
  id: string,
  now: number,
): Promise<z.infer<typeof caseDetailSchema>> {
  const row = await visibleCase(db, actor, id);
  const org = actor.organisationId;
  const [contact, response, events, answers, cases, invitations, owner] = await Promise.all([
    repo.findContactForCase(db, org, row.contact_id),
    repo.findResponseForCase(db, org, row.response_id),
    repo.listCaseEvents(db, org, id),
    repo.listContactAnswers(db, org, row.contact_id),
    repo.listContactCases(db, org, row.contact_id),
    repo.listContactInvitations(db, org, row.contact_id),
    row.owner_employee_id ? repo.findEmployeeForCase(db, org, row.owner_employee_id) : undefined,
  ]);
  // "Toegewezen aan Piet Bakker": a person's assignment (one without a `reason`, which the
  // automatic hand-overs carry) names in the log whom the case went to.
  const details = events.map((e) => JSON.parse(e.detail) as Record<string, unknown>);
  const manual = (e: (typeof events)[number], d: Record<string, unknown>) =>
    e.type === 'assigned' && d.reason === undefined;
  const assignedTo = events.flatMap((e, i) => {
    const to = details[i]?.ownerEmployeeId;
    return manual(e, details[i] ?? {}) && typeof to === 'string' ? [to] : [];
  });
  const names = await repo.listEmployeeNames(db, org, [...new Set(assignedTo)]);
  const detailOf = (e: (typeof events)[number], i: number): Record<string, unknown> => {
    const detail = details[i] ?? {};
    if (!manual(e, detail)) return detail;
    const to = detail.ownerEmployeeId;
    return { ...detail, ownerName: typeof to === 'string' ? (names.get(to) ?? null) : null };
  };
  const summary = presentCaseSummary(
    { ...row, contact_name: contact?.name ?? null, owner_name: owner?.name ?? null },
    now,
  );
  const work = can(actor, 'cases:work');
  return {
    ...summary,
    comment: response?.comment ?? null,
    mayContact: response?.may_contact === 1,
    contact: {
      id: row.contact_id,
      name: contact?.name ?? null,
      email: contact?.email ?? null,
      phone: contact?.phone ?? null,
      language: contact?.language ?? 'nl',
      account: contact?.account_name ?? null,
      consent: {
        status: contact?.consent_status ?? 'unknown',
        at: iso(contact?.consent_at ?? null),
        unsubscribedAt: iso(contact?.unsubscribed_at ?? null),
      },
    },
    log: events.map((e, i) => ({
      id: e.id,
      at: iso(e.at),
      type: e.type,
      by: e.user_name ?? null,
      note: e.body,
      detail: detailOf(e, i),
    })),
    history: {
      answers: answers.map((a) => ({
        id: a.id,
        survey: a.survey_name,
        score: a.score,
        category: a.category,
        comment: a.comment,
        mayContact: a.may_contact === 1,
        answeredAt: iso(a.answered_at),
      })),
      cases: cases
        .filter((c) => c.id !== id)
        .map((c) => ({
          id: c.id,
          kind: c.kind,
          status: c.status,
          score: c.opened_score,
          openedAt: iso(c.opened_at),
        })),
      invitations: invitations.map((i) => ({
        id: i.id,
        survey: i.survey_name,
        status: i.status,
        skipReason: invitationSkipReasonOf(i.skip_reason),
        plannedAt: iso(i.planned_at),
        sentAt: iso(i.sent_at),
        respondedAt: iso(i.responded_at),
      })),
    },
    allowed: {
      work,
      assign: can(actor, 'cases:assign'),
      statuses: work ? STAFF_STATUSES.filter((s) => canMove(row.kind, row.status, s)) : [],
    },
  };
}

const DAY = 86_400_000;

/**
 * The closed-loop report over recovery cases opened in [from, to] (local dates, default the last
 * 90 days), overall, per owner and per team, within the actor's scope.
 */
export async function caseReport(
  db: Executor,
  actor: Actor,
  query: { from?: string | undefined; to?: string | undefined },
  now: number,
): Promise<z.infer<typeof caseReportSchema>> {
  const { settings } = await caseSettingsOf(db, actor.organisationId);
  const calendar = caseCalendar(settings);
  const toDate = (query.to && parseIsoDate(query.to)) || localDateOf(now);
  const fromDate = (query.from && parseIsoDate(query.from)) || localDateOf(now - 90 * DAY);
  const from = zonedInstant(fromDate);
  const to = zonedInstant(addDays(toDate, 1));
  const scope = await caseScope(db, actor);
  let rows =
    scope.kind === 'none' ? [] : await repo.listCaseFacts(db, actor.organisationId, from, to);
  if (scope.kind === 'employee')
    rows = rows.filter((r) => r.owner_employee_id === scope.employeeId);
  if (scope.kind === 'team') rows = rows.filter((r) => r.team === scope.team);
  const employees = await repo.listEmployeesForCases(db, actor.organisationId);
  const names = new Map(employees.map((e) => [e.id, e.name]));
  const report = reportCases(
    rows.map((r) => ({
      ownerEmployeeId: r.owner_employee_id,
      team: r.team,
      openedForDetractor: r.opened_category === 'detractor',
      status: r.status,
      openedAt: r.opened_at,
      firstContactAt: r.first_contact_at,
      closedAt: r.closed_at,
      followUpScore: r.follow_up_score,
    })),
    now,
    calendar,
  );
  return {
    from: iso(from),
    to: iso(to),
    overall: report.overall,
    byOwner: report.byOwner.map((g) => ({
      ...g,
      name: g.ownerEmployeeId ? (names.get(g.ownerEmployeeId) ?? null) : null,
    })),
    byTeam: [...report.byTeam],
  };
}
