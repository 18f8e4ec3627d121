import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import type { VisitTable } from '../../db/schema.ts';
import {
  DEFAULT_WORKING_CALENDAR,
  localDateOf,
  zonedInstant,
} from '../../domain/calendar/index.ts';
import { DEFAULT_FIXED_INTERVALS, visitRhythm } from '../../domain/loyalty/visit-rhythm.ts';
import { amountForStatus, kindKey, type VisitStatus } from '../../domain/visits/visit-record.ts';
import {
  DEFAULT_VISIT_TRIGGER,
  planVisitInvitation,
  visitOutsideTrigger,
  type VisitTriggerRule,
} from '../../domain/visits/visit-trigger.ts';
import type { Deps } from '../../platform/deps.ts';
import { emit, type Occurrence } from '../../platform/events/emit.ts';
import { enqueue, enqueueAgain } from '../../platform/jobs/define-job.ts';
import { AppError, invalid, notFound, type FieldIssue } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { iso } from '../../shared/time.ts';
import type { Actor } from '../auth/actor.ts';
import { recordScope } from '../auth/record-scope.ts';
import { getSurveyRow } from '../surveys/surveys.service.ts';
import { organisationRules, planSend, previewSend } from '../invitations/send-planning.service.ts';
import * as repo from './visits.repository.ts';
import { visitInviteJob } from './visits.jobs.ts';
import type {
  BatchRecordedJson,
  ContactVisitsJson,
  VisitInput,
  VisitTriggerInput,
  VisitTriggerJson,
} from './visits.schemas.ts';
import { lookupFingerprints } from '../../shared/erased-identifiers.ts';
import { phoneKey } from '../../domain/identity/identity.ts';
import { erasedFingerprints } from '../contacts/contacts.repository.ts';
import { presentVisit } from './visits.presenter.ts';
import { newVisitId, visitId, visitInviteKey } from './visit-ids.ts';
import {
  visitCancelled,
  visitRecorded,
  type VisitCancelled,
  type VisitRecorded,
} from './visits.events.ts';
import type { Locale } from '../../db/schema.ts';

/** A visit as every door hands it over: parsed, in cents and milliseconds, customer by reference. */
export interface NewVisit {
  externalId: string | null;
  customer: { externalId: string | null; email: string | null; phone: string | null };
  visitedAt: number;
  amountCents: number;
  kind: string | null;
  location: string | null;
  status: VisitStatus;
}

const DAY = 86_400_000;

/** The email key contacts are stored under (lower case, trimmed). */
const emailKey = (email: string): string => email.trim().toLowerCase();

/** An API visit → a NewVisit, or the problems of its fields (prefixed by `path`). */
export function fromApiInput(
  input: VisitInput,
  path: string,
  now: number,
): { ok: true; visit: NewVisit } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const visitedAt = /^\d{4}-\d{2}-\d{2}$/.test(input.visitedAt)
    ? zonedInstant(
        {
          year: Number(input.visitedAt.slice(0, 4)),
          month: Number(input.visitedAt.slice(5, 7)),
          day: Number(input.visitedAt.slice(8, 10)),
        },
        12 * 60,
      )
    : Date.parse(input.visitedAt);
  if (visitedAt > now + DAY) issues.push({ field: `${path}visitedAt`, problem: 'date_in_future' });
  if (localDateOf(visitedAt).year < 1990)
    issues.push({ field: `${path}visitedAt`, problem: 'date_too_old' });
  const amount = amountForStatus(Math.round(input.amount * 100), input.status);
  if (!amount.ok) issues.push({ field: `${path}amount`, problem: amount.problem });
  if (issues.length || !amount.ok) return { ok: false, issues };
  return {
    ok: true,
    visit: {
      externalId: input.externalId,
      customer: input.customer,
      visitedAt,
      amountCents: amount.cents,
      kind: input.kind,
      location: input.location,
      status: input.status,
    },
  };
}

/** Why a visit's customer cannot be used, or the contact id. */
export type CustomerMatch =
  { id: string } | { problem: 'unknown_customer' | 'customer_erased' | 'ambiguous_customer' };

/**
 * Resolves the customers of many visits in a few queries: customer number first, then email, then
 * phone. An erased customer is refused by name, also when only the fingerprint of their
 * identifier is left (`shared/erased-identifiers.ts`): their history must not grow again.
 */
