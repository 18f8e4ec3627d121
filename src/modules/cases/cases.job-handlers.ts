import type { Executor } from '../../db/database.ts';
import type { Locale } from '../../db/schema.ts';
import { shouldEscalate } from '../../domain/cases/case-deadlines.ts';
import { isActive } from '../../domain/cases/case-state.ts';
import type { JobContext, JobResult } from '../../platform/jobs/define-job.ts';
import { enqueue, handleJob } from '../../platform/jobs/define-job.ts';
import { emit } from '../../platform/events/emit.ts';
import { derivedId, newId, uuidv7Time } from '../../shared/ids.ts';
import { renderCaseMail, sendStaffMail } from './case-mail.ts';
import { isRecipientDeferral } from '../email/mail-transport.ts';
import * as emails from '../email/emails.repository.ts';
import type { CaseMailFacts } from './case-mail.ts';
import { caseUpdated } from './cases.events.ts';
import { caseAlertJob, caseEscalationJob, caseFollowUpJob } from './cases.jobs.ts';
import { planCaseFollowUp } from '../invitations/send-planning.service.ts';
import * as repo from './cases.repository.ts';
import type { CaseRow } from './cases.repository.ts';
import { factsOf } from './cases.service.ts';

const skipped = (detail: string): JobResult => ({ status: 'skipped', detail });

type Recipient = { key: string; email: string; locale: Locale };

async function mailFacts(ctx: JobContext, row: CaseRow) {
  const db = ctx.db.kysely;
  const org = await repo.findOrganisationForCases(db, row.organisation_id);
  const contact = await repo.findContactForCase(db, row.organisation_id, row.contact_id);
  const response = await repo.findResponseForCase(db, row.organisation_id, row.response_id);
  const owner = row.owner_employee_id
    ? await repo.findEmployeeForCase(db, row.organisation_id, row.owner_employee_id)
    : undefined;
  const facts: CaseMailFacts = {
    organisationName: org?.name ?? '',
    caseId: row.id,
    score: response?.score ?? row.opened_score,
    comment: response?.comment ?? null,
    contactName: contact?.erased_at ? null : (contact?.name ?? null),
    phone: contact?.phone ?? null,
    email: contact?.email ?? null,
    mayContact: response?.may_contact === 1,
    dueAt: row.due_at,
    ownerName: owner?.name ?? null,
  };
  return { facts, orgLocale: org?.locale ?? 'nl', owner };
}

async function managers(ctx: JobContext, row: CaseRow): Promise<Recipient[]> {
  const list = await repo.escalationRecipients(ctx.db.kysely, row.organisation_id, row.team);
  return list.map((u) => ({ key: `user-${u.id}`, email: u.email, locale: u.locale }));
}

type StaffMailKind = 'case_alert' | 'case_escalation';

/**
 * One staff mail of a case per kind and recipient: its key, and so its Message-ID. Without a
 * recipient, the start every key of that case and kind shares.
 */
const mailKey = (caseId: string, kind: StaffMailKind, r: Recipient | null) =>
  `${caseId}.${kind === 'case_alert' ? 'alert' : 'escalation'}.${r?.key ?? ''}`;

/** The owner's alert goes to the owning employee's logins, else their address, else the managers. */
async function alertRecipients(ctx: JobContext, row: CaseRow): Promise<Recipient[]> {
  const db = ctx.db.kysely;
  const owner = row.owner_employee_id
    ? await repo.findEmployeeForCase(db, row.organisation_id, row.owner_employee_id)
    : undefined;
  if (owner) {
    const users = await repo.usersOfEmployee(db, row.organisation_id, owner.id);
    if (users.length > 0) {
      return users.map((u) => ({ key: `user-${u.id}`, email: u.email, locale: u.locale }));
    }
    if (owner.email) {
      const org = await repo.findOrganisationForCases(db, row.organisation_id);
      return [{ key: `employee-${owner.id}`, email: owner.email, locale: org?.locale ?? 'nl' }];
    }
  }
  return managers(ctx, row);
}

/**
 * A case's alert or escalation whose job ran out of attempts (its mail server stayed down): the
 * mails that never left are given up — the outbox shows them failed, with the last reason — and,
 * while the case still waits for someone, its log says the alert or escalation did not arrive, so
 * whoever opens the case knows to act themselves.
 */
