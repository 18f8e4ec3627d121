import type { Config } from '../../config.ts';
import type {
  CaseFollowUpJson,
  SendPreviewJson,
  SkippedContactJson,
} from './invitations.presenter.ts';
import type { Executor } from '../../db/database.ts';
import type { InvitationTable, Locale, SurveySendTable } from '../../db/schema.ts';
import {
  DAY_MS,
  decideCaseFollowUp,
  planBatch,
  resolveContactRules,
  type AccountInvitation,
  type BatchCandidate,
  type ContactRules,
  type SkipReason,
} from '../../domain/contact-rules/contact-rules.ts';
import { spreadWaves } from '../../domain/contact-rules/spread-waves.ts';
import { enqueueMany } from '../../platform/jobs/define-job.ts';
import { invitationSendJob } from './invitations.jobs.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { newId, newToken } from '../../shared/ids.ts';
import { recordScope } from '../auth/record-scope.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { messageIdHost } from '../email/mail-transport.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import type { ServiceActor } from '../surveys/surveys.service.ts';
import { getSurveyRow } from '../surveys/surveys.service.ts';
import { findSurvey } from '../surveys/surveys.repository.ts';
import { findContact } from '../contacts/contacts.repository.ts';
import { updateSurvey } from '../surveys/surveys.repository.ts';
import { contactHistoryOf, indexHistory, toContactState } from './contact-state.ts';
import { explainSkips, formatDay, type SelectionSkipReason } from './explain-skip.ts';
import { t } from '../../i18n/messages.ts';
import * as repo from './invitations.repository.ts';
import type { CandidateRow } from './invitations.repository.ts';
import type {
  CreateSendInput,
  PreviewSendInput,
  Schedule,
  Selection,
} from './invitations.schemas.ts';
import { presentSend } from './invitations.presenter.ts';

/** How long a personal link accepts an answer after the invitation was planned. */
export const INVITATION_VALID_DAYS = 60;

/** The organisation's contact-frequency rules, with defaults for anything not set. */
export async function organisationRules(
  db: Executor,
  organisationId: string,
): Promise<{
  rules: ContactRules;
  name: string;
  locale: Locale;
  settings: ReturnType<typeof parseSettings>;
}> {
  const org = await findOrganisation(db, organisationId);
  if (!org) throw notFound('organisation');
  const settings = parseSettings(org.settings);
  return {
    rules: resolveContactRules(settings.contactRules),
    name: org.name,
    locale: org.locale,
    settings,
  };
}

interface Planned {
  contact: CandidateRow;
  plannedAt: number;
  waveIndex: number;
}
interface Skipped {
  contact: CandidateRow;
  decidedAt: number;
  reasons: readonly SkipReason[];
}
interface PlanOutcome {
  rules: ContactRules;
  candidates: number;
  planned: Planned[];
  skipped: Skipped[];
  unmatched: string[];
  waves: { index: number; sendAt: number; count: number }[];
}

function candidateFilter(actor: ServiceActor, selection: Selection): repo.CandidateFilter {
  // An account manager offers only their own customers, whatever the selection says.
  const filter: repo.CandidateFilter = {
    organisationId: actor.organisationId,
    scope: recordScope(actor),
  };
  switch (selection.kind) {
    case 'all':
      break;
    case 'segment':
      filter.segment = selection.segment;
      break;
    case 'owner':
      filter.ownerEmployeeId = selection.ownerEmployeeId;
      break;
    case 'filter':
      filter.segment = selection.segment;
      filter.ownerEmployeeId = selection.ownerEmployeeId;
      filter.accountId = selection.accountId;
      filter.language = selection.language;
      break;
    case 'list':
      filter.emailKeys = [...new Set((selection.emails ?? []).map((e) => e.trim().toLowerCase()))];
      filter.externalIds = [...new Set(selection.externalIds ?? [])];
      break;
    case 'contacts':
      filter.contactIds = [...new Set(selection.contactIds)];
      break;
  }
  return filter;
}

function unmatchedEntries(selection: Selection, candidates: readonly CandidateRow[]): string[] {
  if (selection.kind === 'contacts') {
    const ids = new Set(candidates.map((c) => c.id));
    return selection.contactIds.filter((id) => !ids.has(id));
  }
  if (selection.kind !== 'list') return [];
  const emails = new Set(candidates.map((c) => c.email_key));
  const externalIds = new Set(candidates.map((c) => c.external_id));
  return [
    ...new Set([
      ...(selection.emails ?? []).filter((e) => !emails.has(e.trim().toLowerCase())),
      ...(selection.externalIds ?? []).filter((id) => !externalIds.has(id)),
    ]),
  ];
}

