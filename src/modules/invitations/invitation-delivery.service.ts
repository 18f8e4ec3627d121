import { skippedError, type EmailSkipReason } from '../email/skip-reasons.ts';
import type { Executor } from '../../db/database.ts';
import type { EmailTable } from '../../db/schema.ts';
import {
  DAY_MS,
  decideCaseFollowUp,
  decideInvitation,
  decideReminder,
  YEAR_WINDOW_DAYS,
} from '../../domain/contact-rules/contact-rules.ts';
import {
  enqueue,
  enqueueMany,
  type JobOutcome,
  type JobResult,
} from '../../platform/jobs/define-job.ts';
import { emit } from '../../platform/events/emit.ts';
import { invitationSent } from './invitations.events.ts';
import { mailRetryDelay } from '../email/mail-retry.ts';
import { invitationRemindJob, SEND_MAX_ATTEMPTS } from './invitations.jobs.ts';
import type { Deps } from '../../platform/deps.ts';
import { uuidv7Time } from '../../shared/ids.ts';
import { queuedEmail, transmitEmail } from '../email/deliver-mail.ts';
import { customerT } from '../../i18n/messages.ts';
import { findContacts, type ContactRow } from '../contacts/contacts.repository.ts';
import { findEmployee } from '../employees/employees.repository.ts';
import { recordBounce } from './invitation-bounces.ts';
import { reminderMessageId } from './reminder-message-id.ts';
import * as emails from '../email/emails.repository.ts';
import {
  classifyMailFailure,
  fromHeader,
  isRecipientDeferral,
  senderAddress,
  type MailRoute,
  type SmtpRoute,
} from '../email/mail-transport.ts';
import { resolveMailRoute } from '../mail-server/mail-server.service.ts';
import { renderInvitationEmail } from '../email/render-invitation-email.ts';
import { chooseGreeting } from '../../domain/greeting/greeting.ts';
import { organisationLogo } from '../organisations/logos.service.ts';
import { parseSurveySettings, surveyTexts } from '../surveys/survey-settings.ts';
import { findSurvey, type SurveyRow } from '../surveys/surveys.repository.ts';
import { historyBefore, indexHistory, toContactState } from './contact-state.ts';
import type { InvitationSkipReason } from './invitation-skip-reasons.ts';
import * as repo from './invitations.repository.ts';
import type { HistoryRow, InvitationRow } from './invitations.repository.ts';
import { organisationRules } from './send-planning.service.ts';

/** Job type of an invitation's one reminder; the payload is `{ invitationId }`. */

const skipped = (detail: string): JobResult => ({ status: 'skipped', detail });

/**
 * Renders the invitation (or reminder) email of an invitation and writes it over the row of its
 * Message-ID while that has not gone out (a retry says what is true now), or — a new message —
 * adds it to its batch's `composed` rows, which `writeComposed` writes in one statement in the
 * same transaction; returns the row to send — a row sent already as it is. Composing is separate
 * from sending: the row is committed first, so a job that dies while talking SMTP sends the same
 * message again.
 */
