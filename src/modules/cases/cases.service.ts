import type { Executor } from '../../db/database.ts';
import type { CaseEventTable, CaseTable } from '../../db/schema.ts';
import { caseCalendar } from '../../domain/cases/case-settings.ts';
import type { CaseSettings } from '../../domain/cases/case-settings.ts';
import { firstContactDueAt } from '../../domain/cases/case-deadlines.ts';
import { canMove, isActive, statusAfterContactMoment } from '../../domain/cases/case-state.ts';
import type { StaffStatus } from '../../domain/cases/case-state.ts';
import { chooseOwner } from '../../domain/cases/choose-owner.ts';
import { CASE_PRIORITIES, decideCase } from '../../domain/cases/decide-case.ts';
import type { CaseDecision, CasePriority } from '../../domain/cases/decide-case.ts';
import { planCaseChange } from '../../domain/cases/plan-case-change.ts';
import type { Deps } from '../../platform/deps.ts';
import type { EventEnvelope } from '../../platform/events/define-event.ts';
import { emit, type Occurrence } from '../../platform/events/emit.ts';
import { enqueue, enqueueAll, queued, type QueuedJob } from '../../platform/jobs/define-job.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { can } from '../auth/policies.ts';
import { inTeamScope, teamRecordScope, type TeamRecordScope } from '../auth/record-scope.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import type { NpsCategory } from '../../domain/scoring/nps.ts';
import type { ResponseSaved } from '../responses/responses.events.ts';
import type { ContactAccountChange, ContactOwnerChange } from '../contacts/contacts.events.ts';
import type { AccountOwnerChange } from '../accounts/accounts.events.ts';
import { caseOpened, caseResolved, caseUpdated } from './cases.events.ts';
import type { CaseEventFacts } from './cases.events.ts';
import { ALERT_SETTLE_MS, caseAlertJob, caseFollowUpJob } from './cases.jobs.ts';
import * as repo from './cases.repository.ts';
import type { CaseRow } from './cases.repository.ts';

export async function caseSettingsOf(db: Executor, organisationId: string) {
  const org = await repo.findOrganisationForCases(db, organisationId);
  if (!org) throw notFound('organisation');
  return { org, settings: parseSettings(org.settings).cases };
}

export function factsOf(row: CaseRow): CaseEventFacts {
  const reasons = JSON.parse(row.reasons) as { reasons: string[] };
  return {
    caseId: row.id,
    contactId: row.contact_id,
    responseId: row.response_id,
    kind: row.kind,
    status: row.status,
    priority: row.priority,
    reasons: reasons.reasons,
    score: row.opened_score,
    ownerEmployeeId: row.owner_employee_id,
    openedAt: row.opened_at,
    dueAt: row.due_at,
  };
}

async function logEvent(
  db: Executor,
  row: { organisationId: string; caseId: string; at: number },
  type: string,
  detail: Record<string, unknown> = {},
  extra: { userId?: string | null; body?: string | null } = {},
): Promise<void> {
  await repo.insertCaseEvent(db, {
    id: newId(),
    organisation_id: row.organisationId,
    case_id: row.caseId,
    at: row.at,
    type,
    user_id: extra.userId ?? null,
    body: extra.body ?? null,
    detail: JSON.stringify(detail),
  });
}

const higher = (a: CasePriority, b: CasePriority): CasePriority =>
  CASE_PRIORITIES.indexOf(a) >= CASE_PRIORITIES.indexOf(b) ? a : b;