async function recordMailGivenUp(
  ctx: JobContext,
  caseId: string,
  kind: StaffMailKind,
): Promise<void> {
  const org = ctx.organisationId;
  if (!org) return;
  const db = ctx.db.kysely;
  const row = await repo.findCase(db, org, caseId);
  if (!row) return;
  const now = ctx.now();
  await db.transaction().execute(async (trx) => {
    // Every mail of this alert or escalation, to whoever it was addressed when it was composed
    // (the recipients may have changed since: a new manager, a login linked to the owner).
    const { failures, sent } = await emails.giveUpQueuedEmails(
      trx,
      org,
      kind,
      `<${mailKey(caseId, kind, null)}`,
    );
    // Only while it matters: nobody has acted on the case yet, and nothing of it arrived — no mail
    // was given up, and one went out or the alert or escalation was recorded (an escalation to a
    // team without managers sends nothing and is no failure of mail).
    const marked = kind === 'case_alert' ? row.alerted_at : row.escalated_at;
    const reached = failures.length === 0 && (sent > 0 || marked !== null);
    if (reached || row.status !== 'open') return;
    await repo.insertCaseEvent(trx, {
      id: newId(),
      organisation_id: org,
      case_id: caseId,
      at: now,
      type: kind === 'case_alert' ? 'alert-failed' : 'escalation-failed',
      user_id: null,
      body: null,
      detail: JSON.stringify({ failure: failures[0] ?? 'other', mails: failures.length }),
    });
  });
}

async function send(
  ctx: JobContext,
  row: CaseRow,
  kind: StaffMailKind,
  recipients: readonly Recipient[],
  facts: CaseMailFacts,
): Promise<number> {
  const url = `${ctx.config.publicUrl.replace(/\/+$/, '')}/admin/cases/${row.id}`;
  let count = 0;
  let deferred: Error | null = null;
  for (const r of recipients) {
    const mail = renderCaseMail(kind, facts, r.locale, url);
    try {
      await sendStaffMail(ctx, row.organisation_id, {
        kind,
        key: mailKey(row.id, kind, r),
        placedAt: uuidv7Time(row.id) ?? 0,
        to: r.email,
        ...mail,
        senderName: facts.organisationName,
      });
    } catch (err) {
      // One busy mailbox (4xx to its address) does not keep the others waiting for the job's
      // back-off; a server that fails as a whole does (the next recipient would fail alike).
      if (!isRecipientDeferral(err)) throw err;
      deferred ??= err instanceof Error ? err : new Error(String(err));
    }
    count++;
  }
  // The job runs again for the deferred ones: each mail is one row per Message-ID, so those sent
  // (or refused for good) are not sent again.
  if (deferred !== null) throw deferred;
  return count;
}

/**
 * Schedules a recovery case's escalation at its due time, once however often it is asked (its
 * dedupe key). The case's alert asks, so that opening a case on the answer path writes one job, not
 * two: when the alert is recorded, or when it failed for good (escalation must not wait on mail).
 */
async function scheduleEscalation(db: Executor, row: CaseRow, now: number): Promise<void> {
  await enqueue(
    db,
    caseEscalationJob,
    { caseId: row.id },
    {
      organisationId: row.organisation_id,
      now,
      runAt: row.due_at,
      dedupeKey: `${caseEscalationJob.type}:${row.id}`,
    },
  );
}

/**
 * The owner's alert: to the logins linked to the owning employee (each in their own language),
 * else to the employee's email address; a case without an owner alerts the managers. Recording it
 * schedules the case's escalation.
 */
export const caseAlertHandler = handleJob(caseAlertJob, {
  async run({ caseId }, ctx) {
    const org = ctx.organisationId;
    if (!org) return skipped('no organisation');
    const db = ctx.db.kysely;
    const row = await repo.findCase(db, org, caseId);
    if (!row) return skipped('case gone');
    if (!isActive(row.status)) return skipped(`case ${row.status}`);
    if (row.alerted_at !== null) return skipped('already alerted');
    const { facts } = await mailFacts(ctx, row);
    const recipients = await alertRecipients(ctx, row);
    const count = await send(ctx, row, 'case_alert', recipients, facts);
    const now = ctx.now();
    await db.transaction().execute(async (trx) => {
      await repo.updateCase(trx, org, caseId, { alerted_at: now });
      await repo.insertCaseEvent(trx, {
        id: newId(),
        organisation_id: org,
        case_id: caseId,
        at: now,
        type: 'alert-sent',
        user_id: null,
        body: null,
        detail: JSON.stringify({ recipients: count }),
      });
      await scheduleEscalation(trx, row, now);
    });
    return { status: 'success', detail: `alerted ${count}` };
  },
  async onFailed({ caseId }, ctx) {
    const org = ctx.organisationId;
    if (!org) return;
    // The escalation first: it must not wait on mail, nor on what is recorded about it.
    const row = await repo.findCase(ctx.db.kysely, org, caseId);
    if (row && isActive(row.status)) await scheduleEscalation(ctx.db.kysely, row, ctx.now());
    await recordMailGivenUp(ctx, caseId, 'case_alert');
  },
});