async function composeEmail(
  db: Executor,
  deps: Deps,
  invitation: InvitationRow,
  kind: 'invitation' | 'reminder',
  now: number,
  context: {
    org: Awaited<ReturnType<typeof organisationRules>>;
    survey: SurveyRow;
    contact: ContactRow;
    route: MailRoute;
    /** The invitation is a resolved case's "is it solved?" follow-up: its own subject and intro. */
    caseFollowUp?: boolean;
    /** The email of its Message-ID, when the caller read it already (null: there is none). */
    existing?: emails.EmailRow | null;
    /** The new rows of the batch, written together once it is composed (`writeComposed`). */
    composed: EmailTable[];
  },
): Promise<emails.EmailRow | { problem: 'contact has no email' }> {
  const organisationId = invitation.organisation_id;
  const messageId = kind === 'reminder' ? reminderMessageId(invitation) : invitation.message_id;
  const existing =
    context.existing === undefined
      ? await emails.findEmailByMessageId(db, organisationId, messageId)
      : context.existing;
  // Gone out already (or refused for good: its address or the message): that is the message, as
  // it was sent.
  if (existing && (existing.status === 'sent' || emails.refusedForGood(existing))) return existing;

  const { org, survey, contact, route } = context;
  if (!contact.email) return { problem: 'contact has no email' };
  const settings = parseSurveySettings(survey.settings);
  const locale = contact.language;
  const base = deps.config.publicUrl.replace(/\/+$/, '');
  const token = encodeURIComponent(invitation.token);
  const unsubscribeUrl = `${base}/u/${token}`;
  const formality = org.settings.formality;
  const texts = surveyTexts(settings, locale, formality);
  const ct = customerT(locale, formality);
  // `{employee}` names the customer's account manager where the response page asks about them
  // (the survey's employee question, employee NPS on), as the editor's preview shows; else the
  // organisation, as on the page.
  const employee =
    settings.askEmployee && org.settings.employeeNpsEnabled && contact.owner_employee_id
      ? await findEmployee(db, organisationId, contact.owner_employee_id)
      : undefined;
  const rendered = renderInvitationEmail({
    locale,
    formality,
    organisationName: org.name,
    texts: context.caseFollowUp
      ? {
          ...texts,
          emailSubject: ct('email.case_follow_up_subject'),
          emailIntro: ct('email.case_follow_up_intro'),
        }
      : texts,
    greeting: chooseGreeting({ firstName: contact.first_name, salutation: contact.salutation }),
    firstName: contact.first_name,
    employeeName: employee?.name ?? null,
    brandColor: settings.brandColor ?? org.settings.brandColor,
    logoUrl: settings.logoUrl ?? organisationLogo(org.settings, base),
    scoreUrl: (n) => `${base}/r/${token}?score=${n}`,
    unsubscribeUrl,
    reminder: kind === 'reminder',
  });
  const fromAddress =
    route.kind === 'smtp' ? route.fromAddress : senderAddress(deps.config.MAIL_FROM);
  const headers = {
    From: fromHeader(org.settings.senderName ?? org.name, fromAddress),
    // Customers answer the email: their reply goes to the organisation, not to a no-reply box.
    ...(org.settings.replyTo ? { 'Reply-To': org.settings.replyTo } : {}),
    // HTTPS only: a mailto: unsubscribe would go to the no-reply sender, where nobody acts on it.
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
  if (existing) {
    // An earlier attempt wrote it and it did not go out (the mail server failed, "try again" in
    // the outbox): composed again, it says what is true now — the survey's texts, the account
    // manager's name, the colours, the From of the mail route — under the same Message-ID and
    // with the same links (they are the invitation's token).
    await emails.recomposeUnsentEmail(db, organisationId, existing.id, {
      to_address: contact.email,
      subject: rendered.subject,
      text_body: rendered.text,
      html_body: rendered.html,
      headers: JSON.stringify(headers),
    });
    return (await emails.findEmailByMessageId(db, organisationId, messageId)) ?? existing;
  }
  const row = queuedEmail(
    {
      organisationId,
      kind,
      invitationId: invitation.id,
      to: contact.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers,
      messageId,
      // In the month of its invitation (the reminder too), beside it.
      placedAt: uuidv7Time(invitation.id) ?? 0,
      transport: route.kind,
    },
    now,
  );

  context.composed.push(row);
  return row;
}

/**
 * Writes the new emails a batch composed (`composeEmail`), in one statement, in the batch's
 * transaction. A message whose row another attempt wrote first (two workers at once) is sent as
 * that row, as one composed alone would be.
 */
async function writeComposed(
  trx: Executor,
  organisationId: string,
  composed: readonly EmailTable[],
  prepared: readonly (JobResult | { email: emails.EmailRow })[],
): Promise<void> {
  if (composed.length === 0) return;
  const inserted = await emails.insertEmailsIfAbsent(trx, composed);
  const lost = composed.filter((row) => !inserted.has(row.id));
  if (lost.length === 0) return;
  const lostIds = new Set(lost.map((row) => row.id));
  const first = await emails.findEmailsByMessageIds(
    trx,
    organisationId,
    lost.map((row) => row.message_id),
  );
  for (const item of prepared) {
    if ('status' in item || !lostIds.has(item.email.id)) continue;
    item.email = first.get(item.email.message_id) ?? item.email;
  }
}

/**
 * No mail server: the composed email stays in the local outbox, where staff can read it, and the
 * invitation is marked `outbox` — never `sent`. It is not delivered, gets no reminder and does not
 * count for the contact rules, so the contact can be invited again once mail really leaves.
 */
async function holdInOutbox(
  deps: Deps,
  invitation: InvitationRow,
  email: emails.EmailRow,
): Promise<void> {
  await deps.db.kysely.transaction().execute(async (trx) => {
    const org = invitation.organisation_id;
    await emails.updateEmail(trx, org, email.id, {
      status: 'held',
      transport: 'outbox',
      error: null,
      failure: null,
      next_attempt_at: null,
    });
    await repo.updateInvitation(trx, org, invitation.id, { status: 'outbox', skip_reason: null }, [
      'planned',
      'queued',
    ]);
    await markSendStarted(trx, invitation);
  });
}

/**
 * Hands a composed email to the transport. A permanent (5xx) answer is final, never retried:
 * - a refusal of the recipient's address (at RCPT TO, or after DATA with an addressing status) is
 *   a hard bounce: the email is marked failed and the contact suppressed, in one transaction, and
 *   `rejected` is returned with the server's code;
 * - a refusal of the message after its DATA (spam, size, content) marks the email failed, saying
 *   why, and — for the invitation itself — the invitation failed (`message_refused`); the contact
 *   is not suppressed; `refused` is returned. The outbox offers to try it again.
 * `accepted` otherwise; transport errors are rethrown for the job to retry (and, on its last
 * attempt, recorded as failed).
 */
async function transmitOrBounce(
  deps: Deps,
  route: SmtpRoute,
  invitation: InvitationRow,
  email: emails.EmailRow,
  attempt: number,
  options: { markInvitationFailed: boolean; alsoInTransaction?: (trx: Executor) => Promise<void> },
): Promise<{ status: 'accepted' } | { status: 'rejected' | 'refused'; code: number }> {
  let outcome;
  try {
    outcome = await transmitEmail(deps, route, email);
  } catch (err) {
    await recordSendFailure(deps, invitation, email.id, attempt, err, options.markInvitationFailed);
    throw err;
  }
  if (outcome.status === 'accepted') return { status: 'accepted' };
  const refusal = outcome;
  await deps.db.kysely.transaction().execute(async (trx) => {
    const org = invitation.organisation_id;
    await emails.updateEmail(trx, org, email.id, {
      status: 'failed',
      error: `${refusal.code} ${refusal.message}`.slice(0, 500),
      failure: refusal.status,
      next_attempt_at: null,
    });
    if (refusal.status === 'rejected') {
      await recordBounce(trx, {
        organisationId: org,
        invitationId: invitation.id,
        type: 'bounce',
        permanent: true,
        source: `smtp:${refusal.code}`,
        now: deps.now(),
      });
    } else if (options.markInvitationFailed) {
      await repo.updateInvitation(
        trx,
        org,
        invitation.id,
        { status: 'failed', skip_reason: 'message_refused' },
        ['planned', 'queued'],
      );
    }
    await options.alsoInTransaction?.(trx);
  });
  return { status: refusal.status, code: refusal.code };
}

/**
 * Records a failed attempt on the email, so the outbox says why it is waiting and when it tries
 * again; after the last attempt the email is `failed` (and, for an invitation, the invitation too),
 * and the outbox offers to try again.
 */
async function recordSendFailure(
  deps: Deps,
  invitation: InvitationRow,
  emailId: string,
  attempt: number,
  error: unknown,
  markInvitation: boolean,
): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
  const failure = classifyMailFailure(error);
  const now = deps.now();
  if (attempt < SEND_MAX_ATTEMPTS) {
    await emails.updateEmail(deps.db.kysely, invitation.organisation_id, emailId, {
      error: message,
      failure,
      next_attempt_at: now + mailRetryDelay(attempt),
    });
    return;
  }
  await deps.db.kysely.transaction().execute(async (trx) => {
    await emails.updateEmail(trx, invitation.organisation_id, emailId, {
      status: 'failed',
      error: message,
      failure,
      next_attempt_at: null,
    });
    if (markInvitation) {
      await repo.updateInvitation(
        trx,
        invitation.organisation_id,
        invitation.id,
        { status: 'failed', skip_reason: 'delivery_failed' },
        ['planned', 'queued'],
      );
    }
  });
}