function customerValue(attributes: string): number | null {
  try {
    const raw = (JSON.parse(attributes) as Record<string, unknown>).value;
    if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
    if (typeof raw !== 'string' || raw.trim() === '') return null;
    const n = Number(raw.trim().replace(',', '.'));
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/**
 * What the case changes of one answer batch write at its end, in few statements: the links of
 * answers to cases, the new priority of the cases answers joined, the case log lines, the alert
 * jobs (one insert; each alert schedules its case's escalation), and the case events — one `emit` of `case.opened` and one of
 * `case.updated`, each with its occurrences in the order they happened (a case's opening before its
 * updates); the webhook fan-out gathers them with the batch's answers (one lookup of the endpoints,
 * one insert of deliveries and one of jobs for the lot). Nothing in the batch reads these back
 * before the end (the cases themselves are kept in step in `cases`), and the end is still inside the
 * answer's transaction.
 */
interface BatchWrites {
  log: CaseEventTable[];
  /** Cases opened in this batch, in order: one insert at the end (before anything refers to them). */
  opened: CaseTable[];
  /** The alert of each recovery case opened, written in one insert at the end. */
  jobs: Array<{ caseId: string; job: QueuedJob }>;
  events: Array<
    | { event: 'opened'; occurrence: Occurrence<CaseEventFacts> }
    | { event: 'updated'; occurrence: Occurrence<CaseUpdatedFacts> }
  >;
  /** The organisation's employees, read once per batch (they do not change in it). */
  employees: Map<string, Awaited<ReturnType<typeof repo.listEmployeesForCases>>>;
  /** Cases as they stand in this transaction: read once, then kept in step with every change. */
  cases: Map<string, CaseRow>;
  /** Each candidate contact's active case (`contactKey` → case id, or null), read once per batch. */
  activeOf: Map<string, string | null>;
  /** Answers linked to cases in this batch. */
  links: Array<{
    organisation_id: string;
    case_id: string;
    response_id: string;
    linked_at: number;
  }>;
  /** Cases an answer joined: their priority (from `cases`) and `updated_at` are written at the end. */
  touched: Set<string>;
  /** First-contact due time per organisation and case kind (the batch has one `now`). */
  dueAt: Map<string, number>;
  /**
   * Per organisation and team, the team's most recent round-robin case (as the database orders
   * them: opening time, then id), read once and kept in step with the cases this batch opens.
   */
  lastRoundRobin: Map<string, repo.RoundRobinCase | null>;
}

const contactKey = (organisationId: string, contactId: string) =>
  `${organisationId}\u0000${contactId}`;

/** A case as it stands in this batch: from `writes.cases`, else read (and kept there). */
async function caseInBatch(
  trx: Executor,
  writes: BatchWrites,
  organisationId: string,
  id: string,
): Promise<CaseRow | undefined> {
  const known = writes.cases.get(id);
  if (known) return known;
  const row = await repo.findCase(trx, organisationId, id);
  if (row) writes.cases.set(id, row);
  return row;
}

/** Keeps a case of the batch in step with a change written (or to be written) to it. */
function patchInBatch(writes: BatchWrites, id: string, patch: Partial<CaseRow>): void {
  const row = writes.cases.get(id);
  if (row) writes.cases.set(id, { ...row, ...patch });
}

type CaseUpdatedFacts = CaseEventFacts & {
  change: 'answer-joined' | 'answer-changed' | 'closed-by-customer' | 'follow-up-answered';
};

function logLater(
  writes: BatchWrites,
  row: { organisationId: string; caseId: string; at: number },
  type: string,
  detail: Record<string, unknown>,
): void {
  writes.log.push({
    id: newId(),
    organisation_id: row.organisationId,
    case_id: row.caseId,
    at: row.at,
    type,
    user_id: null,
    body: null,
    detail: JSON.stringify(detail),
  });
}

/**
 * A case this batch meant to open lost its insert to a concurrent transaction that opened one for
 * the same contact (PostgreSQL only: SQLite has one writer, and the batch read the active cases).
 * Its answers join that case instead, as if the batch had found it: their links and log lines move
 * to it (the opening becomes a join), the alert is dropped, the events announce a
 * change of that case, and its priority is raised to the highest of theirs. With no active case
 * left (closed meanwhile), the answers stay without a case.
 */
async function joinInsteadOfOpening(
  trx: Executor,
  writes: BatchWrites,
  lost: CaseTable,
  now: number,
): Promise<void> {
  const org = lost.organisation_id;
  const active = await repo.findActiveCaseRowOfContact(trx, org, lost.contact_id);
  const planned = writes.cases.get(lost.id);
  writes.cases.delete(lost.id);
  writes.touched.delete(lost.id);
  writes.activeOf.set(contactKey(org, lost.contact_id), active?.id ?? null);
  writes.jobs = writes.jobs.filter((j) => j.caseId !== lost.id);
  if (!active) {
    writes.links = writes.links.filter((l) => l.case_id !== lost.id);
    writes.log = writes.log.filter((l) => l.case_id !== lost.id);
    writes.events = writes.events.filter((x) => x.occurrence.data.caseId !== lost.id);
    return;
  }
  const known = writes.cases.get(active.id) ?? active;
  const priority = higher(known.priority, planned?.priority ?? lost.priority);
  const joined: CaseRow = { ...known, priority, updated_at: now };
  writes.cases.set(active.id, joined);
  writes.touched.add(active.id);
  writes.links = writes.links.map((l) =>
    l.case_id === lost.id ? { ...l, case_id: active.id } : l,
  );
  writes.log = writes.log.map((l) => {
    if (l.case_id !== lost.id) return l;
    if (l.type !== 'opened') return { ...l, case_id: active.id };
    return {
      ...l,
      case_id: active.id,
      type: 'answer-joined',
      detail: JSON.stringify({ responseId: lost.response_id, score: lost.opened_score }),
    };
  });
  writes.events = writes.events.map((x) =>
    x.occurrence.data.caseId !== lost.id
      ? x
      : {
          event: 'updated',
          occurrence: {
            organisationId: org,
            data: {
              ...factsOf(joined),
              change: x.event === 'updated' ? x.occurrence.data.change : 'answer-joined',
            },
          },
        },
  );
}

async function flush(trx: Executor, deps: Deps, writes: BatchWrites, now: number): Promise<void> {
  // The cases opened first: the links, log lines and jobs below refer to them.
  const written = await repo.insertCasesIfNoActive(trx, writes.opened);
  for (const row of writes.opened) {
    if (!written.has(row.id)) await joinInsteadOfOpening(trx, writes, row, now);
  }
  // One update per organisation and priority; ids sorted, so concurrent batches on PostgreSQL
  // lock the rows they share in the same order. The links, the updates and the log lines go
  // together (one statement on PostgreSQL).
  const joined = new Map<
    string,
    { organisationId: string; priority: CasePriority; ids: string[] }
  >();
  for (const id of [...writes.touched].sort()) {
    const row = writes.cases.get(id);
    if (!row) continue;
    const key = `${row.organisation_id}\u0000${row.priority}`;
    const group = joined.get(key) ?? {
      organisationId: row.organisation_id,
      priority: row.priority,
      ids: [],
    };
    group.ids.push(id);
    joined.set(key, group);
  }
  await repo.writeCaseBatch(trx, {
    links: writes.links,
    priorities: [...joined.values()],
    log: writes.log,
    updatedAt: now,
  });
  await enqueueAll(
    trx,
    writes.jobs.map((j) => j.job),
  );
  await emit(
    trx,
    deps,
    caseOpened,
    writes.events.flatMap((x) => (x.event === 'opened' ? [x.occurrence] : [])),
    now,
  );
  await emit(
    trx,
    deps,
    caseUpdated,
    writes.events.flatMap((x) => (x.event === 'updated' ? [x.occurrence] : [])),
    now,
  );
}

async function openCase(
  trx: Executor,
  writes: BatchWrites,
  e: EventEnvelope<ResponseSaved>,
  contactId: string,
  decision: CaseDecision,
  settings: CaseSettings,
  contact: repo.ContactForCase | undefined,
  now: number,
): Promise<void> {
  const org = e.organisationId;
  let employees = writes.employees.get(org);
  if (!employees) {
    employees = await repo.listEmployeesForCases(trx, org);
    writes.employees.set(org, employees);
  }
  const known = new Set(employees.map((x) => x.id));
  const team = settings.assignment.roundRobinTeam;
  const teamKey = team === null ? '' : `${org}\u0000${team}`;
  let lastOfTeam: repo.RoundRobinCase | null = null;
  if (team !== null) {
    const cached = writes.lastRoundRobin.get(teamKey);
    lastOfTeam = cached === undefined ? await repo.lastRoundRobinCase(trx, org, team) : cached;
    writes.lastRoundRobin.set(teamKey, lastOfTeam);
  }
  const choice = chooseOwner({
    settings: settings.assignment,
    contactOwnerId: contact?.owner_employee_id ?? e.data.ownerEmployeeId,
    accountOwnerId: contact?.account_owner_employee_id ?? null,
    segment: contact?.segment ?? e.data.segment,
    teamMembers: team === null ? [] : employees.filter((x) => x.team === team).map((x) => x.id),
    lastTeamAssignee: lastOfTeam?.owner_employee_id ?? null,
    exists: (id) => known.has(id),
  });
  const ownerTeam =
    choice.rule === 'round-robin'
      ? team
      : (employees.find((x) => x.id === choice.employeeId)?.team ?? null);
  // Same organisation, kind and moment, same due time: the working calendar is built once.
  const dueKey = `${org}\u0000${decision.kind}`;
  let dueAt = writes.dueAt.get(dueKey);
  if (dueAt === undefined) {
    dueAt = firstContactDueAt(decision.kind, now, settings, caseCalendar(settings));
    writes.dueAt.set(dueKey, dueAt);
  }
  const row: CaseTable = {
    id: newId(),
    organisation_id: org,
    contact_id: contactId,
    kind: decision.kind,
    status: 'open',
    priority: decision.priority,
    reasons: JSON.stringify({ reasons: decision.reasons, themeWords: decision.themeWords }),
    owner_employee_id: choice.employeeId,
    owner_rule: choice.rule,
    team: ownerTeam,
    response_id: e.data.responseId,
    survey_id: e.data.surveyId,
    opened_score: e.data.score,
    opened_category: e.data.category,
    opened_at: now,
    due_at: dueAt,
    first_contact_at: null,
    escalated_at: null,
    alerted_at: null,
    closed_at: null,
    follow_up_invitation_id: null,
    follow_up_score: null,
    follow_up_at: null,
    created_at: now,
    updated_at: now,
  };
  writes.opened.push(row);
  if (choice.rule === 'round-robin' && team !== null) {
    // The newest round-robin case of the team as the database would order it once this is written.
    const last = writes.lastRoundRobin.get(teamKey) ?? null;
    if (last === null || last.opened_at < now || (last.opened_at === now && last.id < row.id)) {
      writes.lastRoundRobin.set(teamKey, {
        id: row.id,
        opened_at: now,
        owner_employee_id: row.owner_employee_id,
      });
    }
  }
  writes.cases.set(row.id, row);
  writes.activeOf.set(contactKey(org, contactId), row.id);
  writes.links.push({
    organisation_id: org,
    case_id: row.id,
    response_id: e.data.responseId,
    linked_at: now,
  });
  logLater(writes, { organisationId: org, caseId: row.id, at: now }, 'opened', {
    score: e.data.score,
    reasons: decision.reasons,
    ownerEmployeeId: choice.employeeId,
    rule: choice.rule,
  });
  if (decision.kind === 'recovery') {
    // One job per new case on the answer path: the alert schedules the escalation when it runs.
    writes.jobs.push({
      caseId: row.id,
      job: queued(
        caseAlertJob,
        { caseId: row.id },
        { organisationId: org, now, runAt: now + ALERT_SETTLE_MS },
      ),
    });
  }
  writes.events.push({
    event: 'opened',
    occurrence: { organisationId: org, data: factsOf(row) },
  });
}

async function joinCase(
  trx: Executor,
  writes: BatchWrites,
  e: EventEnvelope<ResponseSaved>,
  caseId: string,
  decision: CaseDecision,
  now: number,
): Promise<void> {
  const org = e.organisationId;
  const current = await caseInBatch(trx, writes, org, caseId);
  if (!current) return;
  const priority = higher(current.priority, decision.priority);
  patchInBatch(writes, caseId, { priority, updated_at: now });
  writes.touched.add(caseId);
  writes.links.push({
    organisation_id: org,
    case_id: caseId,
    response_id: e.data.responseId,
    linked_at: now,
  });
  logLater(writes, { organisationId: org, caseId, at: now }, 'answer-joined', {
    responseId: e.data.responseId,
    score: e.data.score,
  });
  writes.events.push({
    event: 'updated',
    occurrence: {
      organisationId: org,
      data: { ...factsOf({ ...current, priority }), change: 'answer-joined' },
    },
  });
}

/** Why a case still being worked went to another owner without anyone assigning it. */
export type HandOverReason =
  /** The customer moved to another account manager (the case went to them as theirs). */
  | 'customer_moved'
  /** The customer moved to another company (the case went to its manager as the company's). */
  | 'customer_moved_account'
  /** The customer's company got another account manager. */
  | 'account_manager_changed'
  /**
   * The customer, whose case went to their company's manager, got an account manager of their
   * own (the case went to them as the customer's manager: theirs come first).
   */
  | 'customer_own_manager'
  /**
   * The customer lost their own account manager: the case went to their company's manager (as
   * the company's), who comes next.
   */
  | 'customer_company_manager';

/**
 * Gives cases still being worked to `to` — keeping their owner rule, or taking `rule` when the
 * case now goes to them for another reason — or, to nobody, leaves them unassigned (rule `none`,
 * in the managers' inbox); each logged with its reason and announced (`case.updated`). An
 * employee who no longer exists takes nothing: the cases stay.
 */
async function handOver(
  trx: Executor,
  deps: Deps,
  org: string,
  cases: readonly CaseRow[],
  to: string | null,
  reason: HandOverReason,
  now: number,
  rule?: 'account-manager' | 'account',
): Promise<void> {
  if (cases.length === 0) return;
  const employee = to === null ? null : await repo.findEmployeeForCase(trx, org, to);
  if (to !== null && !employee) return;
  for (const row of cases) {
    const change =
      employee && to !== null
        ? {
            owner_employee_id: to,
            team: employee.team,
            updated_at: now,
            ...(rule ? { owner_rule: rule } : {}),
          }
        : { owner_employee_id: null, owner_rule: 'none' as const, team: null, updated_at: now };
    await repo.updateCase(trx, org, row.id, change);
    const at = { organisationId: org, caseId: row.id, at: now };
    await logEvent(trx, at, 'assigned', { ownerEmployeeId: to, reason });
    const next = { ...row, ...change };
    const updated = {
      organisationId: org,
      data: { ...factsOf(next), change: 'assigned' as const },
    };
    await emit(trx, deps, caseUpdated, [updated], now);
  }
}

/**
 * Customers moved to another account manager: a case still being worked that went to the previous
 * manager as the customer's manager goes to the new one — who now knows the customer, and is the
 * one who may still see them. The customer's own manager comes before their company's, as for a
 * new case (`chooseOwner`): a customer who had none, whose case went to the company's manager,
 * takes it to their new own manager; one left without an own manager brings the case to the
 * company's manager, or, without one, leaves it unassigned (in the managers' inbox). A case
 * assigned by hand, by segment or by team stays where it is.
 */
export async function handOverCases(
  trx: Executor,
  deps: Deps,
  events: readonly EventEnvelope<ContactOwnerChange>[],
  now: number,
): Promise<void> {
  for (const { organisationId: org, data } of events) {
    const { contactId, previousOwnerEmployeeId: from, ownerEmployeeId: to } = data;
    if (org === null || from === to) continue;
    if (from === null) {
      if (to === null) continue;
      const cases = await repo.activeCasesOwnedByRule(trx, org, { contactId, rule: 'account' });
      await handOver(trx, deps, org, cases, to, 'customer_own_manager', now, 'account-manager');
      continue;
    }
    const cases = await repo.activeCasesOwnedByRule(trx, org, {
      contactId,
      rule: 'account-manager',
      employeeId: from,
    });
    if (to !== null) {
      await handOver(trx, deps, org, cases, to, 'customer_moved', now);
      continue;
    }
    // The contact already belongs to the company it has after this change (the owner is
    // announced before the company): its manager, the next in line, when they still exist.
    const manager = await repo.accountManagerOfCustomer(trx, org, contactId);
    const company =
      manager !== null && (await repo.findEmployeeForCase(trx, org, manager)) ? manager : null;
    if (company === null) await handOver(trx, deps, org, cases, null, 'customer_moved', now);
    else await handOver(trx, deps, org, cases, company, 'customer_company_manager', now, 'account');
  }
}

/**
 * Customers moved to another company (account): a case still being worked that went to the
 * previous company's account manager as the company's manager (rule `account`) goes to the new
 * company's manager, or is unassigned when it has none (or the customer has no company now). A
 * case assigned by hand, by segment, by team or as the customer's own manager stays.
 */
export async function handOverCasesOfMovedCustomers(
  trx: Executor,
  deps: Deps,
  events: readonly EventEnvelope<ContactAccountChange>[],
  now: number,
): Promise<void> {
  for (const { organisationId: org, data } of events) {
    if (org === null) continue;
    const from = await repo.accountManagerOf(trx, org, data.previousAccountId);
    if (from === null) continue;
    const to = await repo.accountManagerOf(trx, org, data.accountId);
    if (to === from) continue;
    const cases = await repo.activeCasesOwnedByRule(trx, org, {
      contactId: data.contactId,
      rule: 'account',
      employeeId: from,
    });
    await handOver(trx, deps, org, cases, to, 'customer_moved_account', now);
  }
}

/**
 * A company (account) given another account manager: its customers' cases still being worked
 * that went to the previous manager as the company's manager (rule `account`) go to the new one,
 * or are unassigned when it has none. Other cases stay, as in `handOverCases`.
 */
export async function handOverCasesOfAccount(
  trx: Executor,
  deps: Deps,
  events: readonly EventEnvelope<AccountOwnerChange>[],
  now: number,
): Promise<void> {
  for (const { organisationId: org, data } of events) {
    const { accountId, previousOwnerEmployeeId: from, ownerEmployeeId: to } = data;
    if (org === null || from === null || from === to) continue;
    const cases = await repo.activeCasesOwnedByRule(trx, org, {
      accountId,
      rule: 'account',
      employeeId: from,
    });
    await handOver(trx, deps, org, cases, to, 'account_manager_changed', now);
  }
}

/**
 * The in-transaction reaction to `response.saved`: opens, updates, joins or closes cases as
 * `planCaseChange` says, and records the answer to a case's follow-up question. Runs in the
 * answer's transaction, so a case exists exactly when its answer does.
 *
 * A whole answer batch costs few statements: one lookup each for the organisation's settings with
 * the follow-up invitations among its answers, the contacts of the answers that may open or change
 * a case with their active cases, and the cases of edited answers; answers that open nothing cost
 * none. The batch then works on those cases in memory, in order (a second answer of a customer
 * joins the case the first one opened in the same batch): a new case and a join cost nothing until
 * the end, and an edit that updates or closes a case writes it at once. The new cases (one insert for all; the partial unique index
 * still decides against a concurrent transaction, see `joinInsteadOfOpening`), links, joined
 * cases' priorities, log lines, jobs and events are written at the end (`BatchWrites`).
 */
export async function applyAnswers(
  trx: Executor,
  deps: Deps,
  events: readonly EventEnvelope<ResponseSaved>[],
  now: number,
): Promise<void> {
  const settingsByOrg = new Map<string, CaseSettings>();
  const followUpInvitations = new Map<string, Set<string>>();
  const candidates: Array<{
    e: EventEnvelope<ResponseSaved>;
    contactId: string;
    settings: CaseSettings;
    isFollowUp: boolean;
    opensSomething: boolean;
    answer: { score: number; category: NpsCategory; mayContact: boolean; comment: string | null };
  }> = [];
  for (const e of events) {
    if (e.data.invitationId === null || e.data.contactId === null) continue;
    const ids = followUpInvitations.get(e.organisationId) ?? new Set<string>();
    ids.add(e.data.invitationId);
    followUpInvitations.set(e.organisationId, ids);
  }
  // The organisation's settings come with its follow-up invitations: one read, not two.
  for (const [org, ids] of followUpInvitations) {
    const found = await repo.findOrganisationWithFollowUps(trx, org, [...ids]);
    if (!found.org) throw notFound('organisation');
    settingsByOrg.set(org, parseSettings(found.org.settings).cases);
    followUpInvitations.set(org, found.followUps);
  }

  for (const e of events) {
    const org = e.organisationId;
    const contactId = e.data.contactId;
    if (contactId === null) continue;
    let settings = settingsByOrg.get(org);
    if (!settings) {
      settings = (await caseSettingsOf(trx, org)).settings;
      settingsByOrg.set(org, settings);
    }
    const isFollowUp =
      e.data.invitationId !== null &&
      (followUpInvitations.get(org)?.has(e.data.invitationId) ?? false);
    const needsResponse = e.data.hasComment && settings.openFor.themeWords.length > 0;
    const response = needsResponse
      ? await repo.findResponseForCase(trx, org, e.data.responseId)
      : undefined;
    const answer = {
      score: e.data.score,
      category: e.data.category,
      mayContact: e.data.mayContact,
      comment: response?.comment ?? null,
    };
    // This runs in the answer's transaction, so most answers (promoters and passives that open
    // nothing) must cost no lookup: the customer's value only raises a case's priority, never
    // opens one, and a first answer belongs to no case yet (except a follow-up's).
    const opensSomething = decideCase({ ...answer, customerValue: null }, settings) !== null;
    if (!opensSomething && e.data.kind !== 'updated' && !isFollowUp) continue;
    candidates.push({ e, contactId, settings, isFollowUp, opensSomething, answer });
  }
  if (candidates.length === 0) return;

  const contacts = new Map<string, Map<string, repo.ContactForCase>>();
  const contactIdsByOrg = new Map<string, Set<string>>();
  for (const c of candidates) {
    const ids = contactIdsByOrg.get(c.e.organisationId) ?? new Set<string>();
    ids.add(c.contactId);
    contactIdsByOrg.set(c.e.organisationId, ids);
  }
  const writes: BatchWrites = {
    log: [],
    opened: [],
    jobs: [],
    events: [],
    employees: new Map(),
    cases: new Map(),
    activeOf: new Map(),
    links: [],
    touched: new Set(),
    dueAt: new Map(),
    lastRoundRobin: new Map(),
  };
  // The contacts with their active cases, and the cases of edited answers: one lookup each per
  // organisation for the whole batch.
  const caseOfEdit = new Map<string, string>();
  for (const [org, ids] of contactIdsByOrg) {
    const found = await repo.findContactsWithActiveCases(trx, org, [...ids]);
    contacts.set(org, found.contacts);
    for (const id of ids) writes.activeOf.set(contactKey(org, id), null);
    for (const row of found.activeCases) {
      writes.cases.set(row.id, row);
      writes.activeOf.set(contactKey(org, row.contact_id), row.id);
    }
    const edited = candidates
      .filter((c) => c.e.organisationId === org && c.e.data.kind === 'updated')
      .map((c) => c.e.data.responseId);
    if (edited.length === 0) continue;
    for (const [responseId, row] of await repo.findCasesOfResponses(trx, org, edited)) {
      if (!writes.cases.has(row.id)) writes.cases.set(row.id, row);
      caseOfEdit.set(responseId, row.id);
    }
  }

  for (const { e, contactId, settings, isFollowUp, opensSomething, answer } of candidates) {
    const org = e.organisationId;
    // An answer to a case's follow-up is the "won back" measurement. A satisfied one (7+) opens
    // nothing new; a customer still unhappy gets a new case like any detractor. A follow-up
    // answer changed from unhappy to satisfied closes the case its first version opened, as
    // any changed answer does (and opens no thank-you task).
    const followUp = isFollowUp ? await recordFollowUp(trx, writes, e, now) : false;
    const satisfiedFollowUp = followUp && e.data.score >= 7;
    if (satisfiedFollowUp && e.data.kind !== 'updated') continue;
    // A response is linked to a case only while its own event is handled (one per batch), so the
    // lookup before the loop still holds — except for the follow-up link just written.
    let caseOfResponseId: string | null = null;
    if (followUp) {
      caseOfResponseId = (await repo.findCaseOfResponse(trx, org, e.data.responseId))?.id ?? null;
    } else if (e.data.kind === 'updated') {
      caseOfResponseId = caseOfEdit.get(e.data.responseId) ?? null;
    }
    const caseOfResponse =
      caseOfResponseId === null
        ? null
        : ((await caseInBatch(trx, writes, org, caseOfResponseId)) ?? null);
    if (!opensSomething && caseOfResponse === null) continue;
    const contact = contacts.get(org)?.get(contactId);
    const decision = satisfiedFollowUp
      ? null
      : decideCase(
          {
            ...answer,
            customerValue:
              settings.highValueFrom !== null && contact ? customerValue(contact.attributes) : null,
          },
          settings,
        );
    const activeId = writes.activeOf.get(contactKey(org, contactId)) ?? null;
    const active = activeId === null ? null : (writes.cases.get(activeId) ?? null);
    const steps = planCaseChange({
      hasContact: true,
      decision,
      caseOfResponse,
      activeCaseOfContact: active,
    });
    for (const step of steps) {
      if (step.type === 'open') {
        await openCase(trx, writes, e, contactId, step.decision, settings, contact, now);
      } else if (step.type === 'attach') {
        await joinCase(trx, writes, e, step.caseId, step.decision, now);
      } else if (step.type === 'update') {
        const current = await caseInBatch(trx, writes, org, step.caseId);
        if (!current) continue;
        const patch = {
          priority: step.decision.priority,
          reasons: JSON.stringify({
            reasons: step.decision.reasons,
            themeWords: step.decision.themeWords,
          }),
          updated_at: now,
          ...(current.response_id === e.data.responseId ? { opened_score: e.data.score } : {}),
        };
        await repo.updateCase(trx, org, step.caseId, patch);
        patchInBatch(writes, step.caseId, patch);
        if (e.data.kind === 'updated' && e.data.previousScore !== e.data.score) {
          logLater(
            writes,
            { organisationId: org, caseId: step.caseId, at: now },
            'answer-changed',
            {
              from: e.data.previousScore,
              to: e.data.score,
            },
          );
        }
        writes.events.push({
          event: 'updated',
          occurrence: {
            organisationId: org,
            data: { ...factsOf({ ...current, ...patch }), change: 'answer-changed' },
          },
        });
      } else {
        const current = await caseInBatch(trx, writes, org, step.caseId);
        if (!current || !isActive(current.status)) continue;
        const closed = { status: 'changed_by_customer' as const, closed_at: now, updated_at: now };
        await repo.updateCase(trx, org, step.caseId, closed, ['open', 'contacted']);
        patchInBatch(writes, step.caseId, closed);
        const key = contactKey(org, current.contact_id);
        if (writes.activeOf.get(key) === step.caseId) writes.activeOf.set(key, null);
        logLater(
          writes,
          { organisationId: org, caseId: step.caseId, at: now },
          'closed-by-customer',
          { score: e.data.score, previousScore: e.data.previousScore },
        );
        writes.events.push({
          event: 'updated',
          occurrence: {
            organisationId: org,
            data: {
              ...factsOf({ ...current, status: 'changed_by_customer' }),
              change: 'closed-by-customer',
            },
          },
        });
      }
    }
  }
  await flush(trx, deps, writes, now);
}

/** An answer through a case's follow-up invitation: the "won back" measurement. */
async function recordFollowUp(
  trx: Executor,
  writes: BatchWrites,
  e: EventEnvelope<ResponseSaved>,
  now: number,
): Promise<boolean> {
  const org = e.organisationId;
  const row = await trx
    .selectFrom('cases')
    .select(repo.CASE_COLUMNS)
    .where('organisation_id', '=', org)
    .where('follow_up_invitation_id', '=', e.data.invitationId)
    .executeTakeFirst();
  if (!row) return false;
  await repo.linkResponse(trx, {
    organisation_id: org,
    case_id: row.id,
    response_id: e.data.responseId,
    linked_at: now,
  });
  const patch = { follow_up_score: e.data.score, follow_up_at: now, updated_at: now };
  await repo.updateCase(trx, org, row.id, patch);
  patchInBatch(writes, row.id, patch);
  logLater(writes, { organisationId: org, caseId: row.id, at: now }, 'follow-up-answered', {
    score: e.data.score,
    wonBack: e.data.score >= 7,
  });
  writes.events.push({
    event: 'updated',
    occurrence: {
      organisationId: org,
      data: { ...factsOf(row), change: 'follow-up-answered' },
    },
  });
  return true;
}

// ---- Staff: reading and working cases ----

/**
 * Which cases an actor sees: the shared record scope (`recordScope`: an account manager only their
 * own, none without a linked employee, everyone else all), narrowed for a manager whose employee
 * record is in a team to that team's cases and their own (`teamRecordScope`).
 */
export async function caseScope(db: Executor, actor: Actor): Promise<TeamRecordScope> {
  const team =
    actor.role === 'manager' && actor.employeeId
      ? await repo.findTeamOfEmployee(db, actor.organisationId, actor.employeeId)
      : null;
  return teamRecordScope(actor, team);
}

/** A case the actor may see, or not_found (never "forbidden": that would confirm it exists). */
export async function visibleCase(db: Executor, actor: Actor, id: string): Promise<CaseRow> {
  const row = await repo.findCase(db, actor.organisationId, id);
  if (!row) throw notFound('case');
  const scope = await caseScope(db, actor);
  if (!inTeamScope(scope, { ownerEmployeeId: row.owner_employee_id, team: row.team })) {
    throw notFound('case');
  }
  return row;
}

export type CaseAction =
  | { type: 'status'; status: StaffStatus; note: string | null }
  | { type: 'note'; note: string }
  | { type: 'contact-moment'; channel: 'phone' | 'email'; note: string | null }
  | { type: 'assign'; ownerEmployeeId: string | null };

/** One change by a person, logged with who did it, in the caller's transaction. */
export async function actOnCase(
  trx: Executor,
  deps: Deps,
  actor: Actor,
  id: string,
  action: CaseAction,
  now: number,
): Promise<CaseRow> {
  const row = await visibleCase(trx, actor, id);
  const org = actor.organisationId;
  /**
   * A note about a customer whose data was erased would be new personal data of theirs. Asked
   * right before the note is written, after the case row is changed: a new answer of the same
   * customer locks the case before the contact, so this takes them in that order too.
   */
  const refuseNoteAboutErased = async (note: string | null) => {
    if (note === null || row.contact_id === null) return;
    if (await repo.contactErasedForNote(trx, org, row.contact_id)) {
      throw new AppError('conflict', { issues: [{ field: 'note', problem: 'contact_erased' }] });
    }
  };
  const at = { organisationId: org, caseId: id, at: now };
  const userId = actor.kind === 'user' ? actor.id : null;

  if (action.type === 'assign') {
    if (!can(actor, 'cases:assign')) throw new AppError('forbidden');
    let team: string | null = null;
    if (action.ownerEmployeeId !== null) {
      const employee = await repo.findEmployeeForCase(trx, org, action.ownerEmployeeId);
      if (!employee) {
        throw new AppError('validation_failed', {
          issues: [{ field: 'ownerEmployeeId', problem: 'unknown_employee' }],
        });
      }
      team = employee.team;
    }
    const next: CaseRow = {
      ...row,
      owner_employee_id: action.ownerEmployeeId,
      owner_rule: 'manual',
      team,
      updated_at: now,
    };
    await repo.updateCase(trx, org, id, {
      owner_employee_id: next.owner_employee_id,
      owner_rule: 'manual',
      team,
      updated_at: now,
    });
    await logEvent(trx, at, 'assigned', { ownerEmployeeId: action.ownerEmployeeId }, { userId });
    await emit(
      trx,
      deps,
      caseUpdated,
      [{ organisationId: org, data: { ...factsOf(next), change: 'assigned' } }],
      now,
    );
    return next;
  }

  if (action.type === 'note') {
    await refuseNoteAboutErased(action.note);
    await logEvent(trx, at, 'note', {}, { userId, body: action.note });
    // Announced as a change without its text: a note may name people (cases.events.ts).
    await emit(
      trx,
      deps,
      caseUpdated,
      [{ organisationId: org, data: { ...factsOf(row), change: 'note' } }],
      now,
    );
    return row;
  }

  if (action.type === 'contact-moment') {
    if (!isActive(row.status)) throw closedCase();
    const status = row.kind === 'recovery' ? statusAfterContactMoment(row.status) : row.status;
    const next: CaseRow = {
      ...row,
      status,
      first_contact_at: row.first_contact_at ?? now,
      updated_at: now,
    };
    // Only while the case is still active: a colleague who closed it meanwhile (PostgreSQL: this
    // update waited for their row lock) is not undone by a call logged on the stale case; a
    // colleague's call logged at the same moment is no reason to refuse this one.
    const logged = await repo.updateCase(
      trx,
      org,
      id,
      { status, first_contact_at: next.first_contact_at, updated_at: now },
      ['open', 'contacted'],
    );
    if (!logged) throw closedCase();
    await refuseNoteAboutErased(action.note);
    await logEvent(
      trx,
      at,
      'contact-moment',
      { channel: action.channel },
      { userId, body: action.note },
    );
    if (status !== row.status) {
      await emit(
        trx,
        deps,
        caseUpdated,
        [{ organisationId: org, data: { ...factsOf(next), change: 'contacted' } }],
        now,
      );
    }
    return next;
  }

  if (!canMove(row.kind, row.status, action.status)) {
    throw new AppError('conflict', {
      issues: [
        {
          field: 'status',
          problem: 'transition_not_allowed',
          params: { from: row.status, to: action.status },
        },
      ],
    });
  }
  const closing = action.status !== 'contacted';
  const next: CaseRow = {
    ...row,
    status: action.status,
    first_contact_at: row.first_contact_at ?? (row.kind === 'recovery' ? now : null),
    closed_at: closing ? now : null,
    updated_at: now,
  };
  const changed = await repo.updateCase(
    trx,
    org,
    id,
    {
      status: next.status,
      first_contact_at: next.first_contact_at,
      closed_at: next.closed_at,
      updated_at: now,
    },
    [row.status],
  );
  if (!changed) throw closedCase();
  await refuseNoteAboutErased(action.note);
  await logEvent(
    trx,
    at,
    'status',
    { from: row.status, to: action.status },
    { userId, body: action.note },
  );
  if (action.status === 'resolved' && row.kind === 'recovery') {
    const { settings } = await caseSettingsOf(trx, org);
    if (settings.enabled && settings.followUp) {
      await enqueue(
        trx,
        caseFollowUpJob,
        { caseId: id },
        { organisationId: org, now, runAt: now + settings.followUpDelayHours * 3_600_000 },
      );
    }
  }
  if (closing) {
    await emit(
      trx,
      deps,
      caseResolved,
      [
        {
          organisationId: org,
          data: {
            ...factsOf(next),
            outcome: action.status === 'resolved' ? 'resolved' : 'unresolvable',
          },
        },
      ],
      now,
    );
  } else {
    await emit(
      trx,
      deps,
      caseUpdated,
      [{ organisationId: org, data: { ...factsOf(next), change: 'contacted' } }],
      now,
    );
  }
  return next;
}

const closedCase = () =>
  new AppError('conflict', { issues: [{ field: 'status', problem: 'case_closed' }] });