/**
 * At the due time: escalate once to the managers when nobody has contacted the customer yet. A case
 * opened before its alert scheduled the escalation (190d051) can have two escalation jobs, and two
 * workers may run them at once: the escalation is recorded first, by the one job the database lets
 * set `escalated_at` (`markEscalated`), and only that job mails. Its event's id is derived from the
 * job, so a retry of that job (its mail server was down) knows the escalation is its own and sends
 * what is not sent yet (each mail is one row per Message-ID); the other job skips.
 */
export const caseEscalationHandler = handleJob(caseEscalationJob, {
  async run({ caseId }, ctx) {
    const org = ctx.organisationId;
    if (!org) return skipped('no organisation');
    const db = ctx.db.kysely;
    const row = await repo.findCase(db, org, caseId);
    if (!row) return skipped('case gone');
    const now = ctx.now();
    const eventId = derivedId(uuidv7Time(ctx.jobId) ?? 0, `case-escalated/${caseId}/${ctx.jobId}`);
    const recipients = await managers(ctx, row);
    const retried = row.escalated_at !== null && (await repo.hasCaseEvent(db, org, eventId));
    // A retry after a mail failure: someone may have contacted the customer since.
    if (retried && row.status !== 'open') return skipped(`no longer open (${row.status})`);
    if (!retried) {
      if (
        !shouldEscalate(
          { kind: row.kind, status: row.status, dueAt: row.due_at, escalatedAt: row.escalated_at },
          now,
        )
      )
        return skipped(row.escalated_at === null ? `not due (${row.status})` : 'already escalated');
      const escalated = await db.transaction().execute(async (trx) => {
        if (!(await repo.markEscalated(trx, org, caseId, now))) return false;
        await repo.insertCaseEvent(trx, {
          id: eventId,
          organisation_id: org,
          case_id: caseId,
          at: now,
          type: 'escalated',
          user_id: null,
          body: null,
          detail: JSON.stringify({ recipients: recipients.length }),
        });
        await emit(
          trx,
          ctx,
          caseUpdated,
          [{ organisationId: org, data: { ...factsOf(row), change: 'escalated' } }],
          now,
        );
        return true;
      });
      if (!escalated) return skipped('already escalated');
    }
    const { facts } = await mailFacts(ctx, row);
    const count = await send(ctx, row, 'case_escalation', recipients, facts);
    return { status: 'success', detail: `escalated to ${count}` };
  },
  async onFailed({ caseId }, ctx) {
    await recordMailGivenUp(ctx, caseId, 'case_escalation');
  },
});

/**
 * After a recovery case is resolved: plans the customer's one short follow-up ("is your problem
 * solved to your satisfaction?" and the 0–10 question) through the invitations module, links it to
 * the case and logs it; or logs why not (unsubscribed, erased, no address, survey archived).
 */
export const caseFollowUpHandler = handleJob(caseFollowUpJob, {
  async run({ caseId }, ctx) {
    const org = ctx.organisationId;
    if (!org) return skipped('no organisation');
    return ctx.db.kysely.transaction().execute(async (trx) => {
      const row = await repo.findCase(trx, org, caseId);
      if (!row) return skipped('case gone');
      if (row.status !== 'resolved') return skipped(`case ${row.status}`);
      if (row.follow_up_invitation_id !== null) return skipped('follow-up already planned');
      const now = ctx.now();
      const planned = await planCaseFollowUp(
        trx,
        { organisationId: org, surveyId: row.survey_id, contactId: row.contact_id },
        now,
        ctx.config,
      );
      const log = (type: string, detail: Record<string, unknown>) =>
        repo.insertCaseEvent(trx, {
          id: newId(),
          organisation_id: org,
          case_id: caseId,
          at: now,
          type,
          user_id: null,
          body: null,
          detail: JSON.stringify(detail),
        });
      if ('skipped' in planned) {
        await log('follow-up-skipped', { reason: planned.skipped });
        return skipped(planned.skipped);
      }
      await repo.updateCase(trx, org, caseId, {
        follow_up_invitation_id: planned.invitationId,
        updated_at: now,
      });
      await log('follow-up-sent', { invitationId: planned.invitationId });
      return { status: 'success', detail: 'follow-up planned' };
    });
  },
});