/**
 * Marks a planned send `sending` once its first invitation is handled. Completion is derived from
 * the invitation counts when a send is presented, so the hot path of a 1,000-invitation batch does
 * not count the whole send after every message.
 */
async function markSendStarted(db: Executor, invitation: InvitationRow): Promise<void> {
  if (!invitation.send_id) return;
  await repo.updateSurveySend(
    db,
    invitation.organisation_id,
    invitation.send_id,
    { status: 'sending' },
    ['planned'],
  );
}

/** The ordinary frequency rules for one invitation at its send time (history before it). */
function decideByRules(
  reads: BatchReads,
  invitation: InvitationRow,
  contact: ContactRow,
  rules: Awaited<ReturnType<typeof organisationRules>>['rules'],
  now: number,
) {
  // An invitation this batch skipped is no longer counted for the others, as it would not be
  // had it been handled by a job of its own before them.
  const counted = (reads.history.get(contact.id) ?? []).filter((r) => !reads.skipped.has(r.id));
  const history = indexHistory(historyBefore(counted, invitation));
  const lastResponse = reads.lastResponses.get(contact.id);
  return decideInvitation({
    now,
    rules,
    contact: toContactState(contact),
    contactHistory: {
      invitedAt: history.byContact.get(contact.id) ?? [],
      lastRespondedAt: lastResponse ?? null,
    },
    account:
      contact.account_id === null
        ? null
        : {
            accountId: contact.account_id,
            invitations: history.byAccount.get(contact.account_id) ?? [],
          },
  });
}

/** A message (an invitation or a reminder) made ready to go: its invitation and composed email. */
interface PreparedMessage {
  invitation: InvitationRow;
  email: emails.EmailRow;
}

/** An invitation made ready to go: its email composed and the rules it goes out under. */
interface PreparedInvitation extends PreparedMessage {
  rules: Awaited<ReturnType<typeof organisationRules>>['rules'];
}

/**
 * What a batch of invitations reads once for all of them, in its transaction, instead of once per
 * invitation: the invitations, their contacts, which are a case's follow-up, the emails an earlier
 * attempt composed, and each contact's history for the frequency rules.
 */
interface BatchReads {
  invitations: Map<string, InvitationRow>;
  contacts: Map<string, ContactRow>;
  followUps: Set<string>;
  /** By Message-ID. */
  emails: Map<string, emails.EmailRow>;
  /** Per contact: the counted invitations of the contact or its account since the rules' window. */
  history: Map<string, HistoryRow[]>;
  lastResponses: Map<string, number>;
  surveys: Map<string, Promise<SurveyRow | undefined>>;
  org: () => Promise<Awaited<ReturnType<typeof organisationRules>>>;
  /** Invitations this batch has skipped so far. */
  skipped: Set<string>;
  /** The emails this batch composed, not written yet (`writeComposed`). */
  composed: EmailTable[];
}

async function readBatch(
  trx: Executor,
  organisationId: string,
  invitationIds: readonly string[],
  now: number,
): Promise<BatchReads> {
  const invitations = await repo.findInvitations(trx, organisationId, invitationIds);
  const open = [...invitations.values()].filter(
    (i) => i.status === 'planned' || i.status === 'queued',
  );
  let settings: ReturnType<typeof organisationRules> | undefined;
  const org = () => (settings ??= organisationRules(trx, organisationId));
  const reads: BatchReads = {
    invitations,
    contacts: new Map(),
    followUps: new Set(),
    emails: new Map(),
    history: new Map(),
    lastResponses: new Map(),
    surveys: new Map(),
    org,
    skipped: new Set(),
    composed: [],
  };
  if (open.length === 0) return reads;
  const openIds = open.map((i) => i.id);
  reads.contacts = await findContacts(
    trx,
    organisationId,
    open.map((i) => i.contact_id),
  );
  reads.followUps = await repo.followUpInvitationIds(trx, organisationId, openIds);
  reads.emails = await emails.findEmailsByMessageIds(
    trx,
    organisationId,
    open.map((i) => i.message_id),
  );
  const { rules } = await org();
  const since = now - Math.max(YEAR_WINDOW_DAYS, rules.minDaysBetweenInvitations) * DAY_MS;
  const contacts = [...reads.contacts.values()];
  reads.history = await repo.invitationHistoryOfContacts(trx, organisationId, contacts, since);
  reads.lastResponses = await repo.lastResponses(
    trx,
    organisationId,
    since,
    contacts.map((c) => c.id),
  );
  return reads;
}

/**
 * Re-reads one invitation and re-checks the frequency rules at the moment of sending (the contact
 * may have unsubscribed, bounced or been invited by another survey since it was planned), then
 * composes its email; or records why it is not sent. In the batch's transaction; the
 * organisation's settings are read once per batch (`org`).
 */