export async function matchCustomers(
  db: Executor,
  organisationId: string,
  refs: readonly NewVisit['customer'][],
): Promise<CustomerMatch[]> {
  const externalIds = new Set<string>();
  const emails = new Set<string>();
  const phones = new Set<string>();
  for (const r of refs) {
    if (r.externalId) externalIds.add(r.externalId);
    if (r.email) emails.add(emailKey(r.email));
    const phone = phoneKey(r.phone);
    if (phone) phones.add(phone);
  }
  const found = await repo.findContactsByRefs(db, organisationId, {
    externalIds: [...externalIds],
    emailKeys: [...emails],
    phoneKeys: [...phones],
  });
  const byExt = new Map(found.filter((c) => c.external_id).map((c) => [c.external_id, c]));
  const byEmail = new Map(found.filter((c) => c.email_key).map((c) => [c.email_key, c]));
  // A phone number may be shared (a household, a switchboard): it names a customer only when it
  // names one, and a visit is never put on one of several by chance.
  const byPhone = new Map<string, repo.ContactRefRow[]>();
  for (const c of found) {
    if (c.phone_key) byPhone.set(c.phone_key, [...(byPhone.get(c.phone_key) ?? []), c]);
  }
  const resolved = refs.map((r): CustomerMatch | null => {
    const byNumberOrEmail =
      (r.externalId ? byExt.get(r.externalId) : undefined) ??
      (r.email ? byEmail.get(emailKey(r.email)) : undefined);
    const phoneMatches = byNumberOrEmail ? [] : (byPhone.get(phoneKey(r.phone) ?? '') ?? []);
    if (phoneMatches.length > 1) return { problem: 'ambiguous_customer' };
    const contact = byNumberOrEmail ?? phoneMatches[0];
    if (!contact) return null;
    if (contact.erased_at !== null) return { problem: 'customer_erased' as const };
    return { id: contact.id };
  });
  // Erasure cleared the identifiers; their fingerprints tell an erased customer from a stranger.
  const unmatched = refs.flatMap((r, i) =>
    resolved[i] === null ? [{ i, prints: lookupFingerprints(organisationId, r) }] : [],
  );
  const erased = unmatched.length
    ? await erasedFingerprints(
        db,
        organisationId,
        unmatched.flatMap((u) => u.prints),
      )
    : new Set<string>();
  const erasedAt = new Set(
    unmatched.filter((u) => u.prints.some((p) => erased.has(p))).map((u) => u.i),
  );
  return resolved.map(
    (m, i): CustomerMatch =>
      m ?? { problem: erasedAt.has(i) ? 'customer_erased' : 'unknown_customer' },
  );
}

export type RecordOutcome = BatchRecordedJson;

/** Skips that say the trigger does not ask about the visit as it was: a correction may change it. */
const OUTSIDE_TRIGGER: ReadonlySet<string> = new Set(['visit_kind', 'visit_not_completed']);

/**
 * Stores visits — all or nothing: if any visit's customer is unknown or erased, nothing is written
 * and every problem is reported with its position. A visit whose external id is known updates that
 * visit (a re-sent or corrected invoice, a cancellation); a new completed visit is offered to the
 * visit trigger in the same transaction. Every stored visit is announced as `visit.recorded`, and
 * one that stops counting as paid (a completed visit now cancelled or refunded, or a refund) as
 * `visit.cancelled`, in the same transaction — all of a batch at once.
 */