/**
 * Decides who a send invites and when, under the organisation's rules, without writing anything.
 *
 * Sending now decides everyone at `now`. Waves first assign each contact a wave (`spreadWaves`,
 * seeded with the survey id so re-planning gives the same waves), then decide wave by wave at the
 * wave's send time, carrying the account invitations admitted in earlier waves forward so a firm
 * is not asked again one wave later. History includes invitations planned for the future, so a
 * scheduled invitation is never doubled by another survey.
 */
async function planContacts(
  db: Executor,
  actor: ServiceActor,
  surveyId: string,
  selection: Selection,
  schedule: Schedule,
  now: number,
): Promise<PlanOutcome> {
  const { rules } = await organisationRules(db, actor.organisationId);
  const candidates = await repo.selectCandidates(db, candidateFilter(actor, selection));
  const start = schedule.kind === 'waves' ? Math.min(schedule.start, now) : now;
  const since = start - 366 * DAY_MS;
  const history = indexHistory(await repo.invitationHistorySince(db, actor.organisationId, since));
  const responses = await repo.lastResponses(db, actor.organisationId, since);

  const assignment =
    schedule.kind === 'waves' && candidates.length > 0
      ? spreadWaves({
          contactIds: candidates.map((c) => c.id),
          start: schedule.start,
          end: schedule.end,
          waves: schedule.waves,
          seed: surveyId,
        })
      : candidates.map((c) => ({ contactId: c.id, waveIndex: 0, sendAt: now }));
  const waveOf = new Map(assignment.map((a) => [a.contactId, a]));
  const waveCount = schedule.kind === 'waves' ? schedule.waves : 1;
  const byWave: CandidateRow[][] = Array.from({ length: waveCount }, () => []);
  for (const c of candidates) byWave[waveOf.get(c.id)?.waveIndex ?? 0]?.push(c);

  const admittedByAccount = new Map<string, AccountInvitation[]>();
  const planned: Planned[] = [];
  const skipped: Skipped[] = [];
  const waves: PlanOutcome['waves'] = [];
  byWave.forEach((wave, index) => {
    const sendAt =
      schedule.kind === 'waves'
        ? schedule.start + Math.floor((index * (schedule.end - schedule.start)) / schedule.waves)
        : now;
    const batch: BatchCandidate[] = wave.map((c) => ({
      contact: toContactState(c),
      contactHistory: contactHistoryOf(history, c.id, responses.get(c.id) ?? null),
      account:
        c.account_id === null
          ? null
          : {
              accountId: c.account_id,
              invitations: [
                ...(history.byAccount.get(c.account_id) ?? []),
                ...(admittedByAccount.get(c.account_id) ?? []),
              ],
            },
    }));
    let count = 0;
    planBatch(sendAt, rules, batch).forEach(({ decision }, i) => {
      const contact = wave[i];
      if (!contact) return;
      if (decision.eligible) {
        count++;
        planned.push({ contact, plannedAt: sendAt, waveIndex: index });
        if (contact.account_id !== null) {
          const list = admittedByAccount.get(contact.account_id) ?? [];
          list.push({ contactId: contact.id, invitedAt: sendAt });
          admittedByAccount.set(contact.account_id, list);
        }
      } else {
        skipped.push({ contact, decidedAt: sendAt, reasons: decision.reasons });
      }
    });
    waves.push({ index, sendAt, count });
  });

  return {
    rules,
    candidates: candidates.length,
    planned,
    skipped,
    unmatched: unmatchedEntries(selection, candidates),
    waves,
  };
}