async function prepareInvitation(
  trx: Executor,
  deps: Deps,
  organisationId: string,
  invitationId: string,
  route: MailRoute,
  now: number,
  reads: BatchReads,
): Promise<JobResult | PreparedInvitation> {
  const invitation = reads.invitations.get(invitationId);
  if (!invitation) return skipped('invitation not found');
  if (invitation.status !== 'planned' && invitation.status !== 'queued') {
    return skipped(`invitation already ${invitation.status}`);
  }
  const caseFollowUp = reads.followUps.has(invitation.id);
  const existing = reads.emails.get(invitation.message_id) ?? null;
  // Recorded as accepted by the mail server, or opened or answered: the mail reached the customer,
  // though the attempt that sent it never marked the invitation so (its worker was killed mid-send,
  // the server's acknowledgement was lost, or its batch failed after this message went). Record it
  // as sent without sending it again: re-checking the contact rules now would count the customer's
  // answer to this very invitation (or their unsubscribe through its link) against it, mark it
  // skipped and so turn the link they just used into an unknown one.
  if (
    existing &&
    (existing.status === 'sent' ||
      invitation.clicked_at !== null ||
      invitation.responded_at !== null)
  ) {
    const { rules } = await reads.org();
    return {
      invitation,
      email: { ...existing, status: 'sent' as const },
      // A case's follow-up is never reminded, as on the path below.
      rules: caseFollowUp ? { ...rules, maxReminders: 0 as const } : rules,
    };
  }
  // The same code goes to the invitation and, as why it was not sent, to its email.
  const skip = async (
    code: InvitationSkipReason & EmailSkipReason,
    status: 'skipped' | 'cancelled' = 'skipped',
  ) => {
    reads.skipped.add(invitationId);
    return skipInvitation(trx, invitation, existing, code, status);
  };

  // A link that would answer "expired" the moment it arrives is not worth the customer's inbox.
  if (now >= invitation.expires_at) return skip('link_expired', 'cancelled');
  let surveyRead = reads.surveys.get(invitation.survey_id);
  if (!surveyRead) {
    surveyRead = findSurvey(trx, organisationId, invitation.survey_id);
    reads.surveys.set(invitation.survey_id, surveyRead);
  }
  const survey = await surveyRead;
  // Its link says the survey is closed unless it is active (archived, or set back to draft).
  if (!survey || survey.status !== 'active') {
    return skip(survey?.status === 'draft' ? 'survey_draft' : 'survey_archived', 'cancelled');
  }
  const contact = reads.contacts.get(invitation.contact_id);
  if (!contact) return skip('contact_missing');
  const settings = await reads.org();
  const { rules } = settings;
  // A resolved case's follow-up is the one exception to the frequency rules (tied to its case);
  // the contact's state (unsubscribed, erased, bounced, …) still stops it.
  const decision = caseFollowUp
    ? decideCaseFollowUp(toContactState(contact))
    : decideByRules(reads, invitation, contact, rules, now);
  if (!decision.eligible) return skip(decision.reasons[0]?.code ?? 'ineligible');

  const email = await composeEmail(trx, deps, invitation, 'invitation', now, {
    org: settings,
    survey,
    contact,
    route,
    caseFollowUp,
    existing,
    composed: reads.composed,
  });
  if ('problem' in email) return skip('no_email');
  // One short follow-up: no reminder after it.
  return {
    invitation,
    email,
    rules: caseFollowUp ? { ...rules, maxReminders: 0 as const } : rules,
  };
}

/**
 * Records that an invitation is not sent, and why: on the invitation, on the email an earlier
 * attempt composed (if it is still waiting), and its send counts as started.
 */
async function skipInvitation(
  trx: Executor,
  invitation: InvitationRow,
  email: emails.EmailRow | null,
  code: InvitationSkipReason & EmailSkipReason,
  status: 'skipped' | 'cancelled' = 'skipped',
): Promise<JobResult> {
  const organisationId = invitation.organisation_id;
  await repo.updateInvitation(trx, organisationId, invitation.id, { status, skip_reason: code }, [
    'planned',
    'queued',
  ]);
  if (email && email.status === 'queued') {
    await emails.updateEmail(trx, organisationId, email.id, {
      status: 'failed',
      error: skippedError(code),
    });
  }
  await markSendStarted(trx, invitation);
  return skipped(code);
}

/** Why a prepared message no longer goes (`goneSincePrepared`). */
type Gone =
  /** Its invitation moved on meanwhile (cancelled, answered, reminded by another job). */
  | { kind: 'moved'; reason: EmailSkipReason; detail: string }
  /** The customer unsubscribed, was erased or bounced meanwhile. */
  | { kind: 'contact'; code: InvitationSkipReason & EmailSkipReason };

/**
 * Whether a prepared message is still to go, read again just before it is handed to the server: a
 * batch composes up to fifty messages before it sends the first, and meanwhile the send may have
 * been cancelled or the customer may have unsubscribed, been erased or bounced (an earlier message
 * of the batch bounced, say). The invitation and its contact in one read (`findSendCheck`). Null
 * when it goes.
 */