export async function recordVisits(
  db: Executor,
  deps: Deps,
  organisationId: string,
  visits: readonly NewVisit[],
  source: VisitTable['source'],
  now: number,
  fieldOf: (index: number, field: string) => string = (i, f) => `visits.${i}.${f}`,
): Promise<RecordOutcome> {
  // One visit per number (visit-ids.ts): on PostgreSQL the organisation's visit writes are locked
  // before the numbers are looked up, so a racing first record of one of them waits here and then
  // finds this one, and a concurrent correction of a visit this batch corrects has committed: this
  // batch announces what it wrote as the previous state. The rows are also read `for update`, which
  // keeps that true of any writer that does not take the lock (SQLite writes one at a time).
  // An erasure takes the same lock first (visits.personal-data.ts), so the customers are matched
  // after it: a customer erased while this batch waited is refused as erased, and their history
  // does not grow again under the number and location erasure cleared (AVG art. 17).
  await repo.lockVisitWrites(db, organisationId);
  const matches = await matchCustomers(
    db,
    organisationId,
    visits.map((v) => v.customer),
  );
  const issues: FieldIssue[] = [];
  matches.forEach((m, i) => {
    if ('problem' in m) issues.push({ field: fieldOf(i, 'customer'), problem: m.problem });
  });
  const seen = new Map<string, number>();
  visits.forEach((v, i) => {
    if (v.externalId === null) return;
    const earlier = seen.get(v.externalId);
    if (earlier !== undefined) {
      issues.push({
        field: fieldOf(i, 'externalId'),
        problem: 'duplicate_in_batch',
        params: { index: earlier },
      });
    } else seen.set(v.externalId, i);
  });
  if (issues.length) throw invalid(issues);

  const numbers = visits.flatMap((v) => (v.externalId ? [v.externalId] : []));
  const existing = new Map(
    (
      await repo.findVisitsByExternalIds(
        db,
        organisationId,
        numbers,
        deps.db.dialect === 'postgres',
      )
    ).map((e) => [e.external_id, e]),
  );
  // A new visit's derived id is taken only by a visit whose number erasure cleared: a random one.
  const derived = visits.flatMap((v) =>
    v.externalId && !existing.has(v.externalId)
      ? [visitId(organisationId, v.externalId, v.visitedAt)]
      : [],
  );
  const taken = await repo.takenVisitIds(db, derived);
  const idOf = (v: NewVisit): string => {
    const id = newVisitId(organisationId, v.externalId, v.visitedAt);
    return taken.has(id) ? newId() : id;
  };
  const trigger = await activeTrigger(db, organisationId);
  /** The trigger's decision on a visit: planned (its job enqueued) or skipped with the reason. */
  const planInvitation = async (
    id: string,
    visit: Pick<VisitTable, 'visited_at' | 'kind_key' | 'status'>,
    again: boolean,
  ): Promise<Partial<Pick<VisitTable, 'invitation_status' | 'skip_reason' | 'skip_detail'>>> => {
    if (!trigger) return {};
    const decision = planVisitInvitation(
      { visitedAt: visit.visited_at, kindKey: visit.kind_key, status: visit.status },
      trigger.rule,
      now,
      DEFAULT_WORKING_CALENDAR,
    );
    if (!decision.send) {
      return { invitation_status: 'skipped', skip_reason: decision.reason, skip_detail: null };
    }
    const options = { organisationId, now, runAt: decision.at, dedupeKey: visitInviteKey(id) };
    // A job that ran for this visit before its correction (and skipped it) runs again.
    await (again ? enqueueAgain : enqueue)(db, visitInviteJob, { visitId: id }, options);
    return { invitation_status: 'planned', skip_reason: null, skip_detail: null };
  };
  const inserts: VisitTable[] = [];
  const outcome: RecordOutcome = { created: 0, updated: 0, visits: [] };
  const recorded: Occurrence<VisitRecorded>[] = [];
  const cancelled: Occurrence<VisitCancelled>[] = [];
  const announce = (
    id: string,
    v: NewVisit,
    contactId: string,
    before: {
      contact_id: string;
      status: VisitStatus;
      visited_at: number;
      amount_cents: number;
    } | null,
  ): void => {
    const previousStatus = before?.status ?? null;
    const previousContactId = before?.contact_id ?? null;
    recorded.push({
      organisationId,
      data: {
        visitId: id,
        contactId,
        previousContactId: previousContactId === contactId ? null : previousContactId,
        externalId: v.externalId,
        kind: previousStatus === null ? 'created' : 'updated',
        status: v.status,
        previousStatus,
        visitedAt: v.visitedAt,
        amountCents: v.amountCents,
        previousVisitedAt: before === null ? null : Number(before.visited_at),
        previousAmountCents: before === null ? null : Number(before.amount_cents),
        source,
      },
    });
    const stopsCounting =
      v.status === 'refund'
        ? previousStatus !== 'refund'
        : v.status === 'cancelled' && previousStatus === 'completed';
    if (stopsCounting) {
      cancelled.push({
        organisationId,
        data: {
          visitId: id,
          contactId,
          externalId: v.externalId,
          how: v.status === 'refund' ? 'refunded' : 'cancelled',
          visitedAt: v.visitedAt,
          amountCents: v.amountCents,
        },
      });
    }
  };
  for (const [i, v] of visits.entries()) {
    const match = matches[i];
    if (!match || 'problem' in match) continue;
    const values = {
      contact_id: match.id,
      visited_at: v.visitedAt,
      kind: v.kind,
      kind_key: v.kind === null ? null : kindKey(v.kind),
      location: v.location,
      amount_cents: v.amountCents,
      status: v.status,
      updated_at: now,
    };
    const known = v.externalId ? existing.get(v.externalId) : undefined;
    if (known) {
      // Corrected into the trigger (an APK that was a service after all, a cancellation taken
      // back): the trigger decides again, within its usual window, as it would have at first.
      const replan =
        known.invitation_status === 'skipped' &&
        known.skip_reason !== null &&
        OUTSIDE_TRIGGER.has(known.skip_reason)
          ? await planInvitation(known.id, values, true)
          : {};
      await repo.updateVisit(db, organisationId, known.id, { ...values, ...replan, source });
      announce(known.id, v, match.id, known);
      outcome.updated++;
      outcome.visits.push({ index: i, id: known.id, created: false });
      continue;
    }
    const row: VisitTable = {
      id: idOf(v),
      organisation_id: organisationId,
      external_id: v.externalId,
      source,
      invitation_status: null,
      invitation_id: null,
      skip_reason: null,
      skip_detail: null,
      created_at: now,
      ...values,
    };
    if (trigger) Object.assign(row, await planInvitation(row.id, values, false));
    inserts.push(row);
    announce(row.id, v, match.id, null);
    outcome.created++;
    outcome.visits.push({ index: i, id: row.id, created: true });
  }
  await repo.insertVisits(db, inserts);
  await emit(db, deps, visitRecorded, recorded, now);
  await emit(db, deps, visitCancelled, cancelled, now);
  return outcome;
}