function countHeadlines(outcome: PlanOutcome): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of outcome.skipped) {
    const code = s.reasons[0]?.code ?? 'unknown';
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

/**
 * What a send would do, before anything is sent: how many contacts are eligible, how many are
 * skipped per reason, and a sample of skipped contacts with the reason in the reader's language
 * ("asked 40 days ago — eligible again on 3 March 2027").
 */
export async function previewSend(
  db: Executor,
  actor: ServiceActor,
  surveyId: string,
  input: PreviewSendInput,
  now: number,
  locale: Locale,
): Promise<Omit<SendPreviewJson, 'delivery'>> {
  await getSurveyRow(db, actor.organisationId, surveyId);
  const outcome = await planContacts(db, actor, surveyId, input.selection, input.schedule, now);
  const explain = (reasons: readonly SelectionSkipReason[], at: number) =>
    explainSkips(reasons, { locale, now: at, rules: outcome.rules });
  // Skipped contacts of the selection only: what matched nobody is listed whole in `unmatched`.
  const sample: SkippedContactJson[] = outcome.skipped
    .map((s) => ({
      contactId: s.contact.id,
      name: s.contact.name,
      email: s.contact.email,
      reason: s.reasons[0]?.code ?? 'unknown',
      reasons: s.reasons.map((r) => r.code),
      explanation: explain(s.reasons, s.decidedAt),
    }))
    .slice(0, input.sampleSize);
  return {
    // Contacts of this selection who got a resolved case's follow-up within the year: shown as the
    // exception to the rules it was, tied to its case.
    caseFollowUps: await caseFollowUpsOf(db, actor.organisationId, outcome, now, locale),
    candidates: outcome.candidates,
    eligible: outcome.planned.length,
    // The counts add up: candidates = eligible + skipped. What matched nobody is not a candidate;
    // every such value is listed, whatever it looks like (an address, a customer number, a phone).
    skipped: outcome.skipped.length,
    notFound: outcome.unmatched.length,
    unmatched: outcome.unmatched,
    reasons: countHeadlines(outcome),
    waves: outcome.waves.map((w) => ({
      index: w.index,
      sendAt: new Date(w.sendAt).toISOString(),
      count: w.count,
    })),
    sample,
  };
}

async function caseFollowUpsOf(
  db: Executor,
  organisationId: string,
  outcome: PlanOutcome,
  now: number,
  locale: Locale,
): Promise<CaseFollowUpJson[]> {
  const rows = await repo.caseFollowUpsSince(db, organisationId, now - 366 * DAY_MS);
  if (rows.length === 0) return [];
  const selected = new Map(
    [...outcome.planned, ...outcome.skipped].map((p) => [p.contact.id, p.contact] as const),
  );
  return rows.flatMap((r) => {
    const contact = selected.get(r.contact_id);
    if (!contact) return [];
    const at = r.sent_at ?? r.planned_at;
    return [
      {
        contactId: contact.id,
        name: contact.name,
        email: contact.email,
        caseId: r.case_id,
        at: new Date(at).toISOString(),
        explanation: t(locale, 'skip.case_follow_up', { date: formatDay(at, locale) }),
      },
    ];
  });
}

function scheduleJson(schedule: Schedule): string {
  return JSON.stringify(
    schedule.kind === 'now'
      ? schedule
      : {
          kind: 'waves',
          start: new Date(schedule.start).toISOString(),
          end: new Date(schedule.end).toISOString(),
          waves: schedule.waves,
        },
  );
}

/**
 * Plans a send: decides every contact under the rules, writes one invitation per admitted contact
 * (status `queued` to send now, `planned` for a later wave) and one `invitation.send` job each, due
 * at the invitation's time, all in the caller's transaction (transactional outbox).
 *
 * Runs under a per-organisation lock, so two sends started together cannot both invite a contact:
 * the second plans after the first committed and sees its invitations. Every invitation gets a
 * stable Message-ID now, so a re-send after a crash carries the same id. A draft survey becomes
 * active; an archived one cannot be sent. Callable by the demo with a system actor.
 */
export async function planSend(
  db: Executor,
  actor: ServiceActor,
  surveyId: string,
  input: CreateSendInput,
  now: number,
  config: Pick<Config, 'publicUrl'>,
) {
  if (input.schedule.kind === 'waves' && input.schedule.end <= now) {
    // Waves that ended already would only create links that are expired on arrival.
    throw new AppError('validation_failed', {
      issues: [{ field: 'schedule.end', problem: 'in_the_past' }],
    });
  }
  await repo.lockOrganisationForPlanning(db, actor.organisationId);
  const survey = await getSurveyRow(db, actor.organisationId, surveyId);
  if (survey.status === 'archived') throw new AppError('survey_archived');
  if (survey.status === 'draft') {
    await updateSurvey(db, actor.organisationId, surveyId, { status: 'active', updated_at: now });
  }
  const outcome = await planContacts(db, actor, surveyId, input.selection, input.schedule, now);
  const host = messageIdHost(config.publicUrl);
  const summary = countHeadlines(outcome);
  const send: SurveySendTable = {
    id: newId(),
    organisation_id: actor.organisationId,
    survey_id: surveyId,
    selection: JSON.stringify(input.selection),
    schedule: scheduleJson(input.schedule),
    status: input.schedule.kind === 'now' ? 'sending' : 'planned',
    planned_count: outcome.planned.length,
    skipped_count: outcome.skipped.length + outcome.unmatched.length,
    skip_summary: JSON.stringify(summary),
    created_by: actor.kind === 'system' ? null : actor.id,
    created_at: now,
  };
  if (outcome.planned.length === 0) send.status = 'completed';
  await repo.insertSurveySend(db, send);

  const invitations: InvitationTable[] = outcome.planned.map((p) => {
    const id = newId();
    return {
      id,
      organisation_id: actor.organisationId,
      survey_id: surveyId,
      send_id: send.id,
      contact_id: p.contact.id,
      account_id: p.contact.account_id,
      channel: 'email',
      token: newToken(),
      message_id: `<${id}@${host}>`,
      status: input.schedule.kind === 'now' ? 'queued' : 'planned',
      skip_reason: null,
      planned_at: p.plannedAt,
      sent_at: null,
      clicked_at: null,
      responded_at: null,
      bounced_at: null,
      reminder_planned_at: null,
      reminder_sent_at: null,
      expires_at: p.plannedAt + INVITATION_VALID_DAYS * DAY_MS,
      created_at: now,
    };
  });
  await repo.insertInvitations(db, invitations);
  await enqueueMany(
    db,
    invitationSendJob,
    invitations.map((i) => ({
      payload: { invitationId: i.id },
      organisationId: actor.organisationId,
      runAt: i.planned_at,
      now,
    })),
  );
  await recordAudit(
    db,
    actor,
    {
      action: 'survey.send_planned',
      entityType: 'survey',
      entityId: surveyId,
      data: { sendId: send.id, planned: send.planned_count, skipped: send.skipped_count },
    },
    now,
  );
  return {
    ...presentSend(send, {}),
    waves: outcome.waves.map((w) => ({
      index: w.index,
      sendAt: new Date(w.sendAt).toISOString(),
      count: w.count,
    })),
  };
}

/**
 * Plans the one short follow-up of a resolved case ("is your problem solved to your
 * satisfaction?" and the 0–10 question), in the caller's transaction: an invitation of the case's
 * survey, queued now, with its send job. It is the frequency rules' one exception
 * (`decideCaseFollowUp`): recent invitations and the answer that opened the case do not hold it
 * back, the contact's state does. The caller links it to its case; sending then knows it by that
 * link, and every later send preview lists it as the exception it was.
 */
export async function planCaseFollowUp(
  db: Executor,
  input: { organisationId: string; surveyId: string; contactId: string },
  now: number,
  config: Pick<Config, 'publicUrl'>,
): Promise<{ invitationId: string } | { skipped: string }> {
  const contact = await findContact(db, input.organisationId, input.contactId);
  if (!contact) return { skipped: 'contact_missing' };
  const survey = await findSurvey(db, input.organisationId, input.surveyId);
  // Not sent for a survey archived or set back to draft (its link says it is closed).
  if (!survey || survey.status !== 'active') {
    return { skipped: `survey_${survey?.status ?? 'archived'}` };
  }
  const decision = decideCaseFollowUp(toContactState(contact));
  if (!decision.eligible) return { skipped: decision.reasons[0]?.code ?? 'ineligible' };
  const id = newId();
  const invitation: InvitationTable = {
    id,
    organisation_id: input.organisationId,
    survey_id: input.surveyId,
    send_id: null,
    contact_id: contact.id,
    account_id: contact.account_id,
    channel: 'email',
    token: newToken(),
    message_id: `<${id}@${messageIdHost(config.publicUrl)}>`,
    status: 'queued',
    skip_reason: null,
    planned_at: now,
    sent_at: null,
    clicked_at: null,
    responded_at: null,
    bounced_at: null,
    reminder_planned_at: null,
    reminder_sent_at: null,
    expires_at: now + INVITATION_VALID_DAYS * DAY_MS,
    created_at: now,
  };
  await repo.insertInvitations(db, [invitation]);
  await enqueueMany(db, invitationSendJob, [
    { payload: { invitationId: id }, organisationId: input.organisationId, runAt: now, now },
  ]);
  return { invitationId: id };
}