async function goneSincePrepared(
  deps: Deps,
  invitation: InvitationRow,
  kind: 'invitation' | 'reminder',
): Promise<Gone | null> {
  const check = await repo.findSendCheck(
    deps.db.kysely,
    invitation.organisation_id,
    invitation.id,
    invitation.contact_id,
  );
  if (!check) return { kind: 'moved', reason: 'invitation not found', detail: 'gone' };
  const { invitation: current, contact } = check;
  if (kind === 'invitation' && current.status !== 'planned' && current.status !== 'queued') {
    const reason = `invitation ${current.status}` as const;
    return { kind: 'moved', reason, detail: `invitation already ${current.status}` };
  }
  if (kind === 'reminder' && current.reminder_sent_at !== null) {
    return { kind: 'moved', reason: 'already_reminded', detail: 'already_reminded' };
  }
  if (kind === 'reminder' && current.responded_at !== null) {
    return { kind: 'moved', reason: 'responded', detail: 'responded' };
  }
  if (!contact) return { kind: 'contact', code: 'contact_missing' };
  // The contact's state alone (unsubscribed, erased, bounced, no address): what a case's
  // follow-up is checked by, and what no message may go against.
  const decision = decideCaseFollowUp(toContactState(contact));
  return decision.eligible
    ? null
    : { kind: 'contact', code: decision.reasons[0]?.code ?? 'ineligible' };
}

/** One `invitation.send` job: its invitation and which attempt this is. */
export interface InvitationSend {
  invitationId: string;
  attempt: number;
}

/**
 * The `invitation.send` jobs of one organisation, as a batch: each invitation is re-checked and its
 * email composed, all in one transaction; the emails are handed to the mail server one after
 * another, each recorded as sent the moment the server accepts it; then the invitations are
 * marked sent, their reminders planned and `invitation.sent` emitted, all in one transaction.
 *
 * Idempotent: a second run of a sent invitation does nothing; a run after a crash re-sends an
 * already-composed message with the same Message-ID. Because a batch sends one message at a time
 * and records it before the next, a worker killed mid-batch leaves at most one message per slot
 * accepted by the server and not recorded: re-sends stay bounded by the worker's concurrency.
 * Each job keeps its own outcome: a mail server that fails one message fails that job alone.
 */
export async function deliverInvitations(
  deps: Deps,
  organisationId: string,
  sends: readonly InvitationSend[],
): Promise<JobOutcome[]> {
  const db = deps.db.kysely;
  let route: MailRoute;
  try {
    route = await resolveMailRoute(db, deps.config, organisationId);
  } catch (error) {
    // A server whose password cannot be read fails the jobs (they retry, and on their last
    // attempt the invitation is marked failed) instead of falling back to the local outbox.
    for (const { send } of firstOfEach(sends).batch) {
      if (send.attempt < SEND_MAX_ATTEMPTS) continue;
      await repo.updateInvitation(
        db,
        organisationId,
        send.invitationId,
        { status: 'failed', skip_reason: 'delivery_failed' },
        ['planned', 'queued'],
      );
    }
    return sends.map(() => ({ ok: false, error }));
  }
  return deliverBatch(deps, organisationId, sends, route, {
    kind: 'invitation',
    async prepare(trx, invitationIds, now) {
      const reads = await readBatch(trx, organisationId, invitationIds, now);
      const out: (JobResult | PreparedInvitation)[] = [];
      for (const invitationId of invitationIds) {
        out.push(
          await prepareInvitation(trx, deps, organisationId, invitationId, route, now, reads),
        );
      }
      await writeComposed(trx, organisationId, reads.composed, out);
      return out;
    },
    alone: (send) => deliverInvitations(deps, organisationId, [send]),
    markSent: (items) => markSent(deps, organisationId, items),
  });
}

/**
 * Two jobs of one invitation in a batch (a job enqueued twice): the first does the work, the
 * others' outcomes say so. The firsts with their places, and every job's outcome so far.
 */
function firstOfEach(sends: readonly InvitationSend[]) {
  const outcomes: JobOutcome[] = sends.map(() => ({ ok: true, result: skipped('not run') }));
  const firsts = new Map<string, number>();
  for (const [index, send] of sends.entries()) {
    if (firsts.has(send.invitationId)) {
      outcomes[index] = { ok: true, result: skipped('another job of its batch handled it') };
    } else {
      firsts.set(send.invitationId, index);
    }
  }
  const batch = [...firsts.values()].map((index) => ({
    index,
    send: sends[index] as InvitationSend,
  }));
  return { outcomes, batch };
}

/**
 * What `deliverBatch` needs of a kind of message: how its batch is re-checked and composed (in one
 * transaction), how one of it runs alone, and how the accepted ones are recorded.
 */
interface BatchKind<P extends PreparedMessage> {
  kind: 'invitation' | 'reminder';
  prepare(trx: Executor, invitationIds: readonly string[], now: number): Promise<(JobResult | P)[]>;
  alone(send: InvitationSend): Promise<JobOutcome[]>;
  markSent(items: readonly P[]): Promise<void>;
}

/**
 * The batch routine of invitations and reminders: one transaction re-checks and composes the
 * batch (should it fail, each job runs alone, so one bad message holds up no other); the messages
 * are handed to the mail server one after another, each recorded as sent the moment the server
 * accepts it (`sendPrepared`); a failure of the mail server itself fails the rest of the batch
 * on their own back-off; and whatever the server accepted is recorded in one transaction at the
 * end, whatever happened after it. Two jobs of one invitation: the first does the work.
 */