async function activeTrigger(
  db: Executor,
  organisationId: string,
): Promise<{ surveyId: string; rule: VisitTriggerRule } | null> {
  const row = await repo.findTrigger(db, organisationId);
  if (!row || row.enabled !== 1) return null;
  return {
    surveyId: row.survey_id,
    rule: {
      ...DEFAULT_VISIT_TRIGGER,
      kinds: JSON.parse(row.kinds) as string[],
      delayDays: row.delay_days,
      sendAtMinute: row.send_at_minute,
    },
  };
}

export async function getTrigger(db: Executor, organisationId: string): Promise<VisitTriggerJson> {
  const row = await repo.findTrigger(db, organisationId);
  return presentTrigger(row ?? null);
}

function presentTrigger(
  row: Awaited<ReturnType<typeof repo.findTrigger>> | null,
): VisitTriggerJson {
  return {
    surveyId: row?.survey_id ?? null,
    enabled: row?.enabled === 1,
    kinds: row ? (JSON.parse(row.kinds) as string[]) : [],
    delayDays: row?.delay_days ?? DEFAULT_VISIT_TRIGGER.delayDays,
    sendAtMinute: row?.send_at_minute ?? DEFAULT_VISIT_TRIGGER.sendAtMinute,
    lateAfterDays: DEFAULT_VISIT_TRIGGER.lateAfterDays,
  };
}

export async function saveTrigger(
  db: Executor,
  organisationId: string,
  input: VisitTriggerInput,
  now: number,
): Promise<VisitTriggerJson> {
  const survey = await getSurveyRow(db, organisationId, input.surveyId);
  if (survey.status === 'archived') throw new AppError('survey_archived');
  const row = {
    organisation_id: organisationId,
    survey_id: input.surveyId,
    enabled: input.enabled ? 1 : 0,
    kinds: JSON.stringify([...new Set(input.kinds.map(kindKey))]),
    delay_days: input.delayDays,
    send_at_minute: input.sendAtMinute,
    updated_at: now,
  };
  await repo.saveTrigger(db, row);
  return presentTrigger(row);
}

/**
 * The visit trigger's job: plan the invitation through the ordinary send planning (one contact,
 * now), so the contact-frequency rules, unsubscribes and bounces decide exactly as for any send, and
 * note on the visit what happened — invited, or skipped with the rule's reason.
 */