async function deliverBatch<P extends PreparedMessage>(
  deps: Deps,
  organisationId: string,
  sends: readonly InvitationSend[],
  route: MailRoute,
  how: BatchKind<P>,
): Promise<JobOutcome[]> {
  const { outcomes, batch } = firstOfEach(sends);
  let prepared: (JobResult | P)[];
  try {
    prepared = await deps.db.kysely.transaction().execute((trx) =>
      how.prepare(
        trx,
        batch.map((b) => b.send.invitationId),
        deps.now(),
      ),
    );
  } catch (error) {
    if (batch.length <= 1) throw error;
    // One message that cannot be composed must not hold up the others, attempt after attempt:
    // each runs as a batch of one, and only the bad one fails.
    for (const { index, send } of batch) {
      try {
        const [outcome] = await how.alone(send);
        if (outcome) outcomes[index] = outcome;
      } catch (alone) {
        outcomes[index] = { ok: false, error: alone };
      }
    }
    return outcomes;
  }

  const delivered: { index: number; item: P; detail?: string }[] = [];
  // A failure of the mail server itself (down, hung, refusing our login) would meet every message
  // after it: the rest of the batch is not tried, each recorded as failed with the same reason and
  // tried again on its own back-off, so a hung server costs one timeout per batch, not fifty. A
  // recipient's mailbox that is busy fails that message alone.
  let serverFailure: { error: unknown } | null = null;
  try {
    for (const [position, item] of prepared.entries()) {
      const { index, send } = batch[position] as (typeof batch)[number];
      if ('status' in item) {
        outcomes[index] = { ok: true, result: item };
        continue;
      }
      try {
        const result = await sendPrepared(deps, route, item, how.kind, send.attempt, serverFailure);
        if (result.kind === 'delivered') {
          delivered.push({ index, item, ...(result.detail ? { detail: result.detail } : {}) });
        } else if (result.kind === 'done') {
          outcomes[index] = { ok: true, result: result.result };
        } else {
          outcomes[index] = { ok: false, error: result.error };
          if (result.serverFailed) serverFailure = { error: result.error };
        }
      } catch (error) {
        // The database failed around this message (not the mail server): this job alone.
        outcomes[index] = { ok: false, error };
      }
    }
  } finally {
    // What the mail server accepted is recorded whatever happened after it.
    try {
      await how.markSent(delivered.map((d) => d.item));
      for (const { index, detail } of delivered) {
        outcomes[index] = {
          ok: true,
          result: { status: 'success', ...(detail ? { detail } : {}) },
        };
      }
    } catch (error) {
      // Their emails are recorded sent: the retry records them without sending again.
      for (const { index } of delivered) outcomes[index] = { ok: false, error };
    }
  }
  return outcomes;
}

/** What handing one prepared invitation (or reminder) to the mail server came to. */
type SendResult =
  | { kind: 'delivered'; detail?: string }
  | { kind: 'done'; result: JobResult }
  | { kind: 'failed'; error: unknown; serverFailed: boolean };

/**
 * Hands one prepared message to the mail server, unless it went already, there is no mail server
 * (it is held in the outbox), the server failed earlier in the batch, or it is no longer wanted
 * (`goneSincePrepared`). Once the server accepted it, it counts as delivered whatever happens next.
 */
async function sendPrepared(
  deps: Deps,
  route: MailRoute,
  item: { invitation: InvitationRow; email: emails.EmailRow },
  kind: 'invitation' | 'reminder',
  attempt: number,
  serverFailure: { error: unknown } | null,
): Promise<SendResult> {
  const db = deps.db.kysely;
  const { invitation, email } = item;
  const organisationId = invitation.organisation_id;
  // The message went out before a crash (or its link was used since); only the bookkeeping is
  // missing.
  if (email.status === 'sent') return { kind: 'delivered', detail: 'already delivered' };
  // Refused for good by an earlier attempt (a duplicate job): not repeated as it was. Staff may
  // try it again from the outbox, which queues the row first.
  if (emails.refusedForGood(email)) {
    const detail = `${kind} ${email.failure ?? 'refused'} earlier: not sent again`;
    return { kind: 'done', result: skipped(detail) };
  }
  if (route.kind === 'outbox') {
    await holdInOutbox(deps, invitation, email);
    return { kind: 'done', result: skipped('no mail server: kept in the local outbox, not sent') };
  }
  const invitationItself = kind === 'invitation';
  if (serverFailure) {
    const { error } = serverFailure;
    await recordSendFailure(deps, invitation, email.id, attempt, error, invitationItself);
    return { kind: 'failed', error, serverFailed: false };
  }
  const gone = await goneSincePrepared(deps, invitation, kind);
  if (gone) {
    const result = !invitationItself
      ? await skipReminder(
          db,
          organisationId,
          invitation.id,
          gone.kind === 'moved' ? gone.reason : gone.code,
        )
      : gone.kind === 'moved'
        ? skipped(gone.detail)
        : await db
            .transaction()
            .execute((trx) => skipInvitation(trx, invitation, email, gone.code));
    return { kind: 'done', result };
  }
  if (email.transport !== 'smtp') {
    await emails.updateEmail(db, organisationId, email.id, { transport: 'smtp' });
    item.email = { ...email, transport: 'smtp' };
  }
  let outcome;
  try {
    outcome = await transmitOrBounce(deps, route, invitation, email, attempt, {
      markInvitationFailed: invitationItself,
      ...(invitationItself ? { alsoInTransaction: (trx) => markSendStarted(trx, invitation) } : {}),
    });
  } catch (error) {
    return { kind: 'failed', error, serverFailed: !isRecipientDeferral(error) };
  }
  if (outcome.status !== 'accepted') {
    const what = outcome.status === 'rejected' ? 'recipient rejected' : 'message refused';
    return { kind: 'done', result: skipped(`${what} (${outcome.code})`) };
  }
  // Recorded before the next message goes, so a crash from here on re-sends nothing. Should this
  // write fail, the batch's final transaction records it.
  await emails.markEmailsSent(db, organisationId, [email.id], deps.now()).catch(() => undefined);
  return { kind: 'delivered' };
}

/** The `invitation.send` job of one invitation: a batch of one. */
export async function deliverInvitation(
  deps: Deps,
  organisationId: string,
  invitationId: string,
  attempt: number,
): Promise<JobResult> {
  const [outcome] = await deliverInvitations(deps, organisationId, [{ invitationId, attempt }]);
  if (!outcome) throw new Error('no outcome');
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}

/**
 * Records invitations whose emails the mail server accepted as sent, in one transaction: the
 * emails (those not recorded at acceptance), the invitations, each one's reminder, the sends they
 * belong to, and one `invitation.sent` per invitation that changed.
 */
async function markSent(
  deps: Deps,
  organisationId: string,
  items: readonly PreparedInvitation[],
): Promise<void> {
  if (items.length === 0) return;
  await deps.db.kysely.transaction().execute(async (trx) => {
    const now = deps.now();
    await emails.markEmailsSent(
      trx,
      organisationId,
      items.map((i) => i.email.id),
      now,
    );
    // One statement per reminder moment (none for a case's follow-up: it is never reminded).
    const byReminder = new Map<number | null, PreparedInvitation[]>();
    for (const item of items) {
      const at = item.rules.maxReminders > 0 ? now + item.rules.reminderAfterDays * DAY_MS : null;
      byReminder.set(at, [...(byReminder.get(at) ?? []), item]);
    }
    const changed = new Set<string>();
    const reminders: { invitationId: string; runAt: number }[] = [];
    for (const [at, part] of byReminder) {
      const ids = await repo.markInvitationsSent(
        trx,
        organisationId,
        part.map((i) => i.invitation.id),
        at === null ? { sent_at: now } : { sent_at: now, reminder_planned_at: at },
      );
      for (const id of ids) {
        changed.add(id);
        if (at !== null) reminders.push({ invitationId: id, runAt: at });
      }
    }
    await enqueueMany(
      trx,
      invitationRemindJob,
      reminders.map((r) => ({
        payload: { invitationId: r.invitationId },
        organisationId,
        runAt: r.runAt,
        now,
      })),
    );
    const started = new Set<string>();
    for (const { invitation } of items) {
      if (invitation.send_id === null || started.has(invitation.send_id)) continue;
      started.add(invitation.send_id);
      await markSendStarted(trx, invitation);
    }
    await emitSent(
      trx,
      deps,
      items.filter((i) => changed.has(i.invitation.id)),
      'invitation',
      now,
    );
  });
}

/** `invitation.sent`, in the transaction that marks the invitations or a reminder sent. */
async function emitSent(
  trx: Executor,
  deps: Deps,
  sent: readonly { invitation: InvitationRow; email: emails.EmailRow }[],
  kind: 'invitation' | 'reminder',
  now: number,
): Promise<void> {
  if (sent.length === 0) return;
  await emit(
    trx,
    deps,
    invitationSent,
    sent.map(({ invitation, email }) => ({
      organisationId: invitation.organisation_id,
      data: {
        invitationId: invitation.id,
        surveyId: invitation.survey_id,
        contactId: invitation.contact_id,
        kind,
        transport: email.transport,
        sentAt: now,
      },
    })),
    now,
  );
}

/**
 * A reminder attempt that decides not to send (the customer answered or unsubscribed meanwhile, the
 * link expired, no mail server) closes the reminder email an earlier attempt may have composed —
 * one that died mid-send, or whose mail server failed — as failed without a retry, with the reason;
 * otherwise it would stay `queued` forever. A sent reminder is never touched. (A rescheduled
 * reminder keeps its row: the later attempt sends it.)
 */
async function skipReminder(
  db: Executor,
  organisationId: string,
  invitationId: string,
  reason: EmailSkipReason,
  detail: string = reason,
): Promise<JobResult> {
  await emails.closeQueuedEmail(db, organisationId, invitationId, 'reminder', reason);
  return skipped(detail);
}

/** What a batch of reminders reads once for all of them, in its transaction. */
interface ReminderReads {
  invitations: Map<string, InvitationRow>;
  contacts: Map<string, ContactRow>;
  followUps: Set<string>;
  /** By Message-ID (the reminder's). */
  emails: Map<string, emails.EmailRow>;
  answered: Set<string>;
  surveys: Map<string, Promise<SurveyRow | undefined>>;
  org: () => Promise<Awaited<ReturnType<typeof organisationRules>>>;
  /** The emails this batch composed, not written yet (`writeComposed`). */
  composed: EmailTable[];
}

async function readReminderBatch(
  trx: Executor,
  organisationId: string,
  invitationIds: readonly string[],
): Promise<ReminderReads> {
  const invitations = await repo.findInvitations(trx, organisationId, invitationIds);
  const sent = [...invitations.values()].filter((i) => i.status === 'sent');
  let settings: ReturnType<typeof organisationRules> | undefined;
  const ids = sent.map((i) => i.id);
  return {
    invitations,
    contacts: await findContacts(
      trx,
      organisationId,
      sent.map((i) => i.contact_id),
    ),
    followUps: await repo.followUpInvitationIds(trx, organisationId, ids),
    emails: await emails.findEmailsByMessageIds(trx, organisationId, sent.map(reminderMessageId)),
    answered: await repo.answeredInvitationIds(trx, organisationId, ids),
    surveys: new Map(),
    org: () => (settings ??= organisationRules(trx, organisationId)),
    composed: [],
  };
}

/**
 * Re-checks one reminder at the moment of sending (`decideReminder`) and composes its email; or
 * closes it with the reason, or plans it later when the organisation lengthened the delay.
 */