export async function inviteAfterVisit(
  db: Executor,
  organisationId: string,
  visitId: string,
  now: number,
  config: Pick<Config, 'publicUrl'>,
): Promise<{ status: 'success' | 'skipped'; detail: string }> {
  const visit = await repo.findVisit(db, organisationId, visitId);
  if (!visit) return { status: 'skipped', detail: 'visit gone' };
  if (visit.invitation_status !== 'planned')
    return { status: 'skipped', detail: 'already decided' };
  const skip = async (reason: string, detail: string | null = null) => {
    await repo.updateVisit(db, organisationId, visitId, {
      invitation_status: 'skipped',
      skip_reason: reason,
      skip_detail: detail,
      updated_at: now,
    });
    return { status: 'skipped' as const, detail: reason };
  };
  if (visit.status !== 'completed') return skip('visit_not_completed');
  const trigger = await activeTrigger(db, organisationId);
  if (!trigger) return skip('trigger_off');
  // Corrected since it was planned (a tyre change, not an APK) or the trigger's kinds changed.
  const outside = visitOutsideTrigger(
    { kindKey: visit.kind_key, status: visit.status },
    trigger.rule,
  );
  if (outside) return skip(outside);
  const actor = { kind: 'system' as const, organisationId };
  const selection = { kind: 'contacts' as const, contactIds: [visit.contact_id] };
  // Ask the rules first, so a skipped visit leaves no empty send behind and keeps the explanation
  // ("asked 7 days ago — eligible again on …") in the organisation's language.
  const { locale } = await organisationRules(db, organisationId);
  const preview = await previewSend(
    db,
    actor,
    trigger.surveyId,
    { selection, schedule: { kind: 'now' }, sampleSize: 1 },
    now,
    locale,
  );
  const skipped = preview.sample[0];
  if (preview.eligible === 0) {
    // A contact the selection does not find is counted apart from the skipped ones.
    if (!skipped && preview.notFound > 0) return skip('unknown_contact');
    return skip(skipped?.reason ?? 'not_eligible', skipped?.explanation ?? null);
  }
  const send = await planSend(
    db,
    actor,
    trigger.surveyId,
    { selection, schedule: { kind: 'now' } },
    now,
    config,
  );
  const invitation = await repo.findInvitationOfSend(db, organisationId, send.id, visit.contact_id);
  if (!invitation) {
    const reasons = Object.keys(send.skipReasons ?? {});
    return skip(reasons[0] ?? 'not_eligible');
  }
  await repo.updateVisit(db, organisationId, visitId, {
    invitation_status: 'invited',
    invitation_id: invitation.id,
    updated_at: now,
  });
  return { status: 'success', detail: `invitation ${invitation.id}` };
}

/** The contact's visits and rhythm, for the contact screen. Respects an account manager's scope. */
export async function contactVisits(
  db: Executor,
  actor: Actor,
  contactId: string,
  now: number,
  locale: Locale,
): Promise<ContactVisitsJson> {
  const contact = await repo.findContactForActor(
    db,
    actor.organisationId,
    contactId,
    recordScope(actor),
  );
  if (!contact) throw notFound('contact');
  const [rows, summary, lastKind] = await Promise.all([
    repo.listContactVisits(db, actor.organisationId, contactId, 200),
    repo.contactVisitSummary(db, actor.organisationId, contactId),
    repo.lastCompletedKind(db, actor.organisationId, contactId),
  ]);
  const rhythm = visitRhythm(
    {
      firstVisitAt: summary.firstAt,
      lastVisitAt: summary.lastAt,
      visitDays: summary.days,
      fixedIntervalDays: lastKind === null ? null : (DEFAULT_FIXED_INTERVALS[lastKind] ?? null),
    },
    now,
  );
  return {
    summary: {
      firstVisitAt: iso(summary.firstAt),
      lastVisitAt: iso(summary.lastAt),
      visits: summary.visits,
      revenue: summary.revenueCents / 100,
      typicalIntervalDays: rhythm.typicalIntervalDays,
      dueAt: iso(rhythm.dueAt),
      due: rhythm.due,
    },
    visits: rows.map((r) => presentVisit(r, locale)),
  };
}