async function prepareReminder(
  trx: Executor,
  deps: Deps,
  organisationId: string,
  invitationId: string,
  route: MailRoute,
  now: number,
  reads: ReminderReads,
): Promise<JobResult | PreparedMessage> {
  const invitation = reads.invitations.get(invitationId);
  const skip = (reason: EmailSkipReason, detail?: string) =>
    skipReminder(trx, organisationId, invitationId, reason, detail);
  if (!invitation) return skip('invitation not found');
  if (invitation.status !== 'sent' || invitation.sent_at === null) {
    return skip(`invitation ${invitation.status}`);
  }
  if (invitation.reminder_sent_at !== null) return skip('already_reminded');
  const existing = reads.emails.get(reminderMessageId(invitation)) ?? null;
  // Accepted by the mail server before a crash (or before its batch failed): only the bookkeeping
  // is missing, whatever the rules would say now.
  if (existing?.status === 'sent') return { invitation, email: existing };
  if (now >= invitation.expires_at) return skip('expired');
  const contact = reads.contacts.get(invitation.contact_id);
  if (!contact) return skip('contact_missing');
  let surveyRead = reads.surveys.get(invitation.survey_id);
  if (!surveyRead) {
    surveyRead = findSurvey(trx, organisationId, invitation.survey_id);
    reads.surveys.set(invitation.survey_id, surveyRead);
  }
  const survey = await surveyRead;
  if (!survey) return skip('survey_missing');
  // A survey archived, or set back to draft, since: its link says it is closed, so no reminder.
  if (survey.status !== 'active') return skip(`survey_${survey.status}`);
  // A case's follow-up is asked once, never reminded (the frequency rules' exception for it),
  // whichever path planned a reminder (a send retried after a worker died mid-send, say).
  if (reads.followUps.has(invitationId)) return skip('case_follow_up');
  const org = await reads.org();
  const { rules } = org;
  const responded = invitation.responded_at !== null || reads.answered.has(invitationId);
  const decision = decideReminder({
    now,
    rules,
    invitationSentAt: invitation.sent_at,
    remindersSent: invitation.reminder_sent_at === null ? 0 : 1,
    responded,
    contact: toContactState(contact),
  });
  if (!decision.eligible) {
    const [first] = decision.reasons;
    if (decision.reasons.length === 1 && first?.code === 'too_early') {
      // The organisation lengthened the reminder delay after this job was planned.
      await enqueue(
        trx,
        invitationRemindJob,
        { invitationId },
        { organisationId, runAt: first.dueAt, now },
      );
      await repo.updateInvitation(trx, organisationId, invitationId, {
        reminder_planned_at: first.dueAt,
      });
      return skipped('rescheduled');
    }
    // The email names the most important reason (they come in that order); the job all of them.
    return skip(first?.code ?? 'ineligible', decision.reasons.map((r) => r.code).join(','));
  }
  const email = await composeEmail(trx, deps, invitation, 'reminder', now, {
    org,
    survey,
    contact,
    route,
    existing,
    composed: reads.composed,
  });
  if ('problem' in email) return skip(email.problem);
  return { invitation, email };
}

/**
 * The `invitation.remind` jobs of one organisation, as a batch (a send's reminders come due
 * together): at most one reminder per invitation, never after a response, and not to a contact who
 * unsubscribed or bounced since (`decideReminder`). A reminder belongs to its invitation: same
 * personal link, its own stable Message-ID, and it does not count as a new invitation for the
 * frequency rules. As for invitations, one transaction re-checks and composes the batch, each
 * message is recorded as sent the moment the server accepts it and before the next goes, a
 * failure of the server itself fails the rest of the batch on their own back-off, and one
 * transaction records the reminders sent and emits `invitation.sent`.
 */
export async function deliverReminders(
  deps: Deps,
  organisationId: string,
  sends: readonly InvitationSend[],
): Promise<JobOutcome[]> {
  const db = deps.db.kysely;
  let route: MailRoute;
  try {
    route = await resolveMailRoute(db, deps.config, organisationId);
  } catch (error) {
    return sends.map(() => ({ ok: false, error }));
  }
  // A reminder only ever follows an invitation that really left; without a mail server it would
  // land in the local outbox and remind nobody.
  if (route.kind === 'outbox') {
    const { outcomes, batch } = firstOfEach(sends);
    for (const { index, send } of batch) {
      const reason = 'no mail server: reminder not sent';
      outcomes[index] = {
        ok: true,
        result: await skipReminder(db, organisationId, send.invitationId, reason),
      };
    }
    return outcomes;
  }
  const smtp = route;
  return deliverBatch(deps, organisationId, sends, smtp, {
    kind: 'reminder',
    async prepare(trx, invitationIds, now) {
      const reads = await readReminderBatch(trx, organisationId, invitationIds);
      const out: (JobResult | PreparedMessage)[] = [];
      for (const invitationId of invitationIds) {
        out.push(await prepareReminder(trx, deps, organisationId, invitationId, smtp, now, reads));
      }
      await writeComposed(trx, organisationId, reads.composed, out);
      return out;
    },
    alone: (send) => deliverReminders(deps, organisationId, [send]),
    markSent: (items) => markRemindersSent(deps, organisationId, items),
  });
}

/**
 * Records reminders the mail server accepted, in one transaction: their emails, the invitations'
 * `reminder_sent_at` (once: a second job of one reminder changes nothing), and one
 * `invitation.sent` per reminder recorded now.
 */
async function markRemindersSent(
  deps: Deps,
  organisationId: string,
  items: readonly PreparedMessage[],
): Promise<void> {
  if (items.length === 0) return;
  await deps.db.kysely.transaction().execute(async (trx) => {
    const now = deps.now();
    await emails.markEmailsSent(
      trx,
      organisationId,
      items.map((i) => i.email.id),
      now,
    );
    const changed = new Set(
      await repo.markRemindersSent(
        trx,
        organisationId,
        items.map((i) => i.invitation.id),
        now,
      ),
    );
    await emitSent(
      trx,
      deps,
      items.filter((i) => changed.has(i.invitation.id)),
      'reminder',
      now,
    );
  });
}

/** The `invitation.remind` job of one invitation: a batch of one. */
export async function deliverReminder(
  deps: Deps,
  organisationId: string,
  invitationId: string,
  attempt: number,
): Promise<JobResult> {
  const [outcome] = await deliverReminders(deps, organisationId, [{ invitationId, attempt }]);
  if (!outcome) throw new Error('no outcome');
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}
